package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.catalog.Weights;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AntiEntropyTest {

    private static final String NODE = TestAgent.NODE;

    private static HealthCheck foreignCheck(String id, String serviceId) {
        return new HealthCheck(NODE, id, id, Health.PASSING, "", "", serviceId, serviceId, List.of(), "",
                CheckDefinition.EMPTY, 1, 1);
    }

    private static NodeService foreignService(String id) {
        return new NodeService("", id, id, List.of(), "", Map.of(), Map.of(), 0, Weights.DEFAULT, false, 1, 1);
    }

    @Test
    void aRegistrationReachesTheCatalogWithTheNode() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        a.registerService("{\"name\": \"web\", \"tags\": [\"java\"], \"port\": 8080, \"check\": {\"ttl\": \"30s\"}}");
        a.clock.runDue();

        Node node = a.catalog.nodes.get(NODE);
        assertEquals(TestAgent.NODE_ID, node.id());
        assertEquals("127.0.0.1", node.address());
        assertEquals("dc1", node.datacenter());
        assertEquals(Map.of("lan", "127.0.0.1", "lan_ipv4", "127.0.0.1", "wan", "127.0.0.1", "wan_ipv4", "127.0.0.1"),
                node.taggedAddresses());
        NodeService web = a.catalog.servicesOf(NODE).get("web");
        assertEquals(List.of("java"), web.tags());
        assertEquals(8080, web.port());
        HealthCheck check = a.catalog.checksOf(NODE).get("service:web");
        assertEquals(Health.CRITICAL, check.status());
        assertEquals("Service 'web' check", check.name());
        assertEquals("web", check.serviceName());
        assertEquals(List.of("java"), check.serviceTags());
        assertEquals("ttl", check.type());
    }

    @Test
    void nodeMetaFromTheConfigurationReachesTheCatalogAndItsChangesToo() {
        TestAgent a = new TestAgent(Map.of("node_meta", new String[] {"rack:r1", "zone:a"}));
        a.connectCatalog();
        assertEquals(Map.of("rack", "r1", "zone", "a", "consul-network-segment", ""), a.catalog.nodes.get(NODE).meta());
        a.config.put("node_meta", new String[] {"rack:r2"});
        a.definitions("");
        a.clock.runDue();
        assertEquals(Map.of("rack", "r2", "consul-network-segment", ""), a.catalog.nodes.get(NODE).meta());
    }

    @Test
    void theNodeIsWrittenOnceThenServiceWritesSkipIt() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        int before = a.catalog.writeCount();
        a.registerService("{\"name\": \"web\"}");
        a.clock.runDue();
        RegisterRequest last = (RegisterRequest) a.catalog.writes.get(a.catalog.writeCount() - 1);
        assertEquals("web", last.service().id());
        assertTrue(last.skipNodeUpdate(), "the node info is already in sync");
        assertEquals(before + 1, a.catalog.writeCount());
        assertFalse(((RegisterRequest) a.catalog.writes.get(0)).skipNodeUpdate());
    }

    @Test
    void aServicesChecksRideAlongWithIt() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        int before = a.catalog.writeCount();
        a.registerService("{\"name\": \"web\", \"checks\": [{\"ttl\": \"30s\"}, {\"ttl\": \"60s\"}]}");
        a.clock.runDue();
        assertEquals(before + 1, a.catalog.writeCount(), "one transaction for the service and its checks");
        RegisterRequest r = (RegisterRequest) a.catalog.writes.get(before);
        assertEquals(Set.of("service:web:1", "service:web:2"),
                Set.copyOf(r.checks().stream().map(HealthCheck::checkId).toList()));
    }

    @Test
    void statusChangesSyncAtOnceOutputOnlyChangesWaitForTheUpdateInterval() {
        TestAgent a = new TestAgent(Map.of("check_update_interval", "5m"));
        a.state.setProvider("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.connectCatalog();
        a.registerCheck("{\"name\": \"beat\", \"ttl\": \"1h\"}");
        a.clock.runDue();
        a.state.updateTtl("beat", Health.PASSING, "one");
        a.clock.runDue();
        assertEquals("one", a.catalog.checksOf(NODE).get("beat").output());
        assertEquals(Health.PASSING, a.catalog.checksOf(NODE).get("beat").status());

        a.state.updateTtl("beat", Health.PASSING, "two");
        a.clock.runDue();
        assertEquals("two", a.check("beat").output(), "the agent shows the new output at once");
        assertEquals("one", a.catalog.checksOf(NODE).get("beat").output(), "the catalog waits");
        a.advance(Duration.ofSeconds(149));
        assertEquals("one", a.catalog.checksOf(NODE).get("beat").output());
        a.advance(Duration.ofSeconds(1));
        assertEquals("two", a.catalog.checksOf(NODE).get("beat").output(), "synced after half the interval plus stagger");

        a.state.updateTtl("beat", Health.WARNING, "three");
        a.clock.runDue();
        assertEquals(Health.WARNING, a.catalog.checksOf(NODE).get("beat").status());
    }

    @Test
    void aFullSyncRemovesWhatTheAgentDoesNotKnowExceptWhatTheServersManage() {
        TestAgent a = new TestAgent();
        a.catalog.put(NODE, foreignService("old"), foreignCheck("old-check", "old"), foreignCheck("node-check", ""));
        a.catalog.put(NODE, foreignService("consul"),
                new HealthCheck(NODE, Health.SERF_CHECK_ID, Health.SERF_CHECK_NAME, Health.PASSING, "",
                        "Agent alive and reachable", "", "", List.of(), "", CheckDefinition.EMPTY, 1, 1));
        a.registerService("{\"name\": \"web\"}");
        a.connectCatalog();

        assertEquals(Set.of("consul", "web"), a.catalog.servicesOf(NODE).keySet());
        assertEquals(Set.of(Health.SERF_CHECK_ID), a.catalog.checksOf(NODE).keySet());
        assertTrue(a.catalog.writes.stream().noneMatch(w -> w instanceof DeregisterRequest d
                && (d.serviceId().equals("consul") || d.checkId().equals(Health.SERF_CHECK_ID))));
        assertEquals(Set.of("web"), a.state.services().keySet(), "what the catalog had is not adopted");
    }

    @Test
    void thePeriodicFullSyncRepairsDrift() {
        TestAgent a = new TestAgent();
        a.state.setProvider("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.connectCatalog();
        a.registerService("{\"name\": \"web\", \"check\": {\"ttl\": \"1h\", \"status\": \"passing\"}}");
        a.clock.runDue();
        a.catalog.deregister(new DeregisterRequest(NODE, "web", null));
        a.catalog.put(NODE, foreignService("stray"));
        a.advance(Duration.ofSeconds(59));
        assertNull(a.catalog.servicesOf(NODE).get("web"));
        a.advance(Duration.ofSeconds(1));
        assertEquals(Set.of("web"), a.catalog.servicesOf(NODE).keySet());
        assertEquals(Health.PASSING, a.catalog.checksOf(NODE).get("service:web").status());
    }

    @Test
    void deregistrationsReachTheCatalog() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        a.registerService("{\"name\": \"web\", \"check\": {\"ttl\": \"1h\"}}");
        a.registerCheck("{\"name\": \"mem\", \"ttl\": \"1h\"}");
        a.clock.runDue();
        a.state.deregisterCheck("mem");
        a.clock.runDue();
        assertFalse(a.catalog.checksOf(NODE).containsKey("mem"));
        a.state.deregisterService("web");
        a.clock.runDue();
        assertTrue(a.catalog.servicesOf(NODE).isEmpty());
        assertTrue(a.catalog.checksOf(NODE).isEmpty());
        assertTrue(a.state.services.isEmpty() && a.state.checks.isEmpty(), "tombstones go once the catalog has them gone");
    }

    @Test
    void aFailedSyncIsRetriedLater() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        a.catalog.failWrites = new IllegalStateException("No cluster leader");
        a.registerService("{\"name\": \"web\"}");
        a.clock.runDue();
        assertTrue(a.catalog.servicesOf(NODE).isEmpty());
        a.catalog.failWrites = null;
        a.advance(Duration.ofSeconds(15));
        assertEquals(Set.of("web"), a.catalog.servicesOf(NODE).keySet());
    }

    @Test
    void withoutACatalogChangesWaitAndAreSyncedWhenItAppears() {
        TestAgent a = new TestAgent();
        a.registerService("{\"name\": \"web\"}");
        a.advance(Duration.ofMinutes(5));
        assertEquals(0, a.catalog.writeCount());
        a.connectCatalog();
        assertEquals(Set.of("web"), a.catalog.servicesOf(NODE).keySet());
    }

    @Test
    void enableTagOverrideAdoptsTheCatalogsTags() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        a.registerService("{\"name\": \"web\", \"tags\": [\"a\"], \"enable_tag_override\": true}");
        a.clock.runDue();
        NodeService edited = new NodeService("", "web", "web", List.of("edited"), "", Map.of(), Map.of(), 0,
                Weights.DEFAULT, true, 1, 2);
        a.catalog.put(NODE, edited);
        int writes = a.catalog.writeCount();
        a.advance(Duration.ofMinutes(1));
        assertEquals(List.of("edited"), a.state.service("web").orElseThrow().tags());
        assertEquals(writes, a.catalog.writeCount(), "nothing to write back");
    }
}
