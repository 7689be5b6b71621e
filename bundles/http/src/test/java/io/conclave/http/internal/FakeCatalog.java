package io.conclave.http.internal;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A catalog over three sorted maps, honest about what HTTP depends on: case-insensitive names, every
 * write raising one index that every read answers with, a blocking read parking until a write lifts the
 * index above {@code minIndex} or its wait ends (without holding a thread), and Consul's texts for the
 * refusals the HTTP tests provoke. The real semantics (per-service indexes, …) are the store's and are
 * tested there.
 */
final class FakeCatalog implements CatalogEndpoint {

    private record Svc(String node, NodeService service) {
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final TreeMap<String, Svc> services = new TreeMap<>();
    private final TreeMap<String, HealthCheck> checks = new TreeMap<>();
    private final FakeBlocking blocking = new FakeBlocking(this, "fake-catalog");
    private long index = 1;
    volatile QueryOptions lastOptions;
    volatile Map<String, String> lastNodeMeta;
    volatile List<String> lastTags;
    volatile RegisterRequest lastRegister;
    volatile DeregisterRequest lastDeregister;

    private static String k(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized CompletionStage<Void> register(RegisterRequest r) {
        lastRegister = r;
        if (r.node().node().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        for (HealthCheck c : r.checks()) {
            String sid = c.serviceId();
            boolean inRequest = r.service() != null && k(r.service().id().isEmpty() ? r.service().service() : r.service().id()).equals(k(sid));
            if (!sid.isEmpty() && !inRequest && !services.containsKey(k(r.node().node()) + "/" + k(sid))) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "failed inserting check: Missing service registration"));
            }
        }
        index++;
        Node old = nodes.get(k(r.node().node()));
        if (old == null || !r.skipNodeUpdate()) {
            nodes.put(k(r.node().node()), r.node().withIndexes(old == null ? index : old.createIndex(), index));
        }
        if (r.service() != null) {
            NodeService s = r.service();
            String id = s.id().isEmpty() ? s.service() : s.id();
            s = new NodeService(s.kind(), id, s.service(), s.tags(), s.address(), s.taggedAddresses(), s.meta(), s.port(),
                    s.weights(), s.enableTagOverride(), index, index);
            services.put(k(r.node().node()) + "/" + k(id), new Svc(r.node().node(), s));
        }
        for (HealthCheck c : r.checks()) {
            String node = c.node().isEmpty() ? r.node().node() : c.node();
            String id = c.checkId().isEmpty() ? c.name() : c.checkId();
            Svc svc = services.get(k(node) + "/" + k(c.serviceId()));
            checks.put(k(node) + "/" + k(id), new HealthCheck(node, id, c.name(), c.status().isEmpty() ? "critical" : c.status(),
                    c.notes(), c.output(), c.serviceId(), svc == null ? "" : svc.service().service(),
                    svc == null ? List.of() : svc.service().tags(), c.type(), c.definition(), index, index));
        }
        blocking.wake();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> deregister(DeregisterRequest d) {
        lastDeregister = d;
        if (d.node().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Must provide node"));
        }
        index++;
        String n = k(d.node());
        if (!d.serviceId().isEmpty()) {
            services.remove(n + "/" + k(d.serviceId()));
            checks.values().removeIf(c -> k(c.node()).equals(n) && k(c.serviceId()).equals(k(d.serviceId())));
        } else if (!d.checkId().isEmpty()) {
            checks.remove(n + "/" + k(d.checkId()));
        } else {
            nodes.remove(n);
            services.values().removeIf(s -> k(s.node()).equals(n));
            checks.values().removeIf(c -> k(c.node()).equals(n));
        }
        blocking.wake();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<String> datacenters() {
        return List.of("dc1");
    }

    @Override
    public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
        return read(options, () -> new Indexed<>(index, List.copyOf(nodes.values())));
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
        return services(Map.of(), options);
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(Map<String, String> nodeMeta, QueryOptions options) {
        lastNodeMeta = nodeMeta;
        return read(options, () -> {
            Map<String, TreeSet<String>> m = new TreeMap<>();
            for (Svc s : services.values()) {
                if (CatalogResource.satisfies(nodes.get(k(s.node())), nodeMeta)) {
                    m.computeIfAbsent(s.service().service(), x -> new TreeSet<>()).addAll(s.service().tags());
                }
            }
            Map<String, List<String>> out = new LinkedHashMap<>();
            m.forEach((name, tags) -> out.put(name, List.copyOf(tags)));
            return new Indexed<>(index, out);
        });
    }

    private List<Svc> instances(String name, List<String> tags) {
        List<Svc> out = new ArrayList<>();
        for (Svc s : services.values()) {
            if (k(s.service().service()).equals(k(name)) && tags.stream().allMatch(t -> s.service().tags().stream()
                    .anyMatch(x -> x.equalsIgnoreCase(t)))) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags, QueryOptions options) {
        lastTags = tags;
        return read(options, () -> new Indexed<>(index, instances(name, tags).stream()
                .map(s -> new ServiceInstance(nodes.get(k(s.node())), s.service())).toList()));
    }

    @Override
    public CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
        return read(options, () -> {
            Node n = nodes.get(k(node));
            if (n == null) {
                return new Indexed<>(index, Optional.empty());
            }
            Map<String, NodeService> m = new LinkedHashMap<>();
            services.values().stream().filter(s -> k(s.node()).equals(k(node))).forEach(s -> m.put(s.service().id(), s.service()));
            return new Indexed<>(index, Optional.of(new NodeServices(n, m)));
        });
    }

    // ---- health ----

    /** The health endpoint over the same maps (its {@code node} differs from the catalog's in return type). */
    final HealthEndpoint health = new Health();

    private final class Health implements HealthEndpoint {

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
            return read(options, () -> new Indexed<>(index, checksOf(c -> k(c.node()).equals(k(node)))));
        }

        private List<HealthCheck> checksOf(java.util.function.Predicate<HealthCheck> p) {
            return checks.values().stream().filter(p).toList();
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
            return checks(service, Map.of(), options);
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, Map<String, String> nodeMeta, QueryOptions options) {
            lastNodeMeta = nodeMeta;
            return read(options, () -> new Indexed<>(index, checksOf(c -> k(c.serviceName()).equals(k(service))
                    && CatalogResource.satisfies(nodes.get(k(c.node())), nodeMeta))));
        }

        @Override
        public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags, boolean passingOnly,
                                                                            QueryOptions options) {
            lastTags = tags;
            return read(options, () -> {
                List<CheckServiceNode> out = new ArrayList<>();
                for (Svc s : instances(name, tags)) {
                    List<HealthCheck> cs = new ArrayList<>(checksOf(c -> k(c.node()).equals(k(s.node())) && c.serviceId().isEmpty()));
                    cs.addAll(checksOf(c -> k(c.node()).equals(k(s.node())) && k(c.serviceId()).equals(k(s.service().id()))));
                    if (!passingOnly || cs.stream().allMatch(c -> c.status().equals("passing"))) {
                        out.add(new CheckServiceNode(nodes.get(k(s.node())), s.service(), cs));
                    }
                }
                return new Indexed<>(index, out);
            });
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
            return state(state, Map.of(), options);
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, Map<String, String> nodeMeta, QueryOptions options) {
            lastNodeMeta = nodeMeta;
            return read(options, () -> new Indexed<>(index, checksOf(c -> (state.equals("any") || c.status().equals(state))
                    && CatalogResource.satisfies(nodes.get(k(c.node())), nodeMeta))));
        }

    }

    // ---- blocking ----

    int parked() {
        return blocking.parked();
    }

    synchronized long index() {
        return index;
    }

    private <T> CompletionStage<QueryResult<T>> read(QueryOptions options, Supplier<Indexed<T>> query) {
        lastOptions = options;
        return blocking.read(options, query);
    }

    void close() {
        blocking.close();
    }
}
