package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.catalog.Health;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /v1/agent/services|service|checks|check|maintenance|reload|members|health} over real HTTP. */
class AgentLocalStateApiTest {

    private static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void reset() {
        h.agent.local.reset();
    }

    private static HttpResponse<String> put(String path, String body) throws Exception {
        return h.put(path, body);
    }

    private static HttpResponse<String> put(String path) throws Exception {
        return h.send("PUT", path);
    }

    private static void assertAnswer(int status, String body, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(body, r.body());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    // ---- services ----

    @Test
    void registeredServicesListInConsulsShape() throws Exception {
        assertAnswer(200, "{}", h.get("/v1/agent/services"));
        assertAnswer(200, "", put("/v1/agent/service/register", "{\"Name\": \"web\", \"Tags\": [\"java\"], \"Port\": 8080}"));
        HttpResponse<String> r = h.get("/v1/agent/services");
        assertAnswer(200, "{\"web\":{\"ID\":\"web\",\"Service\":\"web\",\"Tags\":[\"java\"],\"Meta\":{},\"Port\":8080,"
                + "\"Address\":\"\",\"Weights\":{\"Passing\":1,\"Warning\":1},\"EnableTagOverride\":false,"
                + "\"Datacenter\":\"dc1\"}}", r);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void snakeCaseBodiesAndTaggedAddressesAsPythonConsulSendsThem() throws Exception {
        assertEquals(200, put("/v1/agent/service/register",
                "{\"name\": \"db\", \"id\": \"db-1\", \"address\": \"10.0.0.5\", \"port\": 5432, \"meta\": {\"v\": \"9\"}}").statusCode());
        JsonNode db = json(h.get("/v1/agent/services")).get("db-1");
        assertEquals("db", db.get("Service").asText());
        assertEquals("10.0.0.5", db.get("TaggedAddresses").get("lan_ipv4").get("Address").asText());
        assertEquals(5432, db.get("TaggedAddresses").get("wan_ipv4").get("Port").asInt());
        assertEquals("9", db.get("Meta").get("v").asText());
    }

    @Test
    void registrationRefusalsAreConsuls() throws Exception {
        assertAnswer(400, "Missing service name", put("/v1/agent/service/register", "{\"Port\": 80}"));
        assertAnswer(400, "Request decode failed: EOF", put("/v1/agent/service/register"));
        assertAnswer(400, "Request decode failed: json: cannot unmarshal array into Go value of type structs.ServiceDefinition",
                put("/v1/agent/service/register", "[]"));
        HttpResponse<String> bad = put("/v1/agent/service/register", "{\"Name\": ");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("Request decode failed: "), bad.body());
        assertAnswer(400, "Invalid check: TTL must be > 0 for TTL checks",
                put("/v1/agent/service/register", "{\"Name\": \"web\", \"Check\": {\"Notes\": \"x\"}}"));
        assertAnswer(500, "Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true",
                put("/v1/agent/service/register", "{\"Name\": \"web\", \"Check\": {\"Args\": [\"true\"], \"Interval\": \"10s\"}}"));
        assertTrue(put("/v1/agent/service/register", "{}").headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/plain"), "errors are plain text");
        assertTrue(h.agent.local.services().isEmpty());
    }

    @Test
    void replaceExistingChecksIsPassedOn() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"a\"}");
        put("/v1/agent/service/register?replace-existing-checks", "{\"Name\": \"a\"}");
        put("/v1/agent/service/register?replace-existing-checks=true", "{\"Name\": \"a\"}");
        put("/v1/agent/service/register?replace-existing-checks=1", "{\"Name\": \"a\"}");
        assertEquals(List.of("registerService replace=false", "registerService replace=true",
                "registerService replace=true", "registerService replace=false"), h.agent.local.calls);
    }

    @Test
    void oneServiceCarriesItsContentHash() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"Port\": 80}");
        HttpResponse<String> r = h.get("/v1/agent/service/web");
        assertEquals(200, r.statusCode());
        String hash = r.headers().firstValue("X-Consul-ContentHash").orElseThrow();
        assertTrue(hash.matches("[0-9a-f]{1,16}"), hash);
        JsonNode body = json(r);
        assertEquals(hash, body.get("ContentHash").asText());
        assertTrue(r.body().contains("\"EnableTagOverride\":false,\"ContentHash\":\"" + hash + "\",\"Datacenter\":\"dc1\"}"),
                r.body());
        assertEquals(hash, h.get("/v1/agent/service/web").headers().firstValue("X-Consul-ContentHash").orElseThrow(),
                "stable while nothing changes");
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"Port\": 81}");
        assertFalse(hash.equals(h.get("/v1/agent/service/web").headers().firstValue("X-Consul-ContentHash").orElseThrow()));
        assertAnswer(404, "unknown service ID: nope", h.get("/v1/agent/service/nope"));
    }

    @Test
    void aCurrentHashWaitsInsteadOfSpinning() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\"}");
        String hash = h.get("/v1/agent/service/web").headers().firstValue("X-Consul-ContentHash").orElseThrow();
        long start = System.nanoTime();
        HttpResponse<String> r = h.get("/v1/agent/service/web?hash=" + hash + "&wait=1s");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertTrue(ms >= 900, "answered after " + ms + " ms");
        start = System.nanoTime();
        assertEquals(200, h.get("/v1/agent/service/web?hash=other&wait=5s").statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000, "a stale hash answers at once");
    }

    @Test
    void idsArePercentDecodedAndMayHoldSlashes() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"postgresql\", \"ID\": \"batman/postgresql0\"}");
        assertEquals("batman/postgresql0", json(h.get("/v1/agent/service/batman%2Fpostgresql0")).get("ID").asText());
        assertAnswer(200, "", put("/v1/agent/service/deregister/batman%2Fpostgresql0"));
        assertTrue(h.agent.local.services().isEmpty());
    }

    @Test
    void deregisteringAnUnknownServiceIs404() throws Exception {
        assertAnswer(404, "Unknown service ID \"ghost\". Ensure that the service ID is passed, not the service name.",
                put("/v1/agent/service/deregister/ghost"));
    }

    @Test
    void serviceMaintenanceChecksItsParameters() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\"}");
        assertAnswer(400, "Missing value for enable", put("/v1/agent/service/maintenance/web"));
        assertAnswer(400, "Invalid value for enable: \"maybe\"", put("/v1/agent/service/maintenance/web?enable=maybe"));
        assertAnswer(400, "Missing service ID", put("/v1/agent/service/maintenance/?enable=true"));
        assertAnswer(404, "Unknown service ID \"db\". Ensure that the service ID is passed, not the service name.",
                put("/v1/agent/service/maintenance/db?enable=true"));
        assertAnswer(200, "", put("/v1/agent/service/maintenance/web?enable=true&reason=deploy%20v2"));
        assertEquals("deploy v2", h.agent.local.checks().get("_service_maintenance:web").notes());
        assertAnswer(200, "", put("/v1/agent/service/maintenance/web?enable=false"));
        assertTrue(h.agent.local.checks().isEmpty());
    }

    @Test
    void methodsAreCheckedAsConsulRegistersThem() throws Exception {
        HttpResponse<String> r = h.get("/v1/agent/service/register");
        assertEquals(405, r.statusCode());
        assertEquals("OPTIONS,PUT", r.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, h.send("DELETE", "/v1/agent/services").statusCode());
        assertEquals(405, h.get("/v1/agent/check/pass/x").statusCode());
        assertEquals(405, put("/v1/agent/checks").statusCode());
        assertEquals(405, h.get("/v1/agent/reload").statusCode());
        assertEquals(405, h.get("/v1/agent/maintenance").statusCode());
    }

    @Test
    void servicesAndChecksTakeConsulsFilter() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"Tags\": [\"java\"], \"Port\": 80, \"Check\": {\"TTL\": \"10s\"}}");
        put("/v1/agent/service/register", "{\"Name\": \"db\", \"Port\": 5432, \"Meta\": {\"env\": \"prod\"}}");
        assertEquals(List.of("web"), names(h.get("/v1/agent/services?filter=" + enc("java in Tags"))));
        assertEquals(List.of("db"), names(h.get("/v1/agent/services?filter=" + enc("Meta.env == prod and Port == 5432"))));
        assertEquals(List.of("db", "web"), names(h.get("/v1/agent/services?filter=")));
        assertEquals(List.of("service:web"),
                names(h.get("/v1/agent/checks?filter=" + enc("ServiceName == web and Status == critical"))));
        HttpResponse<String> bad = h.get("/v1/agent/services?filter=" + enc("Nope == 1"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("Failed to create boolean expression evaluator: "), bad.body());
    }

    private static List<String> names(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new java.util.ArrayList<>();
        json(r).fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- checks ----

    @Test
    void checksListInConsulsShape() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"Tags\": [\"v1\"], \"Check\": {\"TTL\": \"30s\"}}");
        put("/v1/agent/check/register", "{\"Name\": \"mem\", \"TTL\": \"1m\", \"Status\": \"passing\"}");
        HttpResponse<String> r = h.get("/v1/agent/checks");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("{\"mem\":{\"Node\":\"node-1\",\"CheckID\":\"mem\",\"Name\":\"mem\",\"Status\":\"passing\","
                + "\"Notes\":\"\",\"Output\":\"\",\"ServiceID\":\"\",\"ServiceName\":\"\",\"ServiceTags\":[],\"Type\":\"ttl\","
                + "\"Definition\":{},\"CreateIndex\":0,\"ModifyIndex\":0},\"service:web\":{"), r.body());
        JsonNode web = json(r).get("service:web");
        assertEquals("Service 'web' check", web.get("Name").asText());
        assertEquals(Health.CRITICAL, web.get("Status").asText());
        assertEquals("v1", web.get("ServiceTags").get(0).asText());
    }

    @Test
    void anHttpCheckShowsItsDefinition() throws Exception {
        put("/v1/agent/check/register", "{\"Name\": \"h\", \"HTTP\": \"http://localhost/x?a=1&b=2\", \"Interval\": \"10s\"}");
        HttpResponse<String> r = h.get("/v1/agent/checks");
        assertTrue(r.body().contains("\"Definition\":{\"HTTP\":\"http://localhost/x?a=1\\u0026b=2\",\"Interval\":\"10s\"}"),
                r.body());
    }

    @Test
    void checkRegistrationRefusalsAreConsuls() throws Exception {
        assertAnswer(400, "Missing check name", put("/v1/agent/check/register", "{\"TTL\": \"10s\"}"));
        assertAnswer(400, "Bad check status", put("/v1/agent/check/register", "{\"Name\": \"a\", \"TTL\": \"10s\", \"Status\": \"up\"}"));
        assertAnswer(400, "Invalid check: TTL must be > 0 for TTL checks", put("/v1/agent/check/register", "{\"Name\": \"a\"}"));
        assertAnswer(404, "ServiceID \"web\" does not exist",
                put("/v1/agent/check/register", "{\"Name\": \"a\", \"TTL\": \"10s\", \"ServiceID\": \"web\"}"));
        assertAnswer(400, "Request decode failed: EOF", put("/v1/agent/check/register"));
    }

    @Test
    void ttlChecksTakePassWarnFailAndUpdate() throws Exception {
        put("/v1/agent/check/register", "{\"Name\": \"beat\", \"TTL\": \"30s\"}");
        assertAnswer(200, "", put("/v1/agent/check/pass/beat?note=all%20good"));
        assertEquals(Health.PASSING, h.agent.local.checks().get("beat").status());
        assertEquals("all good", h.agent.local.checks().get("beat").output());
        assertAnswer(200, "", put("/v1/agent/check/warn/beat"));
        assertEquals(Health.WARNING, h.agent.local.checks().get("beat").status());
        assertAnswer(200, "", put("/v1/agent/check/fail/beat?note=down"));
        assertEquals(Health.CRITICAL, h.agent.local.checks().get("beat").status());
        assertAnswer(200, "", put("/v1/agent/check/update/beat", "{\"status\": \"passing\", \"output\": \"via update\"}"));
        assertEquals("via update", h.agent.local.checks().get("beat").output());
        assertEquals(Health.PASSING, h.agent.local.checks().get("beat").status());
    }

    @Test
    void ttlUpdateRefusalsAreConsuls() throws Exception {
        put("/v1/agent/check/register", "{\"Name\": \"beat\", \"TTL\": \"30s\"}");
        put("/v1/agent/check/register", "{\"Name\": \"web\", \"HTTP\": \"http://x\", \"Interval\": \"10s\"}");
        assertAnswer(404, "Unknown check ID \"ghost\". Ensure that the check ID is passed, not the check name.",
                put("/v1/agent/check/pass/ghost"));
        assertAnswer(500, "CheckID \"web\" does not have associated TTL", put("/v1/agent/check/pass/web"));
        assertAnswer(400, "Invalid check status: 'bogus'", put("/v1/agent/check/update/beat", "{\"Status\": \"bogus\"}"));
        assertAnswer(400, "Invalid check status: ''", put("/v1/agent/check/update/beat", "{}"));
        assertAnswer(400, "Request decode failed: EOF", put("/v1/agent/check/update/beat"));
        assertAnswer(400, "Request decode failed: json: cannot unmarshal number into Go struct field checkUpdate.Status of type string",
                put("/v1/agent/check/update/beat", "{\"Status\": 1}"));
    }

    @Test
    void deregisteringChecks() throws Exception {
        put("/v1/agent/check/register", "{\"Name\": \"beat\", \"TTL\": \"30s\"}");
        assertAnswer(200, "", put("/v1/agent/check/deregister/beat"));
        assertAnswer(404, "Unknown check ID \"beat\". Ensure that the check ID is passed, not the check name.",
                put("/v1/agent/check/deregister/beat"));
    }

    // ---- node maintenance, reload, members ----

    @Test
    void nodeMaintenance() throws Exception {
        assertAnswer(400, "Missing value for enable", put("/v1/agent/maintenance"));
        assertAnswer(400, "Invalid value for enable: \"yes\"", put("/v1/agent/maintenance?enable=yes"));
        assertAnswer(200, "", put("/v1/agent/maintenance?enable=true&reason=kernel"));
        assertEquals("kernel", h.agent.local.checks().get("_node_maintenance").notes());
        assertAnswer(200, "", put("/v1/agent/maintenance?enable=false"));
        assertTrue(h.agent.local.checks().isEmpty());
    }

    @Test
    void reloadAnswersTheReasonItFailed() throws Exception {
        int before = h.agent.local.reloads;
        assertAnswer(200, "", put("/v1/agent/reload"));
        assertEquals(before + 1, h.agent.local.reloads);
        h.agent.local.reloadFailure = "Error parsing web.json: invalid character '}'";
        assertAnswer(500, "Error parsing web.json: invalid character '}'", put("/v1/agent/reload"));
    }

    @Test
    void membersLanAndWan() throws Exception {
        JsonNode lan = json(h.get("/v1/agent/members"));
        assertEquals(1, lan.size());
        assertEquals("node-1", lan.get(0).get("Name").asText());
        assertEquals(8301, lan.get(0).get("Port").asInt());
        JsonNode wan = json(h.get("/v1/agent/members?wan=1"));
        assertEquals("node-1.dc1", wan.get(0).get("Name").asText());
        assertEquals(8302, wan.get(0).get("Port").asInt());
        assertEquals(1, json(h.get("/v1/agent/members?wan=")).size());
        assertAnswer(400, "Cannot provide a segment with wan=true", h.get("/v1/agent/members?wan=1&segment=alpha"));
    }

    // ---- local service health ----

    @Test
    void serviceHealthByNameAnswersTheWorstStatusAsItsCode() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"ID\": \"web-1\", \"Check\": {\"TTL\": \"30s\", \"Status\": \"passing\"}}");
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"ID\": \"web-2\", \"Check\": {\"TTL\": \"30s\", \"Status\": \"passing\"}}");
        HttpResponse<String> ok = h.get("/v1/agent/health/service/name/web");
        assertEquals(200, ok.statusCode());
        JsonNode list = json(ok);
        assertEquals(2, list.size());
        assertEquals(Health.PASSING, list.get(0).get("AggregatedStatus").asText());
        assertEquals("web-1", list.get(0).get("Service").get("ID").asText());
        assertEquals("service:web-1", list.get(0).get("Checks").get(0).get("CheckID").asText());
        assertTrue(ok.body().startsWith("[{\"AggregatedStatus\":\"passing\",\"Service\":{\"ID\":\"web-1\""), ok.body());

        put("/v1/agent/check/warn/service:web-2");
        assertEquals(429, h.get("/v1/agent/health/service/name/web").statusCode());
        put("/v1/agent/check/fail/service:web-1");
        HttpResponse<String> text = h.get("/v1/agent/health/service/name/web?format=text");
        assertAnswer(503, "critical", text);
        assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));

        put("/v1/agent/check/pass/service:web-1");
        put("/v1/agent/check/pass/service:web-2");
        put("/v1/agent/maintenance?enable=true");
        assertAnswer(503, "maintenance", h.get("/v1/agent/health/service/name/web?format=text"));
    }

    @Test
    void serviceHealthByIdIsOneObject() throws Exception {
        put("/v1/agent/service/register", "{\"Name\": \"web\", \"ID\": \"web-1\", \"Check\": {\"TTL\": \"30s\", \"Status\": \"warning\"}}");
        HttpResponse<String> r = h.get("/v1/agent/health/service/id/web-1");
        assertEquals(429, r.statusCode());
        assertEquals(Health.WARNING, json(r).get("AggregatedStatus").asText());
        assertEquals("web-1", json(r).get("Service").get("ID").asText());
        HttpResponse<String> plain = h.send("GET", "/v1/agent/health/service/id/web-1");
        assertEquals(429, plain.statusCode());
    }

    @Test
    void serviceHealthForUnknownServices() throws Exception {
        assertAnswer(404, "[]", h.get("/v1/agent/health/service/name/ghost"));
        assertAnswer(404, "ServiceName ghost Not Found", h.get("/v1/agent/health/service/name/ghost?format=text"));
        assertAnswer(404, "{\"AggregatedStatus\":\"critical\",\"Service\":null,\"Checks\":null}",
                h.get("/v1/agent/health/service/id/ghost"));
        assertAnswer(404, "ServiceId ghost not found", h.get("/v1/agent/health/service/id/ghost?format=text"));
        assertAnswer(400, "Missing service Name", h.get("/v1/agent/health/service/name/"));
        assertAnswer(400, "Missing serviceID", h.get("/v1/agent/health/service/id/"));
    }
}
