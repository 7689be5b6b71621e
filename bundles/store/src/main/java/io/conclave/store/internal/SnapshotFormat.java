package io.conclave.store.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format, version 2. All integers big-endian; strings and byte arrays as written by
 * {@link SnapshotWriter}. Version 1 (KV only) has the same layout, so it is still read; version 2 adds
 * the catalog tables ("nodes", "services", "checks") and the catalog's index-table entries
 * ({@code service.<name>}, {@code node.<name>}, the extinction indexes). Tables are named, so a new
 * version appends tables without moving the old ones; a server refuses a newer version than its own.
 * <pre>
 *   magic      8 bytes "CNCLSTOR"
 *   version    int
 *   lastIndex  long
 *   tables     int n, then n times: name (string), rows (int m), m rows in the table's {@link RowCodec}
 *              (tombstones are the "tombstones" table)
 *   index      int n, then n times: table name (string), index (long)
 *   checksum   long, the CRC-32 of every byte before it
 * </pre>
 * A reader rejects an unknown magic, a newer version, an unknown table, a duplicate key, a bad
 * checksum or a truncated stream with an {@link IOException} that says which.
 */
final class SnapshotFormat {

    static final byte[] MAGIC = "CNCLSTOR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    static final int OLDEST_READABLE = 1;

    private SnapshotFormat() {
    }

    static void write(StoreRoot root, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(out, crc), 1 << 16));
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeLong(root.lastIndex);
        data.writeInt(Schema.TABLES.size());
        for (Table<?> t : Schema.TABLES) {
            writeTable(data, root, t);
        }
        data.writeInt(root.indexes.size());
        for (Map.Entry<String, Long> e : root.indexes) {
            SnapshotWriter.writeString(data, e.getKey());
            data.writeLong(e.getValue());
        }
        data.flush();
        DataOutputStream trailer = new DataOutputStream(out);
        trailer.writeLong(crc.getValue());
        trailer.flush();
    }

    private static <R> void writeTable(DataOutputStream data, StoreRoot root, Table<R> t) throws IOException {
        TableData<R> rows = root.table(t);
        SnapshotWriter.writeString(data, t.name);
        data.writeInt(rows.size());
        for (Map.Entry<String, R> e : rows.rows) {
            t.codec.write(data, e.getValue());
        }
    }

    /** Decodes a whole snapshot into a new root (generation 0); the caller decides whether to publish it. */
    static StoreRoot read(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        CRC32 crc = new CRC32();
        SnapshotReader r = new SnapshotReader(new CheckedInputStream(buffered, crc));
        byte[] magic = new byte[MAGIC.length];
        r.readFully(magic, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a Conclave state store snapshot (bad magic)");
        }
        int version = r.readInt("format version");
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new IOException("snapshot format version " + version + " is not supported (this server reads "
                    + OLDEST_READABLE + " to " + VERSION + ")"
                    + (version > VERSION ? "; it was written by a newer server" : ""));
        }
        long lastIndex = r.readNonNegativeLong("last index");
        TableData<?>[] tables = StoreRoot.empty().tablesCopy();
        Set<String> seen = new HashSet<>();
        int tableCount = r.readCount("table count");
        for (int i = 0; i < tableCount; i++) {
            String name = r.readString("table name");
            Table<?> t = Schema.byName(name);
            if (t == null) {
                throw new IOException("snapshot has table \"" + name + "\", which this server does not know");
            }
            if (!seen.add(name)) {
                throw new IOException("corrupt snapshot: table \"" + name + "\" appears twice");
            }
            tables[t.id] = readTable(r, t);
        }
        PersistentSortedMap<Long> indexes = PersistentSortedMap.empty();
        int indexCount = r.readCount("index table size");
        for (int i = 0; i < indexCount; i++) {
            String name = r.readString("index table name");
            long idx = r.readNonNegativeLong("index of table " + name);
            if (!Schema.isIndexName(name)) {
                throw new IOException("snapshot has an index for table \"" + name + "\", which this server does not know");
            }
            if (idx > lastIndex) {
                throw new IOException("corrupt snapshot: index " + idx + " of table " + name
                        + " is above the snapshot's last index " + lastIndex);
            }
            indexes = indexes.put(name, idx);
        }
        long expected = crc.getValue();
        long actual;
        try {
            actual = new DataInputStream(buffered).readLong();
        } catch (EOFException e) {
            throw new IOException("snapshot truncated while reading checksum");
        }
        if (actual != expected) {
            throw new IOException("corrupt snapshot: checksum mismatch");
        }
        return new StoreRoot(0, lastIndex, tables, indexes);
    }

    private static <R> TableData<R> readTable(SnapshotReader r, Table<R> t) throws IOException {
        int rows = r.readCount("row count of table " + t.name);
        TableData<R> data = TableData.empty(t);
        for (int i = 0; i < rows; i++) {
            R row = t.codec.read(r);
            if (data.get(t.primaryKey.apply(row)) != null) {
                throw new IOException("corrupt snapshot: duplicate key \"" + t.primaryKey.apply(row) + "\" in table " + t.name);
            }
            data = data.put(t, row);
        }
        return data;
    }
}
