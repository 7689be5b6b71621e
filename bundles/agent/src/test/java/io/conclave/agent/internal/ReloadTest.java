package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.check.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReloadTest {

    private static final String WEB = "{\"name\": \"web\", \"tags\": [\"java\"], \"port\": 8080, "
            + "\"check\": {\"http\": \"http://localhost:8080/health\", \"interval\": \"10s\"}}";
    private static final String MEM = "{\"name\": \"mem\", \"ttl\": \"1h\"}";

    private static TestAgent agent() {
        TestAgent a = new TestAgent(Map.of("check_update_interval", "0s"));
        a.state.setProvider("http", FakeType.answering(Health.PASSING, "HTTP GET: 200 OK"));
        a.state.setProvider("ttl", FakeType.answering(Health.CRITICAL, "TTL expired"));
        a.clock.stagger = bound -> Duration.ofSeconds(4);
        return a;
    }

    @Test
    void configDefinitionsAreRegisteredAsLocal() {
        TestAgent a = agent();
        a.definitions("{\"services\": [" + WEB + "], \"checks\": [" + MEM + "]}");
        assertEquals(Set.of("web"), a.state.services().keySet());
        assertEquals(Set.of("service:web", "mem"), a.state.checks().keySet());
        a.seconds(4);
        assertEquals(Health.PASSING, a.status("service:web"));
    }

    @Test
    void unchangedDefinitionsKeepStatusAndNextRunTime() {
        TestAgent a = agent();
        a.definitions("{\"services\": [" + WEB + "], \"checks\": [" + MEM + "]}");
        a.seconds(6);
        a.state.updateTtl("mem", Health.WARNING, "swapping");
        long webNext = a.state.nextRunNanos("service:web");
        long memNext = a.state.nextRunNanos("mem");

        String api = "{\"name\": \"api\", \"check\": {\"ttl\": \"30s\"}}";
        a.definitions("{\"services\": [" + WEB + ", " + api + "], \"checks\": [" + MEM + "]}");
        assertEquals(Health.PASSING, a.status("service:web"));
        assertEquals(Health.WARNING, a.status("mem"));
        assertEquals("swapping", a.check("mem").output());
        assertEquals(webNext, a.state.nextRunNanos("service:web"), "same schedule");
        assertEquals(memNext, a.state.nextRunNanos("mem"), "same TTL deadline");
        assertEquals(Set.of("web", "api"), a.state.services().keySet());
    }

    @Test
    void removedDefinitionsGoAndChangedOnesAreReRegisteredKeepingStatus() {
        TestAgent a = agent();
        a.definitions("{\"services\": [" + WEB + "], \"checks\": [" + MEM + "]}");
        a.seconds(4);
        a.definitions("{\"services\": [" + WEB.replace("[\"java\"]", "[\"java\", \"v2\"]") + "]}");
        assertEquals(Set.of("service:web"), a.state.checks().keySet());
        assertEquals(List.of("java", "v2"), a.state.service("web").orElseThrow().tags());
        assertEquals(Health.PASSING, a.status("service:web"));
        assertEquals(List.of("java", "v2"), a.check("service:web").serviceTags());

        a.definitions("{\"services\": []}");
        assertTrue(a.state.services().isEmpty());
        assertTrue(a.state.checks().isEmpty());
    }

    @Test
    void aServiceLosingACheckInItsDefinitionLosesTheCheck() {
        TestAgent a = agent();
        a.definitions("{\"services\": [{\"name\": \"web\", \"checks\": [{\"id\": \"a\", \"ttl\": \"1m\"}, {\"id\": \"b\", \"ttl\": \"1m\"}]}]}");
        a.state.updateTtl("a", Health.PASSING, "");
        a.definitions("{\"services\": [{\"name\": \"web\", \"checks\": [{\"id\": \"a\", \"ttl\": \"1m\"}]}]}");
        assertEquals(Set.of("a"), a.state.checks().keySet());
        assertEquals(Health.PASSING, a.status("a"));
    }

    @Test
    void apiRegistrationsSurviveAReloadAndABadDefinitionIsSkipped() {
        TestAgent a = agent();
        a.registerService("{\"name\": \"dyn\"}");
        a.state.setNodeMaintenance(true, "");
        a.definitions("{\"services\": [" + WEB + ", {\"port\": 1}], \"checks\": [{\"ttl\": \"1m\"}]}");
        assertEquals(Set.of("dyn", "web"), a.state.services().keySet());
        assertTrue(a.state.checks().containsKey("_node_maintenance"));
        a.definitions("{}");
        assertEquals(Set.of("dyn"), a.state.services().keySet());
        assertTrue(a.state.checks().containsKey("_node_maintenance"));
    }

    @Test
    void aConfigServiceDeregisteredByHandReturnsOnTheNextChange() {
        TestAgent a = agent();
        a.definitions("{\"services\": [" + WEB + "]}");
        a.state.deregisterService("web");
        a.definitions("{\"services\": [" + WEB + "], \"checks\": [" + MEM + "]}");
        assertTrue(a.state.services().containsKey("web"));
    }

    @Test
    void enablingScriptChecksLetsAPreviouslyRefusedDefinitionIn() {
        TestAgent a = agent();
        String ping = "{\"services\": [{\"name\": \"baidu\", \"check\": {\"args\": [\"ping\", \"-c1\", \"baidu.com\"], \"interval\": \"30s\"}}]}";
        a.definitions(ping);
        assertFalse(a.state.services().containsKey("baidu"));
        a.config.put("enable_script_checks", true);
        a.definitions(ping);
        assertTrue(a.state.services().containsKey("baidu"));
        assertEquals(AgentState.noProvider("script"), a.check("service:baidu").output());
    }

    @Test
    void reloadRunsTheLauncherThenRepublishesThenApplies() {
        List<String> steps = new ArrayList<>();
        Map<String, Object> held = new HashMap<>(Map.of("definitions", "{}"));
        LocalAgent.reload(() -> steps.add("launcher"), () -> {
            steps.add("republish");
            held.put("definitions", "{\"services\": [{\"name\": \"web\"}]}");
        }, () -> held, config -> steps.add("apply " + config.get("definitions")));
        assertEquals(List.of("launcher", "republish", "apply {\"services\": [{\"name\": \"web\"}]}"), steps);
    }

    @Test
    void anInvalidConfigurationFailsTheReloadAndChangesNothing() {
        List<String> steps = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalAgent.reload(() -> {
            throw new IllegalStateException("Error parsing /etc/conclave.d/web.json: invalid character '}'");
        }, () -> steps.add("republish"), Map::of, config -> steps.add("apply")));
        assertEquals("Error parsing /etc/conclave.d/web.json: invalid character '}'", e.getMessage());
        assertTrue(steps.isEmpty());
        assertThrows(IllegalStateException.class, () -> LocalAgent.reload(() -> {
            throw new RuntimeException("boom");
        }, null, Map::of, config -> { }));
    }

    @Test
    void aStatusChangeDuringReloadIsNotLost() {
        FakeType http = new FakeType();
        TestAgent a = agent();
        a.state.setProvider("http", http);
        a.definitions("{\"services\": [" + WEB + "]}");
        a.seconds(4);
        a.definitions("{\"services\": [" + WEB + "], \"checks\": [" + MEM + "]}");
        http.complete(CheckResult.critical("connection refused"));
        assertEquals(Health.CRITICAL, a.status("service:web"));
        assertNotEquals(-1, a.state.nextRunNanos("service:web"));
    }
}
