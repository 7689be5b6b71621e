package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class MaintenanceAndReaperTest {

    @Test
    void nodeMaintenanceIsACriticalCheckWithConsulsDefaultNotes() {
        TestAgent a = new TestAgent();
        a.connectCatalog();
        a.state.setNodeMaintenance(true, "");
        HealthCheck m = a.check("_node_maintenance");
        assertEquals("Node Maintenance Mode", m.name());
        assertEquals(Health.CRITICAL, m.status());
        assertEquals("Maintenance mode is enabled for this node, but no reason was provided. This is a default message.",
                m.notes());
        assertEquals("maintenance", m.type());
        assertEquals("", m.serviceId());
        a.clock.runDue();
        assertTrue(a.catalog.checksOf(TestAgent.NODE).containsKey("_node_maintenance"));

        a.state.setNodeMaintenance(true, "another reason");
        assertEquals(m.notes(), a.check("_node_maintenance").notes(), "enabling twice changes nothing");
        a.state.setNodeMaintenance(false, null);
        a.clock.runDue();
        assertFalse(a.state.checks().containsKey("_node_maintenance"));
        assertFalse(a.catalog.checksOf(TestAgent.NODE).containsKey("_node_maintenance"));
        a.state.setNodeMaintenance(false, null);
    }

    @Test
    void serviceMaintenanceNamesItsServiceAndGoesWithIt() {
        TestAgent a = new TestAgent();
        a.registerService("{\"name\": \"web\", \"id\": \"web-1\", \"tags\": [\"v1\"]}");
        a.state.setServiceMaintenance("web-1", true, "deploying");
        HealthCheck m = a.check("_service_maintenance:web-1");
        assertEquals("Service Maintenance Mode", m.name());
        assertEquals("deploying", m.notes());
        assertEquals("web-1", m.serviceId());
        assertEquals("web", m.serviceName());
        assertEquals(List.of("v1"), m.serviceTags());
        assertEquals(Health.MAINTENANCE, Health.aggregate(a.state.checks().values()));
        a.state.setServiceMaintenance("web-1", false, "");
        assertTrue(a.state.checks().isEmpty());

        a.state.setServiceMaintenance("web-1", true, "");
        assertEquals(AgentState.DEFAULT_SERVICE_MAINT_REASON, a.check("_service_maintenance:web-1").notes());
        a.state.deregisterService("web-1");
        assertTrue(a.state.checks().isEmpty());
        assertEquals("Unknown service ID \"web-1\". Ensure that the service ID is passed, not the service name.",
                assertThrows(NoSuchElementException.class, () -> a.state.setServiceMaintenance("web-1", true, "")).getMessage());
    }

    @Test
    void unknownIdsAreConsuls404s() {
        TestAgent a = new TestAgent();
        assertEquals("Unknown service ID \"x\". Ensure that the service ID is passed, not the service name.",
                assertThrows(NoSuchElementException.class, () -> a.state.deregisterService("x")).getMessage());
        assertEquals("Unknown check ID \"x\". Ensure that the check ID is passed, not the check name.",
                assertThrows(NoSuchElementException.class, () -> a.state.deregisterCheck("x")).getMessage());
        assertEquals("ServiceID \"nope\" does not exist", assertThrows(NoSuchElementException.class,
                () -> a.registerCheck("{\"name\": \"c\", \"ttl\": \"1m\", \"service_id\": \"nope\"}")).getMessage());
    }

    @Test
    void aServiceCriticalPastDeregisterCriticalServiceAfterIsReaped() {
        TestAgent a = new TestAgent(Map.of("check_reap_interval", "30s", "check_deregister_interval_min", "1m"));
        a.state.setProvider("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.registerService("{\"name\": \"web\", \"check\": {\"ttl\": \"10s\", \"deregister_critical_service_after\": \"90s\"}}");
        a.registerService("{\"name\": \"api\", \"check\": {\"ttl\": \"10s\", \"deregister_critical_service_after\": \"5s\"}}");
        a.registerService("{\"name\": \"db\", \"check\": {\"ttl\": \"10s\"}}");
        a.state.updateTtl("service:web", Health.PASSING, "");
        a.seconds(60);
        assertTrue(a.state.services().containsKey("web"), "critical only since the TTL expired at 10s");
        assertTrue(a.state.services().containsKey("api"), "5s is raised to the 1m minimum");
        a.seconds(30);
        assertFalse(a.state.services().containsKey("api"));
        assertFalse(a.state.checks().containsKey("service:api"));
        assertTrue(a.state.services().containsKey("web"));
        a.seconds(30);
        assertFalse(a.state.services().containsKey("web"));
        a.seconds(600);
        assertTrue(a.state.services().containsKey("db"), "no deregister_critical_service_after, never reaped");
    }

    @Test
    void aRecoveredCheckIsNotReaped() {
        TestAgent a = new TestAgent(Map.of("check_reap_interval", "30s", "check_deregister_interval_min", "1m"));
        a.state.setProvider("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.registerService("{\"name\": \"web\", \"check\": {\"ttl\": \"10m\", \"deregister_critical_service_after\": \"1m\"}}");
        a.seconds(50);
        a.state.updateTtl("service:web", Health.PASSING, "");
        a.advance(Duration.ofMinutes(5));
        assertTrue(a.state.services().containsKey("web"));
    }
}
