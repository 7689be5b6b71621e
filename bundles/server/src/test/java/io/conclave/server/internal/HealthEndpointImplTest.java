package io.conclave.server.internal;

import static io.conclave.server.internal.CatalogEndpointImplTest.await;
import static io.conclave.server.internal.CatalogEndpointImplTest.check;
import static io.conclave.server.internal.CatalogEndpointImplTest.node;
import static io.conclave.server.internal.CatalogEndpointImplTest.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthEndpointImplTest {

    private final TestCluster cluster = new TestCluster();
    private final CatalogEndpointImpl catalog = new CatalogEndpointImpl(cluster.store, cluster.consensus, Map.of());
    private final HealthEndpointImpl health = new HealthEndpointImpl(cluster.store, cluster.consensus, Map.of());

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void register(String node, String serviceId, String nodeStatus, String serviceStatus) throws Exception {
        await(catalog.register(new RegisterRequest(node(node), service(serviceId, "web"),
                List.of(check("serfHealth", "Serf Health Status", nodeStatus, ""),
                        check("service:" + serviceId, "web check", serviceStatus, serviceId)), false)));
    }

    private static List<String> ids(List<CheckServiceNode> l) {
        return l.stream().map(x -> x.service().id()).toList();
    }

    @Test
    void passingOnlyDropsInstancesWithAnyNonPassingCheckIncludingNodeChecks() throws Exception {
        register("n1", "a", "passing", "passing");
        register("n2", "b", "warning", "passing");
        register("n3", "c", "passing", "critical");
        register("n4", "d", "passing", "passing");
        assertEquals(List.of("a", "b", "c", "d"), ids(await(health.service("web", List.of(), false, QueryOptions.now())).value()));
        // Consul's filterNonPassing moves the last instance into each dropped one's place.
        assertEquals(List.of("a", "d"), ids(await(health.service("web", List.of(), true, QueryOptions.now())).value()));
    }

    @Test
    void onlyPassingKeepsConsulsSwapOrder() {
        List<CheckServiceNode> l = List.of(csn("a", "critical"), csn("b", "passing"), csn("c", "passing"), csn("d", "warning"),
                csn("e", "passing"));
        assertEquals(List.of("e", "b", "c"), ids(HealthEndpointImpl.onlyPassing(l)));
        assertTrue(HealthEndpointImpl.onlyPassing(List.of()).isEmpty());
    }

    private static CheckServiceNode csn(String id, String status) {
        Node n = new Node("", "n-" + id, "10.0.0.1", "dc1", Map.of(), Map.of(), 1, 1);
        HealthCheck c = new HealthCheck(n.node(), "c", "c", status, "", "", id, "web", List.of(), "", CheckDefinition.EMPTY, 1, 1);
        return new CheckServiceNode(n, service(id, "web"), List.of(c));
    }

    @Test
    void statesChecksAndNodes() throws Exception {
        register("n1", "a", "passing", "critical");
        register("n2", "b", "passing", "passing");
        assertEquals(1, await(health.state("critical", QueryOptions.now())).value().size());
        assertEquals(4, await(health.state("any", QueryOptions.now())).value().size());
        QueryResult<List<HealthCheck>> bogus = await(health.state("bogus", QueryOptions.now()));
        assertTrue(bogus.value().isEmpty(), "Consul does not refuse an unknown state");
        assertEquals(2, bogus.meta().index());
        assertEquals("Missing check state", assertThrows(Exception.class, () -> await(health.state("", QueryOptions.now()))).getMessage());
        assertEquals(2, await(health.checks("web", QueryOptions.now())).value().size());
        assertEquals(List.of("serfHealth", "service:a"), await(health.node("n1", QueryOptions.now())).value()
                .stream().map(HealthCheck::checkId).toList());
        assertTrue(await(health.checks("web", Map.of("rack", "x"), QueryOptions.now())).value().isEmpty());
    }

    @Test
    void aBlockingHealthReadWakesWhenAChecksStatusChanges() throws Exception {
        register("n1", "a", "passing", "passing");
        long index = await(health.service("web", List.of(), true, QueryOptions.now())).meta().index();
        CompletableFuture<QueryResult<List<CheckServiceNode>>> parked = health.service("web", List.of(), true,
                new QueryOptions(null, index, Duration.ofMinutes(5), Consistency.DEFAULT)).toCompletableFuture();
        assertFalse(parked.isDone());
        register("n1", "a", "critical", "passing");
        QueryResult<List<CheckServiceNode>> r = await(parked);
        assertTrue(r.value().isEmpty(), "no longer passing");
        assertTrue(r.meta().index() > index);
    }
}
