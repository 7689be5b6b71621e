package io.conclave.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The immutable contents of one table: rows by primary key plus one sorted map per secondary
 * index. A secondary entry is keyed by {@code value + '\0' + primaryKey}, so equal values sort
 * together and a lookup is a prefix scan.
 */
final class TableData<R> {

    private static final char SEP = '\0';

    final PersistentSortedMap<R> rows;
    private final List<PersistentSortedMap<R>> secondary;

    private TableData(PersistentSortedMap<R> rows, List<PersistentSortedMap<R>> secondary) {
        this.rows = rows;
        this.secondary = secondary;
    }

    static <R> TableData<R> empty(Table<R> table) {
        List<PersistentSortedMap<R>> sec = new ArrayList<>(table.indexes.size());
        for (int i = 0; i < table.indexes.size(); i++) {
            sec.add(PersistentSortedMap.empty());
        }
        return new TableData<>(PersistentSortedMap.empty(), List.copyOf(sec));
    }

    R get(String primaryKey) {
        return rows.get(primaryKey);
    }

    int size() {
        return rows.size();
    }

    /** Rows whose secondary index {@code indexName} has exactly {@code value}, in primary key order. */
    Iterable<R> byIndex(Table<R> table, String indexName, String value) {
        return secondary.get(table.indexPosition(indexName)).valuesWithPrefix(value + SEP);
    }

    /** Rows whose secondary index {@code indexName} starts with {@code prefix}, in index order. */
    Iterable<R> byIndexPrefix(Table<R> table, String indexName, String prefix) {
        return secondary.get(table.indexPosition(indexName)).valuesWithPrefix(prefix);
    }

    /** Inserts or replaces the row with the same primary key. */
    TableData<R> put(Table<R> table, R row) {
        String pk = table.primaryKey.apply(row);
        R old = rows.get(pk);
        List<PersistentSortedMap<R>> sec = secondary;
        if (!table.indexes.isEmpty()) {
            List<PersistentSortedMap<R>> next = new ArrayList<>(sec);
            for (int i = 0; i < table.indexes.size(); i++) {
                Table.Index<R> idx = table.indexes.get(i);
                PersistentSortedMap<R> m = next.get(i);
                if (old != null) {
                    String ov = idx.extractor().apply(old);
                    if (ov != null) {
                        m = m.remove(ov + SEP + pk);
                    }
                }
                String nv = idx.extractor().apply(row);
                if (nv != null) {
                    m = m.put(nv + SEP + pk, row);
                }
                next.set(i, m);
            }
            sec = List.copyOf(next);
        }
        return new TableData<>(rows.put(pk, row), sec);
    }

    /** Removes the row with this primary key; returns {@code this} if there is none. */
    TableData<R> remove(Table<R> table, String pk) {
        R old = rows.get(pk);
        if (old == null) {
            return this;
        }
        List<PersistentSortedMap<R>> sec = secondary;
        if (!table.indexes.isEmpty()) {
            List<PersistentSortedMap<R>> next = new ArrayList<>(sec);
            for (int i = 0; i < table.indexes.size(); i++) {
                String ov = table.indexes.get(i).extractor().apply(old);
                if (ov != null) {
                    next.set(i, next.get(i).remove(ov + SEP + pk));
                }
            }
            sec = List.copyOf(next);
        }
        return new TableData<>(rows.remove(pk), sec);
    }
}
