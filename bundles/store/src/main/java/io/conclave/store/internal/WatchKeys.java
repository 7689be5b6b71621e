package io.conclave.store.internal;

/**
 * The namespaces of watchable keys. Every {@link TableKey} a write records and a query watches lives in
 * exactly one namespace, so a write to one table never wakes a reader of another (a catalog write never
 * wakes a KV watcher, and the reverse):
 * <ul>
 *   <li>a table's primary keys: the table's id ({@code 0} kvs, {@code 1} tombstones, {@code 2} nodes,
 *       {@code 3} services, {@code 4} checks; see {@link Schema});</li>
 *   <li>the index table (Consul's "index" table: {@code nodes}, {@code services}, {@code checks},
 *       {@code service.<name>}, {@code node.<name>}, {@code service_last_extinction}, …):
 *       {@link #INDEX_NAMESPACE}, keyed by entry name; a write records every entry it sets or removes;</li>
 *   <li>a secondary index's values (e.g. the services whose name is {@code web}):
 *       {@link #SECONDARY_BASE} {@code + table id * 64 + index position}, keyed by the indexed value; a write
 *       records a row's old and new values, so a reader of "services named web" wakes when one appears,
 *       changes or goes.</li>
 * </ul>
 * Prefix watches compare keys within one namespace only.
 */
final class WatchKeys {

    static final int INDEX_NAMESPACE = 1 << 16;
    static final int SECONDARY_BASE = 1 << 17;
    static final int MAX_INDEXES_PER_TABLE = 64;

    private WatchKeys() {
    }

    static TableKey index(String name) {
        return new TableKey(INDEX_NAMESPACE, name);
    }

    static TableKey secondary(Table<?> table, int position, String value) {
        return new TableKey(SECONDARY_BASE + table.id * MAX_INDEXES_PER_TABLE + position, value);
    }

    static TableKey secondary(Table<?> table, String indexName, String value) {
        return secondary(table, table.indexPosition(indexName), value);
    }
}
