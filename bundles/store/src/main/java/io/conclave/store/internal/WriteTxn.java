package io.conclave.store.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One write transaction at one raft index. It starts from a root, changes copies of the affected
 * tables (path copying, so this is cheap) and records every changed primary key for the watchers.
 * Nothing is visible to readers until the store publishes {@link #commit()}; an abandoned
 * transaction simply leaves the old root in place. Confined to the applier thread.
 */
final class WriteTxn {

    final long index;
    private final long generation;
    private final TableData<?>[] tables;
    private PersistentSortedMap<Long> indexes;
    private final Set<TableKey> changed = new HashSet<>();

    WriteTxn(StoreRoot base, long index) {
        this.index = index;
        this.generation = base.generation + 1;
        this.tables = base.tablesCopy();
        this.indexes = base.indexes;
    }

    @SuppressWarnings("unchecked")
    <R> TableData<R> table(Table<R> table) {
        return (TableData<R>) tables[table.id];
    }

    <R> R get(Table<R> table, String pk) {
        return table(table).get(pk);
    }

    /** The rows under a primary-key prefix as of now, copied so the caller may change the table while looping. */
    <R> List<R> listPrefix(Table<R> table, String prefix) {
        List<R> out = new ArrayList<>();
        table(table).rows.valuesWithPrefix(prefix).forEach(out::add);
        return out;
    }

    /** The rows whose secondary index {@code indexName} has exactly {@code value}, copied, in primary key order. */
    <R> List<R> byIndex(Table<R> table, String indexName, String value) {
        List<R> out = new ArrayList<>();
        table(table).byIndex(table, indexName, value).forEach(out::add);
        return out;
    }

    /** Every row of a table, copied, in primary key order. */
    <R> List<R> all(Table<R> table) {
        return listPrefix(table, "");
    }

    /** Inserts or replaces a row; records its primary key and its old and new secondary values as changed. */
    <R> void put(Table<R> table, R row) {
        TableData<R> before = table(table);
        String pk = table.primaryKey.apply(row);
        R old = before.get(pk);
        tables[table.id] = before.put(table, row);
        changed.add(new TableKey(table.id, pk));
        recordSecondary(table, old);
        recordSecondary(table, row);
    }

    /** @return whether a row was removed */
    <R> boolean delete(Table<R> table, String pk) {
        TableData<R> before = table(table);
        R old = before.get(pk);
        TableData<R> after = before.remove(table, pk);
        if (after == before) {
            return false;
        }
        tables[table.id] = after;
        changed.add(new TableKey(table.id, pk));
        recordSecondary(table, old);
        return true;
    }

    private <R> void recordSecondary(Table<R> table, R row) {
        if (row == null) {
            return;
        }
        for (int i = 0; i < table.indexes.size(); i++) {
            String v = table.indexes.get(i).extractor().apply(row);
            if (v != null) {
                changed.add(WatchKeys.secondary(table, i, v));
            }
        }
    }

    /** Records that {@code table} changed at this transaction's index (Consul's index table insert). */
    void touchIndex(Table<?> table) {
        touchIndex(table.name);
    }

    /** Sets the index-table entry {@code name} to this transaction's index. */
    void touchIndex(String name) {
        indexes = indexes.put(name, index);
        changed.add(WatchKeys.index(name));
    }

    /** Removes the index-table entry {@code name}, if present (Consul garbage-collects per-service entries). */
    void removeIndex(String name) {
        if (indexes.containsKey(name)) {
            indexes = indexes.remove(name);
            changed.add(WatchKeys.index(name));
        }
    }

    /** The index-table entry {@code name} as of now, or {@code null}. */
    Long indexEntry(String name) {
        return indexes.get(name);
    }

    Set<TableKey> changes() {
        return changed;
    }

    StoreRoot commit() {
        return new StoreRoot(generation, index, tables.clone(), indexes);
    }
}
