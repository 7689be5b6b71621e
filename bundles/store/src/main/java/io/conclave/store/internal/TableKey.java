package io.conclave.store.internal;

/** A primary key (or key prefix) in one table: the unit of watching and of change tracking. */
record TableKey(int table, String key) {
}
