package io.conclave.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.RegisterRequest;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderDutiesTest {

    private final TestCluster cluster = new TestCluster();
    private LeaderDuties duties;

    private static final Map<String, Object> CONFIG = Map.of("node_name", "VM-0-17-centos",
            "node_id", "def3b026-0416-5b08-b35f-3a41ae38b4ad", "advertise_addr", "127.0.0.1", "datacenter", "dc1",
            "server_port", 8300, "version", "1.9.0", "node_meta", List.of("rack:r1", "os:linux"));

    @AfterEach
    void stop() {
        if (duties != null) {
            duties.deactivate();
        }
        cluster.close();
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

    @Test
    void theRegistrationIsTheTutorialsNodeCheckAndService() {
        RegisterRequest r = LeaderDuties.registration(LeaderDuties.Identity.of(CONFIG));
        Node n = r.node();
        assertEquals("VM-0-17-centos", n.node());
        assertEquals("def3b026-0416-5b08-b35f-3a41ae38b4ad", n.id());
        assertEquals(Map.of("lan", "127.0.0.1", "lan_ipv4", "127.0.0.1", "wan", "127.0.0.1", "wan_ipv4", "127.0.0.1"),
                n.taggedAddresses());
        assertEquals(Map.of("consul-network-segment", "", "rack", "r1", "os", "linux"), n.meta());
        NodeService consul = r.service();
        assertEquals("consul", consul.id());
        assertEquals("consul", consul.service());
        assertEquals(8300, consul.port());
        assertTrue(consul.tags().isEmpty());
        HealthCheck serf = r.checks().get(0);
        assertEquals("serfHealth", serf.checkId());
        assertEquals("Serf Health Status", serf.name());
        assertEquals("passing", serf.status());
        assertEquals("Agent alive and reachable", serf.output());
        assertEquals("", serf.serviceId());
    }

    @Test
    void anIpv6AddressIsTaggedAsSuchAndNodeMetaMayComeInEveryShape() {
        RegisterRequest r = LeaderDuties.registration(LeaderDuties.Identity.of(Map.of("advertise_addr", "::1")));
        assertEquals(Map.of("lan", "::1", "lan_ipv6", "::1", "wan", "::1", "wan_ipv6", "::1"), r.node().taggedAddresses());
        assertEquals(Map.of("a", "b:c", "d", ""), LeaderDuties.Identity.nodeMeta(new String[] {"a:b:c", "d"}));
        assertEquals(Map.of("a", "1"), LeaderDuties.Identity.nodeMeta(Map.of("a", "1")));
        assertEquals(Map.of("k", "v"), LeaderDuties.Identity.nodeMeta("k:v"));
        assertEquals(Map.of(), LeaderDuties.Identity.nodeMeta(null));
    }

    @Test
    void activationRegistersThisServerOnceAndRestartsProposeNothing() throws Exception {
        duties = new LeaderDuties(cluster.store, cluster.consensus, CONFIG);
        await("the registration", () -> !cluster.store.view().catalogNodes().value().isEmpty());
        assertEquals(Map.of("consul", List.of()), cluster.store.view().catalogServices(Map.of()).value());
        List<CheckServiceNode> consul = cluster.store.view().healthServiceNodes("consul", List.of()).value();
        assertEquals("serfHealth", consul.get(0).checks().get(0).checkId());
        assertEquals(1, cluster.consensus.proposed.size());

        duties.modified(CONFIG);
        LeaderDuties again = new LeaderDuties(cluster.store, cluster.consensus, CONFIG);
        Thread.sleep(300); // nothing to wait for: the point is that nothing happens
        again.deactivate();
        assertEquals(1, cluster.consensus.proposed.size(), "an unchanged registration is not proposed again");
    }

    @Test
    void itWaitsForLeadershipAndRetries() throws Exception {
        cluster.consensus.leader = false;
        duties = new LeaderDuties(cluster.store, cluster.consensus, CONFIG);
        Thread.sleep(300);
        assertTrue(cluster.store.view().catalogNodes().value().isEmpty());
        cluster.consensus.leader = true;
        await("the registration after leadership", () -> !cluster.store.view().catalogNodes().value().isEmpty());
    }

    @Test
    void aChangedAddressIsRegisteredAgain() throws Exception {
        duties = new LeaderDuties(cluster.store, cluster.consensus, CONFIG);
        await("the registration", () -> !cluster.store.view().catalogNodes().value().isEmpty());
        Map<String, Object> moved = new java.util.HashMap<>(CONFIG);
        moved.put("advertise_addr", "10.1.2.3");
        duties.modified(moved);
        await("the new address", () -> cluster.store.view().catalogNodes().value().get(0).address().equals("10.1.2.3"));
        assertFalse(cluster.store.view().catalogNodes().value().size() > 1);
    }
}
