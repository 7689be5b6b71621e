package io.conclave.store.internal;

/**
 * A graveyard row: {@code key} was deleted at raft index {@code index}. Tombstones keep a prefix's
 * index from going backwards when its newest key is deleted (Consul's {@code state.Tombstone}).
 */
record Tombstone(String key, long index) {
}
