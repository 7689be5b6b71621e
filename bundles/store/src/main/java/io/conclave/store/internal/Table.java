package io.conclave.store.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The schema of one table (go-memdb's {@code TableSchema}): a name, a unique primary key, optional
 * non-unique secondary indexes and a snapshot codec. Rows are immutable values; the table's data
 * lives in {@link TableData}, held by a {@link StoreRoot}.
 *
 * @param <R> the row type
 */
final class Table<R> {

    /**
     * A non-unique secondary index. The extractor returns the indexed value, or {@code null} when the
     * row is not in this index (go-memdb's {@code AllowMissing}).
     */
    record Index<R>(String name, Function<R, String> extractor) {
    }

    final int id;
    final String name;
    final Class<R> rowType;
    final Function<R, String> primaryKey;
    final List<Index<R>> indexes;
    final RowCodec<R> codec;

    Table(int id, String name, Class<R> rowType, Function<R, String> primaryKey, List<Index<R>> indexes,
          RowCodec<R> codec) {
        this.id = id;
        this.name = Objects.requireNonNull(name);
        this.rowType = rowType;
        this.primaryKey = Objects.requireNonNull(primaryKey);
        this.indexes = List.copyOf(indexes);
        this.codec = Objects.requireNonNull(codec);
    }

    int indexPosition(String indexName) {
        for (int i = 0; i < indexes.size(); i++) {
            if (indexes.get(i).name().equals(indexName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("table " + name + " has no index " + indexName);
    }

    @Override
    public String toString() {
        return name;
    }
}
