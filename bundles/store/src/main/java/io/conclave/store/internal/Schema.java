package io.conclave.store.internal;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import io.conclave.api.kv.KvEntry;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * Consul's "nodes" table: by lower-cased name (memdb's {@code Lowercase: true}, so names are
     * case-insensitive), with a "uuid" index on the lower-cased node ID.
     */
    static final Table<Node> NODES = new Table<>(2, "nodes", Node.class, n -> nodeKey(n.node()),
            List.of(new Table.Index<>("uuid", n -> n.id().isEmpty() ? null : lower(n.id()))), new NodeCodec());

    /**
     * Consul's "services" table: by node and service ID (both case-insensitive), with "service" (the
     * lower-cased service name) and "node" indexes.
     */
    static final Table<ServiceRow> SERVICES = new Table<>(3, "services", ServiceRow.class,
            r -> serviceKey(r.node(), r.service().id()),
            List.of(new Table.Index<>("service", r -> lower(r.service().service())),
                    new Table.Index<>("node", r -> lower(r.node()))),
            new ServiceRowCodec());

    /**
     * Consul's "checks" table: by node and check ID (case-insensitive), with "node", "status" (exact),
     * "service" (lower-cased service name; node checks are not in it) and "node_service" (node and service
     * ID; node checks have an empty service ID) indexes.
     */
    static final Table<HealthCheck> CHECKS = new Table<>(4, "checks", HealthCheck.class,
            c -> checkKey(c.node(), c.checkId()),
            List.of(new Table.Index<>("node", c -> lower(c.node())),
                    new Table.Index<>("status", HealthCheck::status),
                    new Table.Index<>("service", c -> c.serviceName().isEmpty() ? null : lower(c.serviceName())),
                    new Table.Index<>("node_service", c -> nodeServiceKey(c.node(), c.serviceId()))),
            new HealthCheckCodec());

    static final List<Table<?>> TABLES = List.of(KVS, TOMBSTONES, NODES, SERVICES, CHECKS);

    // ---- catalog keys and index-table entries ----

    /** Separates the parts of a compound key; sorts before every other character, as memdb's 0x00 does. */
    static final char SEP = '\0';

    static final String SERVICE_EXTINCTION = "service_last_extinction";
    static final String NODE_EXTINCTION = "node_last_extinction";

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String nodeKey(String node) {
        return lower(node);
    }

    static String serviceKey(String node, String serviceId) {
        return lower(node) + SEP + lower(serviceId);
    }

    static String checkKey(String node, String checkId) {
        return lower(node) + SEP + lower(checkId);
    }

    static String nodeServiceKey(String node, String serviceId) {
        return lower(node) + SEP + lower(serviceId);
    }

    /** Consul's per-service index entry ({@code serviceIndexName}), lower-cased as the service index is. */
    static String serviceIndex(String serviceName) {
        return "service." + lower(serviceName);
    }

    /** The per-node index entry (later Consul's {@code nodeIndexName}). */
    static String nodeIndex(String node) {
        return "node." + lower(node);
    }

    /** Whether {@code name} is an index-table entry this version writes (a table, or a catalog entry). */
    static boolean isIndexName(String name) {
        return byName(name) != null || name.startsWith("service.") || name.startsWith("node.")
                || name.equals(SERVICE_EXTINCTION) || name.equals(NODE_EXTINCTION);
    }

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

    static final class NodeCodec implements RowCodec<Node> {
        @Override
        public void write(DataOutputStream out, Node n) throws IOException {
            SnapshotWriter.writeString(out, n.id());
            SnapshotWriter.writeString(out, n.node());
            SnapshotWriter.writeString(out, n.address());
            SnapshotWriter.writeString(out, n.datacenter());
            SnapshotWriter.writeStringMap(out, n.taggedAddresses());
            SnapshotWriter.writeStringMap(out, n.meta());
            out.writeLong(n.createIndex());
            out.writeLong(n.modifyIndex());
        }

        @Override
        public Node read(SnapshotReader in) throws IOException {
            return new Node(in.readString("node id"), in.readString("node name"), in.readString("node address"),
                    in.readString("node datacenter"), in.readStringMap("node tagged addresses"),
                    in.readStringMap("node meta"), in.readNonNegativeLong("node create index"),
                    in.readNonNegativeLong("node modify index"));
        }
    }

    static final class ServiceRowCodec implements RowCodec<ServiceRow> {
        @Override
        public void write(DataOutputStream out, ServiceRow r) throws IOException {
            NodeService s = r.service();
            SnapshotWriter.writeString(out, r.node());
            SnapshotWriter.writeString(out, s.kind());
            SnapshotWriter.writeString(out, s.id());
            SnapshotWriter.writeString(out, s.service());
            SnapshotWriter.writeStringList(out, s.tags());
            SnapshotWriter.writeString(out, s.address());
            Map<String, ServiceAddress> tagged = new TreeMap<>(s.taggedAddresses());
            out.writeInt(tagged.size());
            for (Map.Entry<String, ServiceAddress> e : tagged.entrySet()) {
                SnapshotWriter.writeString(out, e.getKey());
                SnapshotWriter.writeString(out, e.getValue().address());
                out.writeInt(e.getValue().port());
            }
            SnapshotWriter.writeStringMap(out, s.meta());
            out.writeInt(s.port());
            out.writeInt(s.weights().passing());
            out.writeInt(s.weights().warning());
            out.writeBoolean(s.enableTagOverride());
            out.writeLong(s.createIndex());
            out.writeLong(s.modifyIndex());
        }

        @Override
        public ServiceRow read(SnapshotReader in) throws IOException {
            String node = in.readString("service node");
            String kind = in.readString("service kind");
            String id = in.readString("service id");
            String name = in.readString("service name");
            List<String> tags = in.readStringList("service tags");
            String address = in.readString("service address");
            int n = in.readCount("service tagged address count");
            Map<String, ServiceAddress> tagged = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = in.readString("service tagged address key");
                String addr = in.readString("service tagged address");
                if (tagged.put(key, new ServiceAddress(addr, in.readInt("service tagged port"))) != null) {
                    throw new IOException("corrupt snapshot: duplicate service tagged address " + key);
                }
            }
            Map<String, String> meta = in.readStringMap("service meta");
            int port = in.readInt("service port");
            Weights weights = new Weights(in.readInt("service passing weight"), in.readInt("service warning weight"));
            boolean eto = in.readBoolean("service enable tag override");
            NodeService s = new NodeService(kind, id, name, tags, address, tagged, meta, port, weights, eto,
                    in.readNonNegativeLong("service create index"), in.readNonNegativeLong("service modify index"));
            return new ServiceRow(node, s);
        }
    }

    static final class HealthCheckCodec implements RowCodec<HealthCheck> {
        @Override
        public void write(DataOutputStream out, HealthCheck c) throws IOException {
            SnapshotWriter.writeString(out, c.node());
            SnapshotWriter.writeString(out, c.checkId());
            SnapshotWriter.writeString(out, c.name());
            SnapshotWriter.writeString(out, c.status());
            SnapshotWriter.writeString(out, c.notes());
            SnapshotWriter.writeString(out, c.output());
            SnapshotWriter.writeString(out, c.serviceId());
            SnapshotWriter.writeString(out, c.serviceName());
            SnapshotWriter.writeStringList(out, c.serviceTags());
            SnapshotWriter.writeString(out, c.type());
            CheckDefinition d = c.definition();
            SnapshotWriter.writeString(out, d.http());
            SnapshotWriter.writeString(out, d.tlsServerName());
            out.writeBoolean(d.tlsSkipVerify());
            Map<String, List<String>> header = new TreeMap<>(d.header());
            out.writeInt(header.size());
            for (Map.Entry<String, List<String>> e : header.entrySet()) {
                SnapshotWriter.writeString(out, e.getKey());
                SnapshotWriter.writeStringList(out, e.getValue());
            }
            SnapshotWriter.writeString(out, d.method());
            SnapshotWriter.writeString(out, d.body());
            SnapshotWriter.writeString(out, d.tcp());
            out.writeLong(d.interval().toNanos());
            out.writeLong(d.timeout().toNanos());
            out.writeLong(d.deregisterCriticalServiceAfter().toNanos());
            out.writeLong(c.createIndex());
            out.writeLong(c.modifyIndex());
        }

        @Override
        public HealthCheck read(SnapshotReader in) throws IOException {
            String node = in.readString("check node");
            String checkId = in.readString("check id");
            String name = in.readString("check name");
            String status = in.readString("check status");
            String notes = in.readString("check notes");
            String output = in.readString("check output");
            String serviceId = in.readString("check service id");
            String serviceName = in.readString("check service name");
            List<String> tags = in.readStringList("check service tags");
            String type = in.readString("check type");
            String http = in.readString("check http");
            String tlsServerName = in.readString("check tls server name");
            boolean skipVerify = in.readBoolean("check tls skip verify");
            int n = in.readCount("check header count");
            Map<String, List<String>> header = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = in.readString("check header name");
                if (header.put(key, in.readStringList("check header values")) != null) {
                    throw new IOException("corrupt snapshot: duplicate check header " + key);
                }
            }
            String method = in.readString("check method");
            String body = in.readString("check body");
            String tcp = in.readString("check tcp");
            Duration interval = Duration.ofNanos(in.readLong("check interval"));
            Duration timeout = Duration.ofNanos(in.readLong("check timeout"));
            Duration dcsa = Duration.ofNanos(in.readLong("check deregister critical service after"));
            CheckDefinition def = new CheckDefinition(http, tlsServerName, skipVerify, header, method, body, tcp,
                    interval, timeout, dcsa);
            return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, tags, type, def,
                    in.readNonNegativeLong("check create index"), in.readNonNegativeLong("check modify index"));
        }
    }
}
