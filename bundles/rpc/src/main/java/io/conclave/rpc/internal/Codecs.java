package io.conclave.rpc.internal;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Hand-written encodings of the api records that travel over RPC: no reflection, every record a
 * {@link WireWriter#struct struct} so a field can be appended to it later (older readers skip it, newer
 * readers default it when absent). Field order is the record's declaration order and is fixed forever.
 */
final class Codecs {

    private Codecs() {
    }

    // ---- query options and meta ----

    /** Fixed codes: never renumber (enum ordinals would change if a constant were inserted). */
    static int consistencyCode(Consistency c) {
        return switch (c) {
            case DEFAULT -> 0;
            case STALE -> 1;
            case CONSISTENT -> 2;
        };
    }

    static Consistency consistency(int code, WireReader r) {
        return switch (code) {
            case 0 -> Consistency.DEFAULT;
            case 1 -> Consistency.STALE;
            case 2 -> Consistency.CONSISTENT;
            default -> throw r.malformed("unknown consistency mode " + code);
        };
    }

    static void options(WireWriter w, QueryOptions o) {
        w.struct(o, (out, v) -> {
            out.nullableStr(v.datacenter());
            out.i64(v.minIndex());
            out.i64(v.maxWait().toNanos());
            out.u8(consistencyCode(v.consistency()));
        });
    }

    static QueryOptions options(WireReader r) {
        return r.struct(in -> {
            String dc = in.nullableStr();
            long minIndex = in.i64();
            long waitNanos = in.i64();
            if (minIndex < 0 || waitNanos < 0) {
                throw in.malformed("negative index or wait");
            }
            Consistency c = consistency(in.u8(), in);
            return new QueryOptions(dc, minIndex, Duration.ofNanos(waitNanos), c);
        });
    }

    static void meta(WireWriter w, QueryMeta m) {
        w.struct(m, (out, v) -> out.i64(v.index()).bool(v.knownLeader()).i64(v.lastContactMillis()));
    }

    static QueryMeta meta(WireReader r) {
        return r.struct(in -> new QueryMeta(in.i64(), in.bool(), in.i64()));
    }

    // ---- KV ----

    static void kvEntry(WireWriter w, KvEntry e) {
        w.struct(e, (out, v) -> out.str(v.key()).i64(v.createIndex()).i64(v.modifyIndex()).i64(v.lockIndex())
                .i64(v.flags()).nullableBytes(v.value()).nullableStr(v.session()));
    }

    static KvEntry kvEntry(WireReader r) {
        return r.struct(in -> new KvEntry(in.str(), in.i64(), in.i64(), in.i64(), in.i64(), in.nullableBytes(),
                in.nullableStr()));
    }

    // ---- catalog ----

    static void node(WireWriter w, Node n) {
        w.struct(n, (out, v) -> out.str(v.id()).str(v.node()).str(v.address()).str(v.datacenter())
                .strMap(v.taggedAddresses()).strMap(v.meta()).i64(v.createIndex()).i64(v.modifyIndex()));
    }

    static Node node(WireReader r) {
        return r.struct(in -> new Node(in.str(), in.str(), in.str(), in.str(), in.strMap(), in.strMap(), in.i64(),
                in.i64()));
    }

    static void service(WireWriter w, NodeService s) {
        w.struct(s, (out, v) -> {
            out.str(v.kind()).str(v.id()).str(v.service()).strList(v.tags()).str(v.address());
            out.map(v.taggedAddresses(), (o, a) -> o.str(a.address()).i32(a.port()));
            out.strMap(v.meta()).i32(v.port()).i32(v.weights().passing()).i32(v.weights().warning())
                    .bool(v.enableTagOverride()).i64(v.createIndex()).i64(v.modifyIndex());
        });
    }

    static NodeService service(WireReader r) {
        return r.struct(in -> {
            String kind = in.str();
            String id = in.str();
            String name = in.str();
            List<String> tags = in.strList();
            String address = in.str();
            Map<String, ServiceAddress> tagged = in.map(12, a -> new ServiceAddress(a.str(), a.i32()),
                    "tagged address key");
            Map<String, String> meta = in.strMap();
            int port = in.i32();
            Weights weights = new Weights(in.i32(), in.i32());
            boolean eto = in.bool();
            return new NodeService(kind, id, name, tags, address, tagged, meta, port, weights, eto, in.i64(), in.i64());
        });
    }

    static void check(WireWriter w, HealthCheck c) {
        w.struct(c, (out, v) -> {
            out.str(v.node()).str(v.checkId()).str(v.name()).str(v.status()).str(v.notes()).str(v.output())
                    .str(v.serviceId()).str(v.serviceName()).strList(v.serviceTags()).str(v.type());
            out.struct(v.definition(), Codecs::definitionFields);
            out.i64(v.createIndex()).i64(v.modifyIndex());
        });
    }

    private static void definitionFields(WireWriter out, CheckDefinition d) {
        out.str(d.http()).str(d.tlsServerName()).bool(d.tlsSkipVerify());
        out.map(d.header(), WireWriter::strList);
        out.str(d.method()).str(d.body()).str(d.tcp()).i64(d.interval().toNanos()).i64(d.timeout().toNanos())
                .i64(d.deregisterCriticalServiceAfter().toNanos());
    }

    private static CheckDefinition definition(WireReader in) {
        String http = in.str();
        String tlsServerName = in.str();
        boolean skipVerify = in.bool();
        Map<String, List<String>> header = in.map(8, WireReader::strList, "header name");
        return new CheckDefinition(http, tlsServerName, skipVerify, header, in.str(), in.str(), in.str(),
                Duration.ofNanos(in.i64()), Duration.ofNanos(in.i64()), Duration.ofNanos(in.i64()));
    }

    static HealthCheck check(WireReader r) {
        return r.struct(in -> {
            String node = in.str();
            String checkId = in.str();
            String name = in.str();
            String status = in.str();
            String notes = in.str();
            String output = in.str();
            String serviceId = in.str();
            String serviceName = in.str();
            List<String> serviceTags = in.strList();
            String type = in.str();
            CheckDefinition def = in.struct(Codecs::definition);
            return new HealthCheck(node, checkId, name, status, notes, output, serviceId, serviceName, serviceTags,
                    type, def, in.i64(), in.i64());
        });
    }

    static void instance(WireWriter w, ServiceInstance s) {
        w.struct(s, (out, v) -> {
            node(out, v.node());
            service(out, v.service());
        });
    }

    static ServiceInstance instance(WireReader r) {
        return r.struct(in -> new ServiceInstance(node(in), service(in)));
    }

    static void checkServiceNode(WireWriter w, CheckServiceNode c) {
        w.struct(c, (out, v) -> {
            node(out, v.node());
            service(out, v.service());
            out.list(v.checks(), Codecs::check);
        });
    }

    static CheckServiceNode checkServiceNode(WireReader r) {
        return r.struct(in -> new CheckServiceNode(node(in), service(in), in.list(4, Codecs::check)));
    }

    static void nodeServices(WireWriter w, NodeServices ns) {
        w.struct(ns, (out, v) -> {
            node(out, v.node());
            out.map(v.services(), Codecs::service);
        });
    }

    static NodeServices nodeServices(WireReader r) {
        return r.struct(in -> {
            Node node = node(in);
            return new NodeServices(node, in.map(8, Codecs::service, "service ID"));
        });
    }

    /** Service name → tags, in the server's order. */
    static void serviceTags(WireWriter w, Map<String, List<String>> services) {
        w.map(services, WireWriter::strList);
    }

    static Map<String, List<String>> serviceTags(WireReader r) {
        return r.map(8, WireReader::strList, "service name");
    }
}
