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

    <R> void put(Table<R> table, R row) {
        tables[table.id] = table(table).put(table, row);
        changed.add(new TableKey(table.id, table.primaryKey.apply(row)));
    }

    /** @return whether a row was removed */
    <R> boolean delete(Table<R> table, String pk) {
        TableData<R> before = table(table);
        TableData<R> after = before.remove(table, pk);
        if (after == before) {
            return false;
        }
        tables[table.id] = after;
        changed.add(new TableKey(table.id, pk));
        return true;
    }

    /** Records that {@code table} changed at this transaction's index (Consul's index table insert). */
    void touchIndex(Table<?> table) {
        indexes = indexes.put(table.name, index);
    }

    Set<TableKey> changes() {
        return changed;
    }

    StoreRoot commit() {
        return new StoreRoot(generation, index, tables.clone(), indexes);
    }
}
