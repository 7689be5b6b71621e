package io.conclave.http.internal;

import static io.conclave.http.internal.CatalogApiTest.assertMeta;
import static io.conclave.http.internal.CatalogApiTest.enc;
import static io.conclave.http.internal.CatalogApiTest.header;
import static io.conclave.http.internal.CatalogApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consul's /v1/health endpoints over a real listener and a {@link FakeCatalog}. */
class HealthApiTest {

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness();
        h.put("/v1/catalog/register", CatalogApiTest.tutorialRegistration("VM-0-17-centos", "fce5ac85-f41b-761c-492e-fe42b1ae4102"));
    }

    @AfterAll
    static void stop() {
        h.close();
        h.agent.catalog.close();
    }

    @Test
    void theTutorialsPassingServiceAnswersInConsulsShape() throws Exception {
        HttpResponse<String> r = h.get("/v1/health/service/web?passing");
        assertEquals(200, r.statusCode(), r.body());
        assertMeta(r);
        JsonNode entry = json(r).get(0);
        long idx = entry.get("Node").get("CreateIndex").asLong();
        String expected = """
                [{"Node":{"ID":"fce5ac85-f41b-761c-492e-fe42b1ae4102","Node":"VM-0-17-centos","Address":"127.0.0.1",
                  "Datacenter":"dc1","TaggedAddresses":{"lan":"127.0.0.1","lan_ipv4":"127.0.0.1","wan":"127.0.0.1",
                  "wan_ipv4":"127.0.0.1"},"Meta":{"consul-network-segment":""},"CreateIndex":%1$d,"ModifyIndex":%1$d},
                 "Service":{"ID":"web","Service":"web","Tags":["java"],"Address":"","Meta":null,"Port":8080,
                  "Weights":{"Passing":1,"Warning":1},"EnableTagOverride":false,"Proxy":{"MeshGateway":{},"Expose":{}},
                  "Connect":{},"CreateIndex":%1$d,"ModifyIndex":%1$d},
                 "Checks":[{"Node":"VM-0-17-centos","CheckID":"serfHealth","Name":"Serf Health Status","Status":"passing",
                   "Notes":"","Output":"Agent alive and reachable","ServiceID":"","ServiceName":"","ServiceTags":[],
                   "Type":"","Definition":{},"CreateIndex":%1$d,"ModifyIndex":%1$d},
                  {"Node":"VM-0-17-centos","CheckID":"service:web","Name":"Service 'web' check","Status":"passing",
                   "Notes":"","Output":"","ServiceID":"web","ServiceName":"web","ServiceTags":["java"],"Type":"script",
                   "Definition":{},"CreateIndex":%1$d,"ModifyIndex":%1$d}]}]
                """.formatted(idx).replaceAll("\\s*\\n\\s*", "");
        assertEquals(expected, r.body());
    }

    @Test
    void passingIsPresenceBasedAndOtherwiseABool() throws Exception {
        h.put("/v1/catalog/register", "{\"Node\":\"sick\",\"Address\":\"10.0.0.5\",\"Service\":{\"Service\":\"flaky\"},"
                + "\"Check\":{\"Name\":\"f\",\"ServiceID\":\"flaky\",\"Status\":\"warning\"}}");
        h.put("/v1/catalog/register", "{\"Node\":\"well\",\"Address\":\"10.0.0.6\",\"Service\":{\"Service\":\"flaky\"},"
                + "\"Check\":{\"Name\":\"f\",\"ServiceID\":\"flaky\",\"Status\":\"passing\"}}");
        assertEquals(List.of("sick", "well"), nodes(h.get("/v1/health/service/flaky")));
        assertEquals(List.of("well"), nodes(h.get("/v1/health/service/flaky?passing")));
        assertEquals(List.of("well"), nodes(h.get("/v1/health/service/flaky?passing=1")));
        assertEquals(List.of("well"), nodes(h.get("/v1/health/service/flaky?passing=true")));
        assertEquals(List.of("sick", "well"), nodes(h.get("/v1/health/service/flaky?passing=false")));
        HttpResponse<String> bad = h.get("/v1/health/service/flaky?passing=maybe");
        assertEquals(400, bad.statusCode());
        assertEquals("Invalid value for ?passing", bad.body());
    }

    @Test
    void thePassingFilterMovesTheLastEntryIntoADroppedOnesPlace() throws Exception {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> entries = new ArrayList<>();
        for (String s : List.of("critical", "passing", "passing", "warning", "passing")) {
            entries.add(m.readTree("{\"Checks\":[{\"Status\":\"" + s + "\"}],\"Id\":" + entries.size() + "}"));
        }
        assertEquals(List.of(4, 1, 2), HealthResource.onlyPassing(entries).stream().map(e -> e.get("Id").asInt()).toList());
    }

    private static List<String> nodes(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        json(r).forEach(e -> out.add(e.get("Node").get("Node").asText()));
        return out;
    }

    @Test
    void stateChecksAndNode() throws Exception {
        h.put("/v1/catalog/register", "{\"Node\":\"baidu-node\",\"Address\":\"10.0.0.8\",\"Service\":{\"Service\":\"baidu\"},"
                + "\"Check\":{\"CheckID\":\"service:baidu\",\"Name\":\"Service 'baidu' check\",\"ServiceID\":\"baidu\",\"Type\":\"script\"}}");
        HttpResponse<String> critical = h.get("/v1/health/state/critical");
        assertEquals(200, critical.statusCode());
        assertMeta(critical);
        JsonNode baidu = null;
        for (JsonNode c : json(critical)) {
            if (c.get("CheckID").asText().equals("service:baidu")) {
                baidu = c;
            }
        }
        long idx = baidu.get("CreateIndex").asLong();
        assertEquals(("{\"Node\":\"baidu-node\",\"CheckID\":\"service:baidu\",\"Name\":\"Service 'baidu' check\","
                + "\"Status\":\"critical\",\"Notes\":\"\",\"Output\":\"\",\"ServiceID\":\"baidu\",\"ServiceName\":\"baidu\","
                + "\"ServiceTags\":[],\"Type\":\"script\",\"Definition\":{},\"CreateIndex\":%d,\"ModifyIndex\":%d}")
                .formatted(idx, idx), baidu.toString());

        assertEquals("[]", h.get("/v1/health/state/bogus").body(), "Consul refuses no state");
        HttpResponse<String> missing = h.get("/v1/health/state/");
        assertEquals(400, missing.statusCode());
        assertEquals("Missing check state", missing.body());
        assertEquals(1, json(h.get("/v1/health/checks/baidu")).size());
        assertEquals(1, json(h.get("/v1/health/node/baidu-node")).size());
        assertEquals("[]", h.get("/v1/health/node/nobody").body());
        assertEquals("Missing service name", h.get("/v1/health/checks/").body());
        assertEquals("Missing node name", h.get("/v1/health/node/").body());
        assertEquals("Missing service name", h.get("/v1/health/service/").body());

        h.get("/v1/health/state/any?node-meta=a:b");
        assertEquals(Map.of("a", "b"), h.agent.catalog.lastNodeMeta);
        h.get("/v1/health/checks/baidu?node-meta=c:d");
        assertEquals(Map.of("c", "d"), h.agent.catalog.lastNodeMeta);
    }

    @Test
    void filtersSelectInEachEntry() throws Exception {
        assertEquals(1, json(h.get("/v1/health/service/web?filter=" + enc("Checks.Status == passing and Service.Tags contains java"))).size());
        assertEquals(0, json(h.get("/v1/health/service/web?filter=" + enc("Checks.Status == critical"))).size());
        assertEquals(1, json(h.get("/v1/health/service/web?filter=" + enc("Node.Meta[\"consul-network-segment\"] == \"\""))).size());
        assertEquals(2, json(h.get("/v1/health/node/VM-0-17-centos?filter=" + enc("Status == passing"))).size());
        assertEquals(1, json(h.get("/v1/health/node/VM-0-17-centos?filter=" + enc("ServiceID == \"\""))).size());
        HttpResponse<String> bad = h.get("/v1/health/state/any?filter=" + enc("Definition.HTTP == x"));
        assertEquals(400, bad.statusCode());
        assertEquals("Failed to create boolean expression evaluator: Selector [\"Definition\"] is not valid", bad.body());
        assertEquals(0, json(h.get("/v1/health/service/web?node-meta=consul-network-segment:x")).size());
        assertEquals(1, json(h.get("/v1/health/service/web?node-meta=consul-network-segment:")).size());
    }

    @Test
    void tagsAreRepeatable() throws Exception {
        h.get("/v1/health/service/web?tag=java&tag=v1");
        assertEquals(List.of("java", "v1"), h.agent.catalog.lastTags);
        h.get("/v1/health/service/web");
        assertEquals(List.of(), h.agent.catalog.lastTags);
    }

    @Test
    void aBlockingHealthReadWakesOnAWrite() throws Exception {
        HttpResponse<String> first = h.get("/v1/health/service/web");
        long index = Long.parseLong(header(first, "X-Consul-Index"));
        CompletableFuture<HttpResponse<String>> parked = h.client.sendAsync(HttpRequest.newBuilder(
                URI.create(h.base() + "/v1/health/service/web?passing&index=" + index)).timeout(Harness.BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
        Harness.await("the read to park", () -> h.agent.catalog.parked() == 1);
        h.put("/v1/catalog/register", "{\"Node\":\"VM-0-17-centos\",\"Address\":\"127.0.0.1\",\"SkipNodeUpdate\":true,"
                + "\"Check\":{\"CheckID\":\"service:web\",\"Name\":\"Service 'web' check\",\"ServiceID\":\"web\",\"Status\":\"critical\"}}");
        HttpResponse<String> woke = parked.get(10, TimeUnit.SECONDS);
        assertEquals(200, woke.statusCode());
        assertTrue(Long.parseLong(header(woke, "X-Consul-Index")) > index);
        assertEquals("[]", woke.body(), "no longer passing");
        h.put("/v1/catalog/register", "{\"Node\":\"VM-0-17-centos\",\"Address\":\"127.0.0.1\",\"SkipNodeUpdate\":true,"
                + "\"Check\":{\"CheckID\":\"service:web\",\"Name\":\"Service 'web' check\",\"ServiceID\":\"web\",\"Status\":\"passing\",\"Type\":\"script\"}}");
    }
}
