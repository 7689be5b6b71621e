package io.conclave.store.internal;

/**
 * The whole store at one raft index: every table, the index table (table name to the index of its
 * last change, Consul's "index" table) and the last applied index. Immutable; a write builds a new
 * root through {@link WriteTxn} and the store publishes it with one volatile write, so a reader
 * holding a root has a consistent point-in-time view for as long as it likes.
 *
 * <p>{@code generation} counts published roots (every commit and every restore adds one); unlike
 * {@code lastIndex} it never goes backwards, so watchers can tell roots apart across a restore.
 */
final class StoreRoot {

    final long generation;
    final long lastIndex;
    private final TableData<?>[] tables;
    final PersistentSortedMap<Long> indexes;

    StoreRoot(long generation, long lastIndex, TableData<?>[] tables, PersistentSortedMap<Long> indexes) {
        this.generation = generation;
        this.lastIndex = lastIndex;
        this.tables = tables;
        this.indexes = indexes;
    }

    static StoreRoot empty() {
        TableData<?>[] t = new TableData<?>[Schema.TABLES.size()];
        for (Table<?> table : Schema.TABLES) {
            t[table.id] = TableData.empty(table);
        }
        return new StoreRoot(0, 0, t, PersistentSortedMap.empty());
    }

    @SuppressWarnings("unchecked")
    <R> TableData<R> table(Table<R> table) {
        return (TableData<R>) tables[table.id];
    }

    /** A copy of the table array for a write transaction to modify. */
    TableData<?>[] tablesCopy() {
        return tables.clone();
    }

    /** The highest index-table entry among {@code ts} (Consul's {@code maxIndexTxn}); 0 if none. */
    long maxIndex(Table<?>... ts) {
        long max = 0;
        for (Table<?> t : ts) {
            Long v = indexes.get(t.name);
            if (v != null && v > max) {
                max = v;
            }
        }
        return max;
    }

    /** The highest of the index-table entries {@code names}; 0 if none is present. */
    long maxIndex(String... names) {
        long max = 0;
        for (String n : names) {
            Long v = indexes.get(n);
            if (v != null && v > max) {
                max = v;
            }
        }
        return max;
    }

    /** The same root at a later raft index with no data change (an ignored command). */
    StoreRoot advancedTo(long index) {
        return new StoreRoot(generation + 1, index, tables, indexes);
    }

    /** This root's data as the successor of {@code previous} (a restore). */
    StoreRoot succeeding(StoreRoot previous) {
        return new StoreRoot(previous.generation + 1, lastIndex, tables, indexes);
    }
}
