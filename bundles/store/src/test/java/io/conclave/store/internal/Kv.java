package io.conclave.store.internal;

import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** A store plus a raft index counter, for tests: each write applies at the next index. */
final class Kv {

    final ConclaveStateStore store;
    long index;

    Kv(ConclaveStateStore store) {
        this.store = store;
        this.index = store.lastIndex();
    }

    static Kv active() {
        ConclaveStateStore s = new ConclaveStateStore();
        s.activate();
        return new Kv(s);
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(KvEntry e) {
        return e.value() == null ? null : new String(e.value(), StandardCharsets.UTF_8);
    }

    Object apply(KvRequest r) {
        return store.apply(++index, Command.of(MessageType.KVS, r.encode()));
    }

    boolean set(String key, String value) {
        return (Boolean) apply(KvRequest.set(key, bytes(value), 0));
    }

    boolean set(String key, String value, long flags) {
        return (Boolean) apply(KvRequest.set(key, bytes(value), flags));
    }

    boolean cas(String key, String value, long casIndex) {
        return (Boolean) apply(KvRequest.cas(key, bytes(value), 0, casIndex));
    }

    boolean delete(String key) {
        return (Boolean) apply(KvRequest.delete(key));
    }

    boolean deleteCas(String key, long casIndex) {
        return (Boolean) apply(KvRequest.deleteCas(key, casIndex));
    }

    boolean deleteTree(String prefix) {
        return (Boolean) apply(KvRequest.deleteTree(prefix));
    }

    Optional<KvEntry> get(String key) {
        return store.view().kvGet(key).value();
    }

    KvEntry entry(String key) {
        return get(key).orElseThrow(() -> new AssertionError("no key " + key));
    }

    long getIndex(String key) {
        return store.view().kvGet(key).index();
    }

    long listIndex(String prefix) {
        return store.view().kvList(prefix).index();
    }

    List<String> keys(String prefix, String sep) {
        return store.view().kvKeys(prefix, sep).value();
    }

    void close() {
        store.deactivate();
    }
}
