package io.conclave.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.catalog.Weights;
import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CatalogEndpointImplTest {

    private final TestCluster cluster = new TestCluster();
    private final CatalogEndpointImpl catalog = new CatalogEndpointImpl(cluster.store, cluster.consensus,
            Map.of("datacenter", "dc7"));

    @AfterEach
    void stop() {
        cluster.close();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static Node node(String name) {
        return new Node("", name, "10.0.0.1", "", Map.of(), Map.of(), 0, 0);
    }

    static NodeService service(String id, String name, String... tags) {
        return new NodeService("", id, name, List.of(tags), "", Map.of(), Map.of(), 80, Weights.DEFAULT, false, 0, 0);
    }

    static HealthCheck check(String checkId, String name, String status, String serviceId) {
        return new HealthCheck("", checkId, name, status, "", "", serviceId, "", List.of(), "", CheckDefinition.EMPTY, 0, 0);
    }

    private String refusal(RegisterRequest r) {
        Exception e = assertThrows(Exception.class, () -> await(catalog.register(r)));
        assertInstanceOf(IllegalArgumentException.class, e);
        return e.getMessage();
    }

    @Test
    void registerIsCheckedWithConsulsTexts() {
        assertEquals("Must provide node", refusal(new RegisterRequest(node(""), null, null, false)));
        assertEquals("Bad node ID: uuid string is wrong length", refusal(new RegisterRequest(
                new Node("abc", "n1", "10.0.0.1", "", Map.of(), Map.of(), 0, 0), null, null, false)));
        assertEquals("Bad node ID: uuid is improperly formatted", refusal(new RegisterRequest(
                new Node("0b5e3e52x8b63-4c43-9d31-6c2f1a0e0c11", "n1", "10.0.0.1", "", Map.of(), Map.of(), 0, 0), null, null, false)));
        assertEquals("Bad node ID: encoding/hex: invalid byte: U+0067 'g'", refusal(new RegisterRequest(
                new Node("gb5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "n1", "10.0.0.1", "", Map.of(), Map.of(), 0, 0), null, null, false)));
        assertEquals("Must provide address if SkipNodeUpdate is not set", refusal(new RegisterRequest(
                new Node("", "n1", "", "", Map.of(), Map.of(), 0, 0), null, null, false)));
        assertEquals("Must provide service name with ID", refusal(new RegisterRequest(node("n1"), service("id", ""), null, false)));
        NodeService any = new NodeService("", "s", "s", List.of(), "0.0.0.0", Map.of(), Map.of(), 1, null, false, 0, 0);
        assertEquals("Invalid service address", refusal(new RegisterRequest(node("n1"), any, null, false)));
        assertEquals(0, cluster.machine.lastIndex(), "nothing was proposed");
    }

    @Test
    void anotherDatacenterHasNoPath() {
        RegisterRequest r = new RegisterRequest(new Node("", "n1", "10.0.0.1", "dc2", Map.of(), Map.of(), 0, 0), null, null, false);
        Exception e = assertThrows(Exception.class, () -> await(catalog.register(r)));
        assertInstanceOf(DatacenterNotFoundException.class, e);
        assertEquals("No path to datacenter", e.getMessage());
        e = assertThrows(Exception.class, () -> await(catalog.nodes(new QueryOptions("dc2", 0, Duration.ofSeconds(1), Consistency.DEFAULT))));
        assertInstanceOf(DatacenterNotFoundException.class, e);
    }

    @Test
    void defaultsAreFilledInAsConsulDoes() throws Exception {
        await(catalog.register(new RegisterRequest(node("n1"), service("", "web"),
                List.of(check("", "web check", "", "web")), false)));
        ServiceInstance web = await(catalog.service("web", List.of(), QueryOptions.now())).value().get(0);
        assertEquals("web", web.service().id(), "the ID defaults to the name");
        assertEquals("dc7", web.node().datacenter(), "the datacenter defaults to the server's");
        HealthCheck c = cluster.store.view().healthNodeChecks("n1").value().get(0);
        assertEquals("web check", c.checkId(), "the check ID defaults to its name");
        assertEquals("n1", c.node(), "the check node defaults to the request's");
        assertEquals("critical", c.status());
    }

    @Test
    void aCheckForAnUnknownServiceFailsWithTheStoresText() {
        Exception e = assertThrows(Exception.class, () -> await(catalog.register(new RegisterRequest(node("n1"), null,
                List.of(check("c", "c", "passing", "nope")), false))));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("failed inserting check: Missing service registration", e.getMessage());
        assertTrue(cluster.store.view().catalogNodes().value().isEmpty());
    }

    @Test
    void readsAnswerWithIndexAndLeaderMeta() throws Exception {
        await(catalog.register(new RegisterRequest(node("n1"), service("web1", "web", "a", "b"), null, false)));
        await(catalog.register(new RegisterRequest(node("n2"), service("web2", "web", "a"), null, false)));
        QueryResult<List<Node>> nodes = await(catalog.nodes(QueryOptions.now()));
        assertEquals(2, nodes.value().size());
        assertEquals(2, nodes.meta().index());
        assertTrue(nodes.meta().knownLeader());
        assertEquals(Map.of("web", List.of("a", "b")), await(catalog.services(QueryOptions.now())).value());
        assertEquals(List.of("web1"), await(catalog.service("web", List.of("b"), QueryOptions.now())).value()
                .stream().map(i -> i.service().id()).toList());
        assertEquals(List.of("dc7"), catalog.datacenters());
        QueryResult<Optional<NodeServices>> n2 = await(catalog.node("N2", QueryOptions.now()));
        assertEquals(List.of("web2"), List.copyOf(n2.value().orElseThrow().services().keySet()));
        QueryResult<Optional<NodeServices>> none = await(catalog.node("nobody", QueryOptions.now()));
        assertFalse(none.value().isPresent());
        assertEquals(1, none.meta().index(), "0 is raised to 1");
    }

    @Test
    void datacentersAreThisOneFirstThenEveryOtherWithAServerInTheWanPool() {
        FakeMembership wan = new FakeMembership();
        wan.members.add(server("s1.dc7", "dc7", 1));
        wan.members.add(server("s1.dc9", "dc9", 4)); // failed: still a known datacenter, as Consul's router keeps it
        wan.members.add(server("s2.dc9", "dc9", 1));
        wan.members.add(server("s1.dc8", "dc8", 1));
        wan.members.add(server("s1.dc5", "dc5", 3)); // left: gone
        catalog.wan = wan;
        assertEquals(List.of("dc7", "dc8", "dc9"), catalog.datacenters());
    }

    private static io.conclave.api.agent.Member server(String name, String dc, int status) {
        return new io.conclave.api.agent.Member(name, "127.0.0.1", 8302, Map.of("role", "consul", "dc", dc, "port", "8300"),
                status, 1, 5, 2, 2, 5, 4);
    }

    @Test
    void deregisterNeedsANodeAndRemovesIt() throws Exception {
        Exception e = assertThrows(Exception.class, () -> await(catalog.deregister(new DeregisterRequest("", null, null))));
        assertEquals("Must provide node", e.getMessage());
        await(catalog.register(new RegisterRequest(node("n1"), service("web1", "web"), null, false)));
        await(catalog.deregister(new DeregisterRequest("n1", null, null)));
        assertTrue(await(catalog.nodes(QueryOptions.now())).value().isEmpty());
    }

    @Test
    void aBlockingServiceReadWakesOnItsServiceNotAnother() throws Exception {
        await(catalog.register(new RegisterRequest(node("n1"), service("web1", "web"), null, false)));
        long index = await(catalog.service("web", List.of(), QueryOptions.now())).meta().index();
        CompletableFuture<QueryResult<List<ServiceInstance>>> parked = catalog.service("web", List.of(),
                new QueryOptions(null, index, Duration.ofMinutes(5), Consistency.DEFAULT)).toCompletableFuture();
        await(catalog.register(new RegisterRequest(node("n1"), service("db1", "db"), null, false)));
        assertFalse(parked.isDone());
        await(catalog.register(new RegisterRequest(node("n2"), service("web2", "web"), null, false)));
        assertEquals(2, await(parked).value().size());
    }

    @Test
    void cancellingAParkedReadReleasesTheStoreQuery() throws Exception {
        CompletableFuture<QueryResult<List<Node>>> parked = catalog.nodes(
                new QueryOptions(null, 5, Duration.ofMinutes(5), Consistency.DEFAULT)).toCompletableFuture();
        assertEquals(1, cluster.store.parkedQueries());
        parked.cancel(false);
        assertEquals(0, cluster.store.parkedQueries());
    }

    @Test
    void consistentReadsAskTheLeaderFirst() throws Exception {
        await(catalog.nodes(new QueryOptions(null, 0, Duration.ofSeconds(1), Consistency.CONSISTENT)));
        assertEquals(1, cluster.consensus.verifications.get());
        cluster.consensus.leader = false;
        Exception e = assertThrows(Exception.class,
                () -> await(catalog.nodes(new QueryOptions(null, 0, Duration.ofSeconds(1), Consistency.CONSISTENT))));
        assertInstanceOf(NotLeaderException.class, e);
        QueryResult<List<Node>> stale = await(catalog.nodes(new QueryOptions(null, 0, Duration.ofSeconds(1), Consistency.STALE)));
        assertFalse(stale.meta().knownLeader());
        assertEquals(1234, stale.meta().lastContactMillis());
    }
}
