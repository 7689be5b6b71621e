package io.conclave.store.internal;

import io.conclave.api.kv.KvEntry;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The store's tables. A table's {@code id} is its position in {@link #TABLES}; the snapshot names
 * tables by {@code name}, so new tables are appended here without touching the core (transactions,
 * watches, snapshots are generic over {@link Table}).
 */
final class Schema {

    private Schema() {
    }

    /** Consul's "kvs" table: keys with a "session" index for lock holders. */
    static final Table<KvEntry> KVS = new Table<>(0, "kvs", KvEntry.class, KvEntry::key,
            List.of(new Table.Index<>("session", KvEntry::session)), new KvEntryCodec());

    /** Consul's "tombstones" table (the KV graveyard). */
    static final Table<Tombstone> TOMBSTONES = new Table<>(1, "tombstones", Tombstone.class, Tombstone::key,
            List.of(), new TombstoneCodec());

    static final List<Table<?>> TABLES = List.of(KVS, TOMBSTONES);

    static {
        for (int i = 0; i < TABLES.size(); i++) {
            if (TABLES.get(i).id != i) {
                throw new AssertionError("table " + TABLES.get(i).name + " has id " + TABLES.get(i).id + ", expected " + i);
            }
        }
    }

    /** @return the table, or {@code null} if this version does not know it */
    static Table<?> byName(String name) {
        for (Table<?> t : TABLES) {
            if (t.name.equals(name)) {
                return t;
            }
        }
        return null;
    }

    static final class KvEntryCodec implements RowCodec<KvEntry> {
        @Override
        public void write(DataOutputStream out, KvEntry e) throws IOException {
            SnapshotWriter.writeString(out, e.key());
            out.writeLong(e.createIndex());
            out.writeLong(e.modifyIndex());
            out.writeLong(e.lockIndex());
            out.writeLong(e.flags());
            SnapshotWriter.writeBytes(out, e.value());
            SnapshotWriter.writeString(out, e.session());
        }

        @Override
        public KvEntry read(SnapshotReader in) throws IOException {
            String key = in.readString("kv key");
            long create = in.readNonNegativeLong("kv create index");
            long modify = in.readNonNegativeLong("kv modify index");
            long lock = in.readNonNegativeLong("kv lock index");
            long flags = in.readLong("kv flags");
            byte[] value = in.readBytesOrNull("kv value");
            String session = in.readStringOrNull("kv session");
            return new KvEntry(key, create, modify, lock, flags, value, session);
        }
    }

    static final class TombstoneCodec implements RowCodec<Tombstone> {
        @Override
        public void write(DataOutputStream out, Tombstone t) throws IOException {
            SnapshotWriter.writeString(out, t.key());
            out.writeLong(t.index());
        }

        @Override
        public Tombstone read(SnapshotReader in) throws IOException {
            return new Tombstone(in.readString("tombstone key"), in.readNonNegativeLong("tombstone index"));
        }
    }
}
