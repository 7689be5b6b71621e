package io.conclave.dns.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dev agent in dc1 whose catalog is whatever the test registers: nodes, service instances and
 * checks, answered through fake Catalog and Health endpoints with Consul's lookup rules (names match
 * exactly; a service's rows carry its node's checks and its own). dc2 is known and empty; any other
 * datacenter fails with {@link DatacenterNotFoundException}. Every read's options are recorded.
 */
final class FakeAgent implements Agent {

    final Map<String, Node> nodes = new java.util.concurrent.ConcurrentHashMap<>();
    final List<ServiceInstance> instances = new CopyOnWriteArrayList<>();
    final List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    final List<QueryOptions> reads = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    private final Catalog catalog = new Catalog();
    private final HealthImpl health = new HealthImpl();

    FakeAgent node(String name, String address, Map<String, String> meta) {
        return node(name, address, Map.of(), meta);
    }

    synchronized FakeAgent node(String name, String address, Map<String, String> tagged, Map<String, String> meta) {
        nodes.put(name, new Node("", name, address, "dc1", tagged, meta, 1, 1));
        checks.add(check(name, Health.SERF_CHECK_ID, "", "", Health.PASSING));
        return this;
    }

    FakeAgent service(String node, String id, String name, int port, String address, List<String> tags) {
        return service(node, id, name, port, address, tags, Weights.DEFAULT, Map.of());
    }

    FakeAgent service(String node, String id, String name, int port, String address, List<String> tags, Weights w,
                      Map<String, ServiceAddress> tagged) {
        NodeService s = new NodeService("", id, name, tags, address, tagged, Map.of(), port, w, false, 1, 1);
        instances.add(new ServiceInstance(nodes.get(node), s));
        return this;
    }

    /** A service-level check on instance {@code serviceId} of {@code node} ("" for a node-level one). */
    FakeAgent check(String node, String checkId, String serviceId, String status) {
        String serviceName = "";
        for (ServiceInstance i : instances) {
            if (i.node().node().equals(node) && i.service().id().equals(serviceId)) {
                serviceName = i.service().service();
            }
        }
        checks.add(check(node, checkId, serviceId, serviceName, status));
        return this;
    }

    /** Sets every check called {@code checkId} on {@code node} to {@code status}. */
    FakeAgent status(String node, String checkId, String status) {
        for (HealthCheck c : checks) {
            if (c.node().equals(node) && c.checkId().equals(checkId)) {
                checks.set(checks.indexOf(c), c.withStatus(status, ""));
            }
        }
        return this;
    }

    private static HealthCheck check(String node, String id, String serviceId, String serviceName, String status) {
        return new HealthCheck(node, id, id, status, "", "", serviceId, serviceName, List.of(), "", null, 1, 1);
    }

    private <T> CompletionStage<QueryResult<T>> read(QueryOptions o, java.util.function.Supplier<T> value) {
        reads.add(o);
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("No cluster leader"));
        }
        if (o.datacenter() != null && !o.datacenter().equals("dc2")) {
            return CompletableFuture.failedFuture(new DatacenterNotFoundException(o.datacenter()));
        }
        boolean remote = o.datacenter() != null;
        return CompletableFuture.completedFuture(new QueryResult<>(remote ? empty(value.get()) : value.get(),
                new QueryMeta(1, true, 0)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T empty(T v) {
        if (v instanceof List) {
            return (T) List.of();
        }
        if (v instanceof Map) {
            return (T) Map.of();
        }
        return (T) Optional.empty();
    }

    final class Catalog implements CatalogEndpoint {
        @Override
        public CompletionStage<Void> register(RegisterRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> deregister(DeregisterRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> datacenters() {
            return List.of("dc1", "dc2");
        }

        @Override
        public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
            return read(options, () -> List.copyOf(nodes.values()));
        }

        @Override
        public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
            return read(options, () -> {
                Map<String, TreeSet<String>> tags = new TreeMap<>();
                for (ServiceInstance i : instances) {
                    tags.computeIfAbsent(i.service().service(), k -> new TreeSet<>()).addAll(i.service().tags());
                }
                Map<String, List<String>> out = new TreeMap<>();
                tags.forEach((k, v) -> out.put(k, List.copyOf(v)));
                return out;
            });
        }

        @Override
        public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags,
                                                                          QueryOptions options) {
            throw new UnsupportedOperationException("DNS reads instances through health");
        }

        @Override
        public CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
            return read(options, () -> {
                Node n = nodes.get(node);
                if (n == null) {
                    return Optional.empty();
                }
                Map<String, NodeService> services = new LinkedHashMap<>();
                for (ServiceInstance i : instances) {
                    if (i.node().node().equals(node)) {
                        services.put(i.service().id(), i.service());
                    }
                }
                return Optional.of(new NodeServices(n, services));
            });
        }
    }

    final class HealthImpl implements HealthEndpoint {
        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags,
                                                                           boolean passingOnly, QueryOptions options) {
            return read(options, () -> {
                List<CheckServiceNode> out = new ArrayList<>();
                for (ServiceInstance i : instances) {
                    if (!i.service().service().equals(name) || !i.service().tags().containsAll(tags)) {
                        continue;
                    }
                    List<HealthCheck> cs = new ArrayList<>();
                    for (HealthCheck c : checks) {
                        if (c.node().equals(i.node().node())
                                && (c.serviceId().isEmpty() || c.serviceId().equals(i.service().id()))) {
                            cs.add(c);
                        }
                    }
                    out.add(new CheckServiceNode(i.node(), i.service(), cs));
                }
                return out;
            });
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public AgentIdentity identity() {
        return new AgentIdentity("dc1", "node-1", "0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", true, "1.9.0", "conclave",
                "127.0.0.1", "127.0.0.1", 8500, 8600, 8300, 8301, 8302);
    }

    @Override
    public CatalogEndpoint catalog() {
        return catalog;
    }

    @Override
    public HealthEndpoint health() {
        return health;
    }

    @Override
    public KvEndpoint kv() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConsensusStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Member> members(boolean wan) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Member self() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void leave() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, NodeService> services() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<NodeService> service(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void registerService(Map<String, Object> definition, boolean replaceExistingChecks) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deregisterService(String serviceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, HealthCheck> checks() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void registerCheck(Map<String, Object> definition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deregisterCheck(String checkId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void updateCheck(String checkId, String status, String output) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setNodeMaintenance(boolean enable, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setServiceMaintenance(String serviceId, boolean enable, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> checkTypes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reload() {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.concurrent.CompletionStage<Integer> join(List<String> addresses, boolean wan) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean forceLeave(String node, boolean prune, boolean wan) {
        throw new UnsupportedOperationException();
    }

    @Override
    public io.conclave.api.gossip.UserEvent fireEvent(String name, byte[] payload, String nodeFilter,
                                                      String serviceFilter, String tagFilter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.concurrent.CompletionStage<io.conclave.api.query.QueryResult<List<io.conclave.api.gossip.UserEvent>>>
            events(String name, io.conclave.api.query.QueryOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.concurrent.CompletionStage<List<io.conclave.api.gossip.KeyringResponse>> keyring(
            io.conclave.api.gossip.KeyringOperation operation, String key) {
        throw new UnsupportedOperationException();
    }
}
