package io.conclave.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.Weights;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class LocalStateCommandsTest {

    /** An {@link Agent} answering only what these commands ask, recording the writes. */
    private static final class Recorder {
        final List<String> calls = new ArrayList<>();
        final Map<String, NodeService> services = new LinkedHashMap<>();
        final Map<String, HealthCheck> checks = new LinkedHashMap<>();

        Agent agent() {
            return (Agent) Proxy.newProxyInstance(Agent.class.getClassLoader(), new Class<?>[] {Agent.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "services" -> services;
                        case "checks" -> checks;
                        case "checkTypes" -> List.of("http", "script", "tcp", "ttl");
                        case "identity" -> new AgentIdentity("dc1", "node1", "id", true, "1", "r", "127.0.0.1",
                                "127.0.0.1", 8500, 8600, 8300, 8301, 8302);
                        case "deregisterService" -> {
                            if (!services.containsKey(args[0])) {
                                throw new NoSuchElementException("Unknown service ID \"" + args[0]
                                        + "\". Ensure that the service ID is passed, not the service name.");
                            }
                            calls.add("deregisterService " + args[0]);
                            yield null;
                        }
                        default -> {
                            calls.add(method.getName() + " " + List.of(args == null ? new Object[0] : args));
                            yield null;
                        }
                    });
        }
    }

    private static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }

    @Test
    void servicesAndChecksAreTables() {
        Recorder r = new Recorder();
        r.services.put("web", new NodeService("", "web", "web", List.of("java", "v2"), "", Map.of(), Map.of(), 8080,
                Weights.DEFAULT, false, 0, 0));
        r.checks.put("service:web", new HealthCheck("node1", "service:web", "Service 'web' check", Health.CRITICAL, "",
                "curl: (7) Failed connect to localhost:8080; Connection refused\nmore", "web", "web", List.of(), "script",
                CheckDefinition.EMPTY, 0, 0));
        LocalStateCommands c = new LocalStateCommands(r.agent());
        assertEquals("ID   Service  Address  Port  Tags\nweb  web               8080  java,v2", c.services(args()));
        String checks = c.checks(args());
        assertTrue(checks.startsWith("CheckID      Status    Type    Service  Name                 Output\n"), checks);
        assertTrue(checks.contains("service:web  critical  script  web      Service 'web' check  curl: (7) Failed connect"), checks);
        assertEquals("http\nscript\ntcp\nttl", c.checkTypes(args()));
    }

    @Test
    void serviceRegisterTakesJsonAndAConfigFilesServiceWrapper() {
        Recorder r = new Recorder();
        LocalStateCommands c = new LocalStateCommands(r.agent());
        assertEquals("Registered service: web", c.serviceRegister(args("{\"name\": \"web\", \"port\": 8080}")));
        assertEquals("Registered service: api", c.serviceRegister(args("{\"service\":", "{\"Name\": \"api\"}}")));
        assertEquals(List.of("registerService [{name=web, port=8080}, false]", "registerService [{Name=api}, false]"), r.calls);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.serviceRegister(args("{name")))
                .getMessage().startsWith("Request decode failed: "));
        assertThrows(IllegalArgumentException.class, () -> c.serviceRegister(args()));
    }

    @Test
    void serviceDeregisterPassesTheAgentsRefusalOn() {
        Recorder r = new Recorder();
        LocalStateCommands c = new LocalStateCommands(r.agent());
        assertEquals("Unknown service ID \"web\". Ensure that the service ID is passed, not the service name.",
                assertThrows(IllegalArgumentException.class, () -> c.serviceDeregister(args("web"))).getMessage());
        r.services.put("web", new NodeService("", "web", "web", List.of(), "", Map.of(), Map.of(), 0, Weights.DEFAULT,
                false, 0, 0));
        assertEquals("Deregistered service: web", c.serviceDeregister(args("web")));
    }

    @Test
    void maintIsWordedAsConsulMaint() {
        Recorder r = new Recorder();
        LocalStateCommands c = new LocalStateCommands(r.agent());
        assertEquals("Node maintenance is now enabled", c.maint(args("-enable", "-reason", "kernel upgrade")));
        assertEquals("Service maintenance is now disabled for \"web\"", c.maint(args("-disable", "-service=web")));
        assertEquals(List.of("setNodeMaintenance [true, kernel upgrade]", "setServiceMaintenance [web, false, ]"), r.calls);
        assertEquals("Only one of -enable or -disable may be provided",
                assertThrows(IllegalArgumentException.class, () -> c.maint(args("-enable", "-disable"))).getMessage());
        assertEquals("Reason may only be provided with -enable",
                assertThrows(IllegalArgumentException.class, () -> c.maint(args("-reason", "x"))).getMessage());
        assertEquals("Service requires either -enable or -disable",
                assertThrows(IllegalArgumentException.class, () -> c.maint(args("-service", "web"))).getMessage());

        r.checks.put("_node_maintenance", new HealthCheck("node1", "_node_maintenance", "Node Maintenance Mode",
                Health.CRITICAL, "kernel upgrade", "", "", "", List.of(), "maintenance", null, 0, 0));
        r.checks.put("_service_maintenance:web", new HealthCheck("node1", "_service_maintenance:web",
                "Service Maintenance Mode", Health.CRITICAL, "deploy", "", "web", "web", List.of(), "maintenance", null, 0, 0));
        assertEquals("Node:\n  Name:   node1\n  Reason: kernel upgrade\n\nService:\n  ID:     web\n  Reason: deploy",
                c.maint(args()));
    }
}
