package io.conclave.store.internal;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import java.util.Arrays;

/**
 * The KVS command (Consul's {@code applyKVSOperation} and {@code agent/consul/state/kvs.go}) as
 * operations on a {@link WriteTxn}. Every operation answers a Boolean: {@code true} when the write
 * took effect or was a no-op that is not a failure (SET of an unchanged value, DELETE of a missing
 * key), {@code false} when a CAS index did not match.
 */
final class KvCommands {

    private KvCommands() {
    }

    static Boolean apply(WriteTxn txn, KvRequest req) {
        return switch (req.op()) {
            case SET -> set(txn, req);
            case CAS -> cas(txn, req);
            case DELETE -> delete(txn, req.key());
            case DELETE_CAS -> deleteCas(txn, req.key(), req.index());
            case DELETE_TREE -> deleteTree(txn, req.key());
            // Consul's kvsLockTxn/kvsUnlockTxn fail with "invalid session" when the session does not
            // exist; no session can exist until the sessions table is added.
            case LOCK, UNLOCK -> throw new IllegalArgumentException("invalid session " + quote(req.session())
                    + " for " + req.op().verb() + " of " + quote(req.key())
                    + ": this store has no sessions table yet, so KV locks are not supported");
        };
    }

    /**
     * kvsSetTxn: keeps an existing key's CreateIndex, LockIndex and Session; writes nothing (no index
     * change, no watch fires) when flags and value are unchanged.
     */
    static Boolean set(WriteTxn txn, KvRequest req) {
        KvEntry existing = txn.get(Schema.KVS, req.key());
        if (existing != null && existing.flags() == req.flags() && sameValue(existing.value(), req.value())) {
            return Boolean.TRUE;
        }
        KvEntry entry = existing == null
                ? new KvEntry(req.key(), txn.index, txn.index, 0, req.flags(), req.value(), null)
                : new KvEntry(req.key(), existing.createIndex(), txn.index, existing.lockIndex(), req.flags(),
                        req.value(), existing.session());
        txn.put(Schema.KVS, entry);
        txn.touchIndex(Schema.KVS);
        return Boolean.TRUE;
    }

    /** kvsSetCASTxn: index 0 sets only if absent; otherwise only if the ModifyIndex matches. */
    static Boolean cas(WriteTxn txn, KvRequest req) {
        KvEntry existing = txn.get(Schema.KVS, req.key());
        if (req.index() == 0 ? existing != null : existing == null || existing.modifyIndex() != req.index()) {
            return Boolean.FALSE;
        }
        return set(txn, req);
    }

    /** kvsDeleteTxn: a missing key is a no-op; otherwise remove it and leave a tombstone. */
    static Boolean delete(WriteTxn txn, String key) {
        if (txn.get(Schema.KVS, key) == null) {
            return Boolean.TRUE;
        }
        deleteWithTombstone(txn, key);
        txn.touchIndex(Schema.KVS);
        return Boolean.TRUE;
    }

    /**
     * kvsDeleteCASTxn: deletes only if the ModifyIndex matches. A missing key answers {@code true}
     * whatever the index, as Consul's does ({@code return entry == nil}).
     */
    static Boolean deleteCas(WriteTxn txn, String key, long index) {
        KvEntry existing = txn.get(Schema.KVS, key);
        if (existing == null) {
            return Boolean.TRUE;
        }
        if (existing.modifyIndex() != index) {
            return Boolean.FALSE;
        }
        return delete(txn, key);
    }

    /**
     * kvsDeleteTreeTxn: removes every key under the prefix, each leaving a tombstone (Consul leaves
     * one tombstone for the prefix; one per key also keeps the index of any narrower prefix from
     * going backwards). Nothing under the prefix: a no-op, no index change.
     */
    static Boolean deleteTree(WriteTxn txn, String prefix) {
        boolean any = false;
        for (KvEntry e : txn.listPrefix(Schema.KVS, prefix)) {
            deleteWithTombstone(txn, e.key());
            any = true;
        }
        if (any) {
            txn.touchIndex(Schema.KVS);
        }
        return Boolean.TRUE;
    }

    private static void deleteWithTombstone(WriteTxn txn, String key) {
        txn.delete(Schema.KVS, key);
        txn.put(Schema.TOMBSTONES, new Tombstone(key, txn.index));
        txn.touchIndex(Schema.TOMBSTONES);
    }

    /** Consul compares values with bytes.Equal, for which nil and empty are equal. */
    private static boolean sameValue(byte[] a, byte[] b) {
        if (a == null || a.length == 0) {
            return b == null || b.length == 0;
        }
        return Arrays.equals(a, b);
    }

    private static String quote(String s) {
        return s == null ? "\"\"" : "\"" + s + "\"";
    }
}
