package io.conclave.agent.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An in-memory catalog of nodes, services and checks with Consul's register/deregister semantics; records each write. */
final class FakeCatalog implements CatalogEndpoint {

    final Map<String, Node> nodes = new TreeMap<>();
    final Map<String, Map<String, NodeService>> services = new TreeMap<>();
    final Map<String, Map<String, HealthCheck>> checks = new TreeMap<>();
    final List<Object> writes = new ArrayList<>();
    volatile RuntimeException failWrites;
    /** Thrown at once by every call, reads included, as a client's RPC proxy does when it knows no server. */
    volatile RuntimeException unreachable;

    private void reach() {
        RuntimeException e = unreachable;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public synchronized CompletionStage<Void> register(RegisterRequest r) {
        reach();
        if (failWrites != null) {
            return CompletableFuture.failedFuture(failWrites);
        }
        writes.add(r);
        String n = r.node().node();
        if (!(r.skipNodeUpdate() && nodes.containsKey(n))) {
            nodes.put(n, r.node());
        }
        if (r.service() != null) {
            services.computeIfAbsent(n, k -> new TreeMap<>()).put(r.service().id(), r.service());
        }
        for (HealthCheck c : r.checks()) {
            checks.computeIfAbsent(n, k -> new TreeMap<>()).put(c.checkId(), c);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> deregister(DeregisterRequest r) {
        reach();
        if (failWrites != null) {
            return CompletableFuture.failedFuture(failWrites);
        }
        writes.add(r);
        String n = r.node();
        if (!r.serviceId().isEmpty()) {
            services.getOrDefault(n, new TreeMap<>()).remove(r.serviceId());
            checks.getOrDefault(n, new TreeMap<>()).values().removeIf(c -> c.serviceId().equals(r.serviceId()));
        } else if (!r.checkId().isEmpty()) {
            checks.getOrDefault(n, new TreeMap<>()).remove(r.checkId());
        } else {
            nodes.remove(n);
            services.remove(n);
            checks.remove(n);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** What another writer (the servers) would put there. */
    synchronized void put(String node, NodeService service, HealthCheck... extra) {
        nodes.putIfAbsent(node, new Node("", node, "127.0.0.1", "dc1", Map.of(), Map.of(), 1, 1));
        if (service != null) {
            services.computeIfAbsent(node, k -> new TreeMap<>()).put(service.id(), service);
        }
        for (HealthCheck c : extra) {
            checks.computeIfAbsent(node, k -> new TreeMap<>()).put(c.checkId(), c);
        }
    }

    synchronized Map<String, NodeService> servicesOf(String node) {
        return Map.copyOf(services.getOrDefault(node, Map.of()));
    }

    synchronized Map<String, HealthCheck> checksOf(String node) {
        return Map.copyOf(checks.getOrDefault(node, Map.of()));
    }

    synchronized int writeCount() {
        return writes.size();
    }

    private static <T> CompletionStage<QueryResult<T>> now(T value) {
        return CompletableFuture.completedFuture(new QueryResult<>(value, new QueryMeta(1, true, 0)));
    }

    @Override
    public synchronized CompletionStage<QueryResult<Optional<NodeServices>>> node(String node, QueryOptions options) {
        reach();
        Node n = nodes.get(node);
        return now(n == null ? Optional.empty()
                : Optional.of(new NodeServices(n, services.getOrDefault(node, Map.of()))));
    }

    @Override
    public List<String> datacenters() {
        return List.of("dc1");
    }

    @Override
    public CompletionStage<QueryResult<List<Node>>> nodes(QueryOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<QueryResult<Map<String, List<String>>>> services(QueryOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<QueryResult<List<ServiceInstance>>> service(String name, List<String> tags,
                                                                       QueryOptions options) {
        throw new UnsupportedOperationException();
    }

    /** The health view of the same data. */
    final HealthEndpoint health = new HealthEndpoint() {
        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> node(String node, QueryOptions options) {
            synchronized (FakeCatalog.this) {
                reach();
                return now(List.copyOf(checks.getOrDefault(node, Map.of()).values()));
            }
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> checks(String service, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueryResult<List<CheckServiceNode>>> service(String name, List<String> tags,
                                                                            boolean passingOnly, QueryOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<QueryResult<List<HealthCheck>>> state(String state, QueryOptions options) {
            throw new UnsupportedOperationException();
        }
    };
}
