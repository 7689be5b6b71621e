package io.conclave.rpc.internal;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The calls of the RPC port, named as Consul's RPC methods are. The table is append-only: a method's
 * name and encoding never change; a call that needs a different shape is a new method (a new name), and
 * a struct may only gain fields at its end. A server answers a name it does not know with an
 * {@link ErrorClass#UNKNOWN_METHOD} error, so a newer client talking to an older server fails one call
 * clearly instead of breaking the connection.
 */
final class Methods {

    private Methods() {
    }

    // ---- request shapes ----

    /** A call with no arguments. */
    enum Empty {
        INSTANCE
    }

    /** A read of one named thing (a key, a prefix, a node). */
    record NamedRead(String name, QueryOptions options) {
    }

    record KeysRead(String prefix, String separator, QueryOptions options) {
    }

    /** A read filtered by node metadata (empty = unfiltered; the server then calls the plain method). */
    record MetaRead(String name, Map<String, String> nodeMeta, QueryOptions options) {
    }

    record TaggedRead(String name, List<String> tags, boolean passingOnly, QueryOptions options) {
    }

    // ---- KV ----

    static final RpcMethod<NamedRead, QueryResult<Optional<KvEntry>>> KVS_GET = read("KVS.Get",
            Methods::writeNamed, Methods::readNamed,
            (w, v) -> {
                w.bool(v.isPresent());
                v.ifPresent(e -> Codecs.kvEntry(w, e));
            },
            r -> r.bool() ? Optional.of(Codecs.kvEntry(r)) : Optional.empty(),
            (e, q) -> e.kv().get(q.name(), q.options()));

    static final RpcMethod<NamedRead, QueryResult<List<KvEntry>>> KVS_LIST = read("KVS.List",
            Methods::writeNamed, Methods::readNamed,
            (w, v) -> w.list(v, Codecs::kvEntry), r -> r.list(4, Codecs::kvEntry),
            (e, q) -> e.kv().list(q.name(), q.options()));

    static final RpcMethod<KeysRead, QueryResult<List<String>>> KVS_KEYS = read("KVS.Keys",
            (w, q) -> {
                w.str(q.prefix()).nullableStr(q.separator());
                Codecs.options(w, q.options());
            },
            r -> new KeysRead(r.str(), r.nullableStr(), Codecs.options(r)),
            WireWriter::strList, WireReader::strList,
            (e, q) -> e.kv().keys(q.prefix(), q.separator(), q.options()));

    /** The request travels in its log encoding ({@link KvRequest#encode}), which is versioned already. */
    static final RpcMethod<KvRequest, Boolean> KVS_APPLY = new RpcMethod<>("KVS.Apply", false,
            (w, q) -> w.bytes(q.encode()), r -> KvRequest.decode(r.bytes()),
            WireWriter::bool, WireReader::bool,
            (e, q) -> e.kv().apply(q));

    // ---- catalog ----

    static final RpcMethod<RegisterRequest, Empty> CATALOG_REGISTER = new RpcMethod<>("Catalog.Register", false,
            (w, q) -> w.bytes(CatalogCommands.encode(q)), r -> CatalogCommands.decodeRegister(r.bytes()),
            Methods::writeEmpty, Methods::readEmpty,
            (e, q) -> e.catalog().register(q).thenApply(v -> Empty.INSTANCE));

    static final RpcMethod<DeregisterRequest, Empty> CATALOG_DEREGISTER = new RpcMethod<>("Catalog.Deregister",
            false,
            (w, q) -> w.bytes(CatalogCommands.encode(q)), r -> CatalogCommands.decodeDeregister(r.bytes()),
            Methods::writeEmpty, Methods::readEmpty,
            (e, q) -> e.catalog().deregister(q).thenApply(v -> Empty.INSTANCE));

    static final RpcMethod<Empty, List<String>> CATALOG_LIST_DATACENTERS = new RpcMethod<>(
            "Catalog.ListDatacenters", true,
            Methods::writeEmpty, Methods::readEmpty, WireWriter::strList, WireReader::strList,
            (e, q) -> now(() -> e.catalog().datacenters()));

    static final RpcMethod<QueryOptions, QueryResult<List<Node>>> CATALOG_LIST_NODES = read("Catalog.ListNodes",
            Codecs::options, Codecs::options,
            (w, v) -> w.list(v, Codecs::node), r -> r.list(4, Codecs::node),
            (e, q) -> e.catalog().nodes(q));

    static final RpcMethod<MetaRead, QueryResult<Map<String, List<String>>>> CATALOG_LIST_SERVICES = read(
            "Catalog.ListServices", Methods::writeMeta, Methods::readMeta,
            Codecs::serviceTags, Codecs::serviceTags,
            (e, q) -> q.nodeMeta().isEmpty() ? e.catalog().services(q.options())
                    : e.catalog().services(q.nodeMeta(), q.options()));

    static final RpcMethod<TaggedRead, QueryResult<List<ServiceInstance>>> CATALOG_SERVICE_NODES = read(
            "Catalog.ServiceNodes", Methods::writeTagged, Methods::readTagged,
            (w, v) -> w.list(v, Codecs::instance), r -> r.list(4, Codecs::instance),
            (e, q) -> e.catalog().service(q.name(), q.tags(), q.options()));

    static final RpcMethod<NamedRead, QueryResult<Optional<NodeServices>>> CATALOG_NODE_SERVICES = read(
            "Catalog.NodeServices", Methods::writeNamed, Methods::readNamed,
            (w, v) -> {
                w.bool(v.isPresent());
                v.ifPresent(ns -> Codecs.nodeServices(w, ns));
            },
            r -> r.bool() ? Optional.of(Codecs.nodeServices(r)) : Optional.empty(),
            (e, q) -> e.catalog().node(q.name(), q.options()));

    // ---- health ----

    static final RpcMethod<NamedRead, QueryResult<List<HealthCheck>>> HEALTH_NODE_CHECKS = read(
            "Health.NodeChecks", Methods::writeNamed, Methods::readNamed,
            Methods::writeChecks, Methods::readChecks,
            (e, q) -> e.health().node(q.name(), q.options()));

    static final RpcMethod<MetaRead, QueryResult<List<HealthCheck>>> HEALTH_SERVICE_CHECKS = read(
            "Health.ServiceChecks", Methods::writeMeta, Methods::readMeta,
            Methods::writeChecks, Methods::readChecks,
            (e, q) -> q.nodeMeta().isEmpty() ? e.health().checks(q.name(), q.options())
                    : e.health().checks(q.name(), q.nodeMeta(), q.options()));

    static final RpcMethod<TaggedRead, QueryResult<List<CheckServiceNode>>> HEALTH_SERVICE_NODES = read(
            "Health.ServiceNodes", Methods::writeTagged, Methods::readTagged,
            (w, v) -> w.list(v, Codecs::checkServiceNode), r -> r.list(4, Codecs::checkServiceNode),
            (e, q) -> e.health().service(q.name(), q.tags(), q.passingOnly(), q.options()));

    static final RpcMethod<MetaRead, QueryResult<List<HealthCheck>>> HEALTH_CHECKS_IN_STATE = read(
            "Health.ChecksInState", Methods::writeMeta, Methods::readMeta,
            Methods::writeChecks, Methods::readChecks,
            (e, q) -> q.nodeMeta().isEmpty() ? e.health().state(q.name(), q.options())
                    : e.health().state(q.name(), q.nodeMeta(), q.options()));

    // ---- status ----

    /** The leader's RPC address ({@code ip:port}), "" when none is known (Consul's {@code Status.Leader}). */
    static final RpcMethod<Empty, String> STATUS_LEADER = new RpcMethod<>("Status.Leader", true,
            Methods::writeEmpty, Methods::readEmpty, WireWriter::str, WireReader::str,
            (e, q) -> now(() -> e.consensus().status().leader()));

    static final RpcMethod<Empty, List<String>> STATUS_PEERS = new RpcMethod<>("Status.Peers", true,
            Methods::writeEmpty, Methods::readEmpty, WireWriter::strList, WireReader::strList,
            (e, q) -> now(() -> e.consensus().status().peers()));

    /**
     * The whole {@link ConsensusStatus} in one answer, so a client's {@code Consensus.status()} is one
     * consistent snapshot rather than two calls that may straddle a leader change.
     */
    static final RpcMethod<Empty, ConsensusStatus> STATUS_CONSENSUS = new RpcMethod<>("Status.Consensus", true,
            Methods::writeEmpty, Methods::readEmpty,
            (w, s) -> w.struct(s, (out, v) -> out.str(v.leader()).strList(v.peers()).bool(v.isLeader())
                    .i64(v.lastContactMillis())),
            r -> r.struct(in -> new ConsensusStatus(in.str(), in.strList(), in.bool(), in.i64())),
            (e, q) -> now(() -> e.consensus().status()));

    /** Every method by name: what the server dispatches on. */
    static final Map<String, RpcMethod<?, ?>> BY_NAME = table(KVS_GET, KVS_LIST, KVS_KEYS, KVS_APPLY,
            CATALOG_REGISTER, CATALOG_DEREGISTER, CATALOG_LIST_DATACENTERS, CATALOG_LIST_NODES,
            CATALOG_LIST_SERVICES, CATALOG_SERVICE_NODES, CATALOG_NODE_SERVICES,
            HEALTH_NODE_CHECKS, HEALTH_SERVICE_CHECKS, HEALTH_SERVICE_NODES, HEALTH_CHECKS_IN_STATE,
            STATUS_LEADER, STATUS_PEERS, STATUS_CONSENSUS);

    private static Map<String, RpcMethod<?, ?>> table(RpcMethod<?, ?>... methods) {
        Map<String, RpcMethod<?, ?>> byName = new LinkedHashMap<>();
        for (RpcMethod<?, ?> m : methods) {
            if (!Protocol.validMethodName(m.name()) || byName.put(m.name(), m) != null) {
                throw new IllegalStateException("bad or duplicate RPC method name " + m.name());
            }
        }
        return Map.copyOf(byName);
    }

    // ---- helpers ----

    /** A blocking read: the reply is the query meta followed by the value. */
    private static <Q, T> RpcMethod<Q, QueryResult<T>> read(String name,
                                                            BiConsumer<WireWriter, Q> requestWriter,
                                                            Function<WireReader, Q> requestReader,
                                                            BiConsumer<WireWriter, T> valueWriter,
                                                            Function<WireReader, T> valueReader,
                                                            java.util.function.BiFunction<Endpoints, Q,
                                                                    CompletionStage<QueryResult<T>>> handler) {
        return new RpcMethod<>(name, true, requestWriter, requestReader,
                (w, result) -> {
                    Codecs.meta(w, result.meta());
                    valueWriter.accept(w, result.value());
                },
                r -> {
                    var meta = Codecs.meta(r);
                    return new QueryResult<>(valueReader.apply(r), meta);
                },
                handler);
    }

    /** Runs a synchronous endpoint method, turning its exception into a failed stage. */
    private static <T> CompletionStage<T> now(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void writeEmpty(WireWriter w, Empty e) {
        // nothing: an empty payload (newer versions may append fields)
    }

    private static Empty readEmpty(WireReader r) {
        return Empty.INSTANCE;
    }

    private static void writeNamed(WireWriter w, NamedRead q) {
        w.str(q.name());
        Codecs.options(w, q.options());
    }

    private static NamedRead readNamed(WireReader r) {
        return new NamedRead(r.str(), Codecs.options(r));
    }

    private static void writeMeta(WireWriter w, MetaRead q) {
        w.str(q.name()).strMap(q.nodeMeta());
        Codecs.options(w, q.options());
    }

    private static MetaRead readMeta(WireReader r) {
        return new MetaRead(r.str(), r.strMap(), Codecs.options(r));
    }

    private static void writeTagged(WireWriter w, TaggedRead q) {
        w.str(q.name()).strList(q.tags()).bool(q.passingOnly());
        Codecs.options(w, q.options());
    }

    private static TaggedRead readTagged(WireReader r) {
        return new TaggedRead(r.str(), r.strList(), r.bool(), Codecs.options(r));
    }

    private static void writeChecks(WireWriter w, List<HealthCheck> checks) {
        w.list(checks, Codecs::check);
    }

    private static List<HealthCheck> readChecks(WireReader r) {
        return r.list(4, Codecs::check);
    }
}
