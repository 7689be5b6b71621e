package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionsTest {

    private static ServiceDef service(String json) {
        return Definitions.service(TestAgent.json(json), Source.REMOTE);
    }

    private static String serviceError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> service(json)).getMessage();
    }

    private static String checkError(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Definitions.check(TestAgent.json(json))).getMessage();
    }

    @Test
    void serviceIdDefaultsToItsName() {
        NodeService s = service("{\"name\": \"web\", \"tags\": [\"java\"], \"port\": 8080}").service();
        assertEquals("web", s.id());
        assertEquals("web", s.service());
        assertEquals(List.of("java"), s.tags());
        assertEquals(8080, s.port());
        assertEquals(Weights.DEFAULT, s.weights());
        assertEquals("", s.kind());
    }

    @Test
    void snakeAndPascalKeysMeanTheSame() {
        ServiceDef snake = Definitions.service(TestAgent.json("""
                {"name": "web", "id": "web-1", "enable_tag_override": true, "tagged_addresses": {"lan": {"address": "10.0.0.1", "port": 80}},
                 "meta": {"version": "1"}, "weights": {"passing": 3, "warning": 2},
                 "check": {"check_id": "c1", "http": "http://localhost/health", "interval": "10s", "tls_skip_verify": true,
                           "deregister_critical_service_after": "90m", "success_before_passing": 2, "failures_before_critical": 3}}
                """), Source.LOCAL);
        ServiceDef pascal = Definitions.service(TestAgent.json("""
                {"Name": "web", "ID": "web-1", "EnableTagOverride": true, "TaggedAddresses": {"lan": {"Address": "10.0.0.1", "Port": 80}},
                 "Meta": {"version": "1"}, "Weights": {"Passing": 3, "Warning": 2},
                 "Check": {"CheckID": "c1", "HTTP": "http://localhost/health", "Interval": "10s", "TLSSkipVerify": true,
                           "DeregisterCriticalServiceAfter": "90m", "SuccessBeforePassing": 2, "FailuresBeforeCritical": 3}}
                """), Source.LOCAL);
        assertEquals(snake, pascal);
        CheckDef c = snake.checks().get(0);
        assertEquals("c1", c.id());
        assertEquals("http", c.type());
        assertEquals(Duration.ofSeconds(10), c.interval());
        assertEquals(Duration.ofMinutes(90), c.deregisterCriticalServiceAfter());
        assertEquals(2, c.successBeforePassing());
        assertEquals(3, c.failuresBeforeCritical());
        assertEquals(3, c.failuresBeforeWarning(), "failures_before_warning defaults to failures_before_critical");
        assertEquals(Map.of("http", "http://localhost/health", "tls_skip_verify", true), c.params());
        assertEquals(new Weights(3, 2), snake.service().weights());
        assertEquals(new ServiceAddress("10.0.0.1", 80), snake.service().taggedAddresses().get("lan"));
    }

    @Test
    void serviceChecksGetConsulsIdsAndNames() {
        ServiceDef one = service("{\"name\": \"web\", \"check\": {\"ttl\": \"30s\"}}");
        assertEquals("service:web", one.checks().get(0).id());
        assertEquals("Service 'web' check", one.checks().get(0).name());
        assertEquals("web", one.checks().get(0).serviceId());

        ServiceDef many = service("""
                {"name": "web", "id": "web-a", "checks": [{"ttl": "30s"}, {"name": "named", "ttl": "1m"}, {"id": "mine", "ttl": "1m"}]}
                """);
        assertEquals(List.of("service:web-a:1", "service:web-a:2", "mine"), many.checks().stream().map(CheckDef::id).toList());
        assertEquals(List.of("Service 'web' check", "named", "Service 'web' check"),
                many.checks().stream().map(CheckDef::name).toList());
    }

    @Test
    void emptyCheckObjectsAreIgnored() {
        assertEquals(0, service("{\"name\": \"web\", \"check\": {}, \"checks\": [{}]}").checks().size());
    }

    @Test
    void serviceErrorsAreConsuls() {
        assertEquals("Missing service name", serviceError("{\"port\": 80}"));
        assertEquals("Invalid service address", serviceError("{\"name\": \"web\", \"address\": \"0.0.0.0\"}"));
        assertEquals("Invalid check: Interval must be > 0 for Script, HTTP, or TCP checks",
                serviceError("{\"name\": \"web\", \"check\": {\"http\": \"http://x\"}}"));
        assertEquals("Invalid check: TTL must be > 0 for TTL checks",
                serviceError("{\"name\": \"web\", \"check\": {\"notes\": \"nothing to run\"}}"));
        assertEquals("Invalid check: Interval and TTL cannot both be specified",
                serviceError("{\"name\": \"web\", \"check\": {\"ttl\": \"10s\", \"interval\": \"10s\"}}"));
        assertEquals("Status for checks must 'passing', 'warning', 'critical'",
                serviceError("{\"name\": \"web\", \"check\": {\"ttl\": \"10s\", \"status\": \"up\"}}"));
        assertEquals("Invalid Weights: Passing must be greater than 0",
                serviceError("{\"name\": \"web\", \"weights\": {\"warning\": 1}}"));
        assertTrue(serviceError("{\"name\": \"web\", \"meta\": {\"consul-x\": \"1\"}}")
                .startsWith("Invalid Service Meta: Couldn't load metadata pair ('consul-x', '1'): Key prefix 'consul-' is reserved"));
        assertTrue(serviceError("{\"name\": \"web\", \"check\": {\"ttl\": \"ten\"}}").startsWith("Request decode failed: time: invalid duration"));
    }

    @Test
    void configFileWeightsDefaultEachMissingOneToOne() {
        ServiceDef def = Definitions.service(TestAgent.json("{\"name\": \"b\", \"weights\": {\"passing\": 13}}"), Source.LOCAL);
        assertEquals(new Weights(13, 1), def.service().weights());
    }

    @Test
    void ipLiteralAddressesGetDefaultTaggedAddresses() {
        NodeService s = service("{\"name\": \"web\", \"address\": \"10.1.2.3\", \"port\": 80}").service();
        assertEquals(Map.of("lan_ipv4", new ServiceAddress("10.1.2.3", 80), "wan_ipv4", new ServiceAddress("10.1.2.3", 80)),
                s.taggedAddresses());
        assertEquals(Map.of(), service("{\"name\": \"web\", \"address\": \"web.local\"}").service().taggedAddresses());
    }

    @Test
    void standaloneChecksNeedANameAndTakeItAsId() {
        CheckDef c = Definitions.check(TestAgent.json("{\"Name\": \"mem\", \"TTL\": \"15s\", \"ServiceID\": \"web\"}"));
        assertEquals("mem", c.id());
        assertEquals("web", c.serviceId());
        assertEquals("ttl", c.type());
        assertEquals(Duration.ofSeconds(15), c.ttl());
        assertEquals("Missing check name", checkError("{\"ttl\": \"15s\"}"));
        assertEquals("Bad check status", checkError("{\"name\": \"m\", \"ttl\": \"15s\", \"status\": \"ok\"}"));
        assertEquals("Invalid check: Interval must be > 0 for Script, HTTP, or TCP checks",
                checkError("{\"name\": \"m\", \"tcp\": \"localhost:22\"}"));
    }

    @Test
    void typeComesFromTheTriggerKeyOrTheExplicitType() {
        assertEquals("script", Definitions.check(TestAgent.json("{\"name\": \"a\", \"args\": [\"true\"], \"interval\": \"5s\"}")).type());
        CheckDef legacy = Definitions.check(TestAgent.json("{\"name\": \"a\", \"ScriptArgs\": [\"true\"], \"Interval\": \"5s\"}"));
        assertEquals("script", legacy.type());
        assertEquals(List.of("true"), legacy.params().get("args"));
        CheckDef script = Definitions.check(TestAgent.json("{\"name\": \"a\", \"script\": \"echo hi\", \"interval\": \"5s\"}"));
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), script.params().get("args"));
        assertEquals("tcp", Definitions.check(TestAgent.json("{\"name\": \"a\", \"tcp\": \"h:1\", \"interval\": \"5s\"}")).type());

        CheckDef custom = Definitions.check(TestAgent.json("""
                {"name": "cache", "type": "redis", "interval": "5s", "Address": "localhost:6379", "db": 2, "notes": "n"}
                """));
        assertEquals("redis", custom.type());
        assertEquals(Map.of("Address", "localhost:6379", "db", 2), custom.params());
        assertEquals("Invalid check: Interval must be > 0 for \"redis\" checks",
                checkError("{\"name\": \"cache\", \"type\": \"redis\"}"));
    }

    @Test
    void timeoutsDefaultAsConsuls() {
        assertEquals(Duration.ofSeconds(30),
                Definitions.check(TestAgent.json("{\"name\": \"a\", \"args\": [\"true\"], \"interval\": \"5s\"}")).spec().timeout());
        assertEquals(Duration.ofSeconds(10),
                Definitions.check(TestAgent.json("{\"name\": \"a\", \"http\": \"http://x\", \"interval\": \"5s\"}")).spec().timeout());
        assertEquals(Duration.ofSeconds(3),
                Definitions.check(TestAgent.json("{\"name\": \"a\", \"http\": \"http://x\", \"interval\": \"5s\", \"timeout\": \"3s\"}")).spec().timeout());
        assertEquals(Duration.ofSeconds(1),
                Definitions.check(TestAgent.json("{\"name\": \"a\", \"http\": \"http://x\", \"interval\": \"10ms\"}")).spec().interval(),
                "Consul raises intervals below one second");
    }

    @Test
    void httpAndTcpChecksShowTheirDefinitionOthersShowNone() {
        CheckDef http = Definitions.check(TestAgent.json("""
                {"name": "a", "http": "http://x/h", "method": "POST", "header": {"X": ["1"], "Y": "2"}, "interval": "5s"}
                """));
        CheckDefinition d = http.definition();
        assertEquals("http://x/h", d.http());
        assertEquals("POST", d.method());
        assertEquals(Map.of("X", List.of("1"), "Y", List.of("2")), d.header());
        assertEquals(Duration.ofSeconds(5), d.interval());
        assertEquals(CheckDefinition.EMPTY,
                Definitions.check(TestAgent.json("{\"name\": \"a\", \"args\": [\"x\"], \"interval\": \"5s\"}")).definition());
    }
}
