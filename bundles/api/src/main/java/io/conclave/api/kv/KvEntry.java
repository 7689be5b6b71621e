package io.conclave.api.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key/value row, Consul's {@code DirEntry}.
 *
 * @param value the raw value, or {@code null} when written with an empty body (Consul answers {@code "Value": null})
 * @param session the session holding the key's lock, or {@code null}
 */
public record KvEntry(String key, long createIndex, long modifyIndex, long lockIndex, long flags,
                      byte[] value, String session) {

    public KvEntry {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvEntry e && key.equals(e.key) && createIndex == e.createIndex
                && modifyIndex == e.modifyIndex && lockIndex == e.lockIndex && flags == e.flags
                && Arrays.equals(value, e.value) && Objects.equals(session, e.session);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, createIndex, modifyIndex, lockIndex, flags, Arrays.hashCode(value), session);
    }

    @Override
    public String toString() {
        return "KvEntry[" + key + " create=" + createIndex + " modify=" + modifyIndex + " lock=" + lockIndex
                + " flags=" + flags + " value=" + (value == null ? "null" : value.length + "B")
                + (session == null ? "" : " session=" + session) + "]";
    }
}
