package io.conclave.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's reconciliation of gossip members into the catalog, against the real store. */
class MemberReconcileTest {

    private static final Map<String, Object> CONFIG = Map.of("node_name", "agent-one",
            "node_id", "11111111-1111-1111-1111-111111111111", "advertise_addr", "127.0.0.1", "datacenter", "dc1",
            "server_port", 8300, "version", "1.9.0");

    private final TestCluster cluster = new TestCluster();
    private final FakeMembership pool = new FakeMembership();
    private LeaderDuties duties;

    @BeforeEach
    void start() throws InterruptedException {
        pool.members.add(member("agent-one", "127.0.0.1", Member.STATUS_ALIVE, "consul", "dc1"));
        duties = new LeaderDuties(cluster.store, cluster.consensus, CONFIG);
        duties.bindLan(pool);
        await("this server registered", () -> serfHealth("agent-one").isPresent());
    }

    @AfterEach
    void stop() {
        duties.deactivate();
        cluster.close();
    }

    @Test
    void anAliveClientIsANodeWithSerfHealthPassingAndNoConsulService() throws InterruptedException {
        Member two = member("agent-two", "127.0.0.2", Member.STATUS_ALIVE, "node", "dc1");
        join(two);
        await("agent-two passing", () -> serfHealth("agent-two").map(c -> c.status().equals("passing")).orElse(false));
        Node node = node("agent-two").orElseThrow();
        assertEquals("127.0.0.2", node.address());
        assertEquals(idOf("agent-two"), node.id());
        assertEquals("Agent alive and reachable", serfHealth("agent-two").get().output());
        assertTrue(cluster.store.view().catalogNodeServices("agent-two").value().get().services().isEmpty());
    }

    @Test
    void anAliveServerAlsoGetsTheConsulServiceOnItsRpcPort() throws InterruptedException {
        join(member("agent-three", "127.0.0.3", Member.STATUS_ALIVE, "consul", "dc1"));
        await("agent-three's consul service", () -> cluster.store.view().catalogNodeServices("agent-three").value()
                .map(ns -> ns.services().containsKey("consul")).orElse(false));
        NodeService consul = cluster.store.view().catalogNodeServices("agent-three").value().get().services().get("consul");
        assertEquals(8300, consul.port());
        assertEquals("1.9.0", consul.meta().get("version"));
    }

    @Test
    void aFailedMemberKeepsItsNodeWithSerfHealthCriticalAndItsServicesStopPassing() throws InterruptedException {
        Member two = member("agent-two", "127.0.0.2", Member.STATUS_ALIVE, "node", "dc1");
        join(two);
        await("agent-two passing", () -> serfHealth("agent-two").map(c -> c.status().equals("passing")).orElse(false));
        registerWebOn("agent-two", "127.0.0.2");
        assertEquals(1, cluster.store.view().healthServiceNodes("web", List.of()).value().size());

        Member failed = withStatus(two, 4);
        pool.members.replaceAll(m -> m.name().equals("agent-two") ? failed : m);
        duties.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.FAILED, failed));
        await("agent-two critical", () -> serfHealth("agent-two").map(c -> c.status().equals("critical")).orElse(false));
        assertEquals("Agent not live or unreachable", serfHealth("agent-two").get().output());
        assertTrue(node("agent-two").isPresent(), "a failed node stays in the catalog");
        boolean anyPassing = cluster.store.view().healthServiceNodes("web", List.of()).value().stream()
                .allMatch(csn -> csn.checks().stream().allMatch(c -> c.status().equals("passing")));
        assertFalse(anyPassing, "web on a failed node is not passing");

        Member back = withStatus(two, Member.STATUS_ALIVE);
        pool.members.replaceAll(m -> m.name().equals("agent-two") ? back : m);
        duties.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.JOIN, back));
        await("agent-two passing again", () -> serfHealth("agent-two").map(c -> c.status().equals("passing")).orElse(false));
        assertTrue(cluster.store.view().catalogNodeServices("agent-two").value().get().services().containsKey("web"),
                "a returning member keeps the services its agent registered");
    }

    @Test
    void aMemberThatLeftOrWasReapedIsDeregistered() throws InterruptedException {
        Member two = member("agent-two", "127.0.0.2", Member.STATUS_ALIVE, "node", "dc1");
        Member three = member("agent-three", "127.0.0.3", Member.STATUS_ALIVE, "node", "dc1");
        join(two);
        join(three);
        await("both registered", () -> node("agent-two").isPresent() && node("agent-three").isPresent());

        Member left = withStatus(two, 3);
        pool.members.replaceAll(m -> m.name().equals("agent-two") ? left : m);
        duties.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.LEAVE, left));
        await("agent-two gone", () -> node("agent-two").isEmpty());

        pool.members.removeIf(m -> m.name().equals("agent-three"));
        duties.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.REAP, withStatus(three, 4)));
        await("agent-three gone", () -> node("agent-three").isEmpty());
        assertTrue(node("agent-one").isPresent(), "this server stays");
    }

    @Test
    void aFullPassRemovesGossipNodesNoLongerKnownButKeepsExternalOnes() throws InterruptedException {
        join(member("agent-two", "127.0.0.2", Member.STATUS_ALIVE, "node", "dc1"));
        await("agent-two registered", () -> node("agent-two").isPresent());
        registerWebOn("external-db", "10.0.0.9"); // registered through the catalog API: no serfHealth
        pool.members.removeIf(m -> m.name().equals("agent-two"));
        duties.bindLan(pool); // a changed gossip service starts a full pass
        await("agent-two reaped", () -> node("agent-two").isEmpty());
        assertTrue(node("external-db").isPresent());
    }

    @Test
    void serversOfAnotherDatacenterAreNotRegistered() throws InterruptedException {
        join(member("far-server", "127.0.0.9", Member.STATUS_ALIVE, "consul", "dc2"));
        join(member("agent-two", "127.0.0.2", Member.STATUS_ALIVE, "node", "dc1"));
        await("agent-two registered", () -> node("agent-two").isPresent());
        assertTrue(node("far-server").isEmpty());
    }

    // ---- helpers ----

    private void join(Member m) {
        pool.members.add(m);
        duties.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.JOIN, m));
    }

    private void registerWebOn(String nodeName, String address) {
        Node node = new Node("", nodeName, address, "dc1", Map.of(), Map.of(), 0, 0);
        NodeService web = new NodeService("web", "web", "web", List.of(), address, Map.of(), Map.of(), 80,
                io.conclave.api.catalog.Weights.DEFAULT, false, 0, 0);
        cluster.consensus.propose(Command.of(MessageType.REGISTER,
                CatalogCommands.encode(new RegisterRequest(node, web, List.of(), true)))).toCompletableFuture().join();
    }

    private Optional<Node> node(String name) {
        return cluster.store.view().catalogNodeServices(name).value().map(ns -> ns.node());
    }

    private Optional<HealthCheck> serfHealth(String node) {
        return cluster.store.view().healthNodeChecks(node).value().stream()
                .filter(c -> c.checkId().equals("serfHealth")).findFirst();
    }

    private static Member member(String name, String addr, int status, String role, String dc) {
        Map<String, String> tags = role.equals("consul")
                ? Map.of("role", role, "dc", dc, "port", "8300", "id", idOf(name), "build", "1.9.0:abc")
                : Map.of("role", role, "dc", dc, "id", idOf(name), "build", "1.9.0:abc");
        return new Member(name, addr, 8301, tags, status, 1, 5, 2, 2, 5, 4);
    }

    private static String idOf(String name) {
        return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    private static Member withStatus(Member m, int status) {
        return new Member(m.name(), m.addr(), m.port(), m.tags(), status, m.protocolMin(), m.protocolMax(),
                m.protocolCur(), m.delegateMin(), m.delegateMax(), m.delegateCur());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
