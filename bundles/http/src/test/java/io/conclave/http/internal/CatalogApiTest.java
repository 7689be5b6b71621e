package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.RegisterRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consul's /v1/catalog endpoints over a real listener and a {@link FakeCatalog}. */
class CatalogApiTest {

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness();
    }

    @AfterAll
    static void stop() {
        h.close();
        h.agent.catalog.close();
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    static void assertMeta(HttpResponse<?> r) {
        assertTrue(Long.parseLong(header(r, "X-Consul-Index")) >= 1, "X-Consul-Index");
        assertEquals("true", header(r, "X-Consul-KnownLeader"));
        assertEquals("0", header(r, "X-Consul-LastContact"));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    /** What the agent registers for the tutorial's node and its web service. */
    static String tutorialRegistration(String node, String id) {
        return """
                {"ID": "%s", "Node": "%s", "Address": "127.0.0.1",
                 "TaggedAddresses": {"lan": "127.0.0.1", "lan_ipv4": "127.0.0.1", "wan": "127.0.0.1", "wan_ipv4": "127.0.0.1"},
                 "NodeMeta": {"consul-network-segment": ""},
                 "Service": {"ID": "web", "Service": "web", "Tags": ["java"], "Port": 8080},
                 "Checks": [{"CheckID": "serfHealth", "Name": "Serf Health Status", "Status": "passing",
                             "Output": "Agent alive and reachable"},
                            {"CheckID": "service:web", "Name": "Service 'web' check", "Status": "passing",
                             "ServiceID": "web", "Type": "script"}]}
                """.formatted(id, node);
    }

    @Test
    void theTutorialsServiceAnswersInConsulsShapeAndOrder() throws Exception {
        HttpResponse<String> put = h.put("/v1/catalog/register",
                tutorialRegistration("VM-0-17-centos", "b0e0d63f-1a0e-acf4-63b8-1651e9446656"));
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("true", put.body());

        HttpResponse<String> get = h.get("/v1/catalog/service/web?pretty");
        assertEquals(200, get.statusCode(), get.body());
        assertMeta(get);
        long idx = json(get).get(0).get("CreateIndex").asLong();
        assertEquals("""
                [
                    {
                        "ID": "b0e0d63f-1a0e-acf4-63b8-1651e9446656",
                        "Node": "VM-0-17-centos",
                        "Address": "127.0.0.1",
                        "Datacenter": "dc1",
                        "TaggedAddresses": {
                            "lan": "127.0.0.1",
                            "lan_ipv4": "127.0.0.1",
                            "wan": "127.0.0.1",
                            "wan_ipv4": "127.0.0.1"
                        },
                        "NodeMeta": {
                            "consul-network-segment": ""
                        },
                        "ServiceKind": "",
                        "ServiceID": "web",
                        "ServiceName": "web",
                        "ServiceTags": [
                            "java"
                        ],
                        "ServiceAddress": "",
                        "ServiceWeights": {
                            "Passing": 1,
                            "Warning": 1
                        },
                        "ServiceMeta": {},
                        "ServicePort": 8080,
                        "ServiceEnableTagOverride": false,
                        "ServiceProxy": {
                            "MeshGateway": {},
                            "Expose": {}
                        },
                        "ServiceConnect": {},
                        "CreateIndex": %d,
                        "ModifyIndex": %d
                    }
                ]
                """.formatted(idx, idx), get.body());

        HttpResponse<String> compact = h.get("/v1/catalog/services");
        assertEquals(200, compact.statusCode());
        assertMeta(compact);
        assertTrue(compact.body().contains("\"web\":[\"java\"]"), compact.body());
    }

    @Test
    void nodesAndTheNodesServices() throws Exception {
        h.put("/v1/catalog/register", tutorialRegistration("node-a", "aaaaaaaa-1a0e-acf4-63b8-1651e9446656"));
        HttpResponse<String> nodes = h.get("/v1/catalog/nodes");
        assertEquals(200, nodes.statusCode());
        assertMeta(nodes);
        JsonNode a = null;
        for (JsonNode n : json(nodes)) {
            if (n.get("Node").asText().equals("node-a")) {
                a = n;
            }
        }
        assertEquals(List.of("ID", "Node", "Address", "Datacenter", "TaggedAddresses", "Meta", "CreateIndex", "ModifyIndex"),
                fieldNames(a));

        HttpResponse<String> node = h.get("/v1/catalog/node/node-a");
        assertEquals(200, node.statusCode());
        assertMeta(node);
        JsonNode body = json(node);
        assertEquals("node-a", body.get("Node").get("Node").asText());
        JsonNode web = body.get("Services").get("web");
        assertEquals(List.of("ID", "Service", "Tags", "Address", "Meta", "Port", "Weights", "EnableTagOverride", "Proxy",
                "Connect", "CreateIndex", "ModifyIndex"), fieldNames(web));
        assertTrue(web.get("Meta").isNull(), "a service registered without meta shows Meta: null");

        HttpResponse<String> unknown = h.get("/v1/catalog/node/nobody");
        assertEquals(200, unknown.statusCode());
        assertEquals("null", unknown.body());
        assertMeta(unknown);

        HttpResponse<String> filtered = h.get("/v1/catalog/node/node-a?filter=" + enc("Service != web"));
        assertEquals("{}", json(filtered).get("Services").toString());
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void nodeMetaAndFilterNarrowTheNodes() throws Exception {
        h.put("/v1/catalog/register", "{\"Node\":\"meta-1\",\"Address\":\"10.0.0.1\",\"NodeMeta\":{\"env\":\"prod\",\"rack\":\"r1\"}}");
        h.put("/v1/catalog/register", "{\"Node\":\"meta-2\",\"Address\":\"10.0.0.2\",\"NodeMeta\":{\"env\":\"prod\",\"rack\":\"r2\"}}");
        h.put("/v1/catalog/register", "{\"Node\":\"meta-3\",\"Address\":\"10.0.0.3\"}");
        assertEquals(List.of("meta-1", "meta-2"), names(h.get("/v1/catalog/nodes?node-meta=env:prod")));
        assertEquals(List.of("meta-2"), names(h.get("/v1/catalog/nodes?node-meta=env:prod&node-meta=rack:r2")));
        assertEquals(List.of("meta-1"), names(h.get("/v1/catalog/nodes?filter=" + enc("Meta.rack == r1 and Node matches \"^meta\""))));
        assertEquals(List.of("meta-3"), names(h.get("/v1/catalog/nodes?filter=" + enc("Meta is empty and Address == \"10.0.0.3\""))));
        JsonNode m3 = json(h.get("/v1/catalog/nodes?filter=" + enc("Node == \"meta-3\""))).get(0);
        assertTrue(m3.get("Meta").isNull(), "no NodeMeta registered: Meta is null, as Consul's");
        assertTrue(m3.get("TaggedAddresses").isNull());

        h.get("/v1/catalog/services?node-meta=env:prod&node-meta=k");
        assertEquals(Map.of("env", "prod", "k", ""), h.agent.catalog.lastNodeMeta);
    }

    private static List<String> names(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new java.util.ArrayList<>();
        json(r).forEach(n -> out.add(n.get("Node").asText()));
        return out;
    }

    @Test
    void aBadFilterIsA400WithConsulsText() throws Exception {
        HttpResponse<String> r = h.get("/v1/catalog/nodes?filter=foo");
        assertEquals(400, r.statusCode());
        assertEquals("Failed to create boolean expression evaluator: 1:4 (3): no match found, expected: \"!=\", \".\", "
                + "\"==\", \"[\", [ \\t\\r\\n] or [a-zA-Z0-9_]", r.body());
        HttpResponse<String> sel = h.get("/v1/catalog/service/web?filter=" + enc("Nope == 1"));
        assertEquals(400, sel.statusCode());
        assertEquals("Failed to create boolean expression evaluator: Selector [\"Nope\"] is not valid", sel.body());
    }

    @Test
    void tagsArePassedAllTogetherAndNamesArePercentDecoded() throws Exception {
        h.put("/v1/catalog/register", "{\"Node\":\"slash\",\"Address\":\"10.0.0.9\",\"Service\":{\"Service\":\"scope/name\",\"Tags\":[\"a\",\"b\"]}}");
        HttpResponse<String> r = h.get("/v1/catalog/service/scope%2Fname?tag=a&tag=b");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("a", "b"), h.agent.catalog.lastTags);
        assertEquals("scope/name", json(r).get(0).get("ServiceID").asText(), "the ID defaulted to the name");
        assertEquals("[]", h.get("/v1/catalog/service/scope%2Fname?tag=c").body());
        assertEquals(400, h.get("/v1/catalog/service/").statusCode());
        assertEquals("Missing service name", h.get("/v1/catalog/service/").body());
        assertEquals("Missing node name", h.get("/v1/catalog/node/").body());
    }

    @Test
    void registerBodiesAreReadAsGoReadsThemAndInSnakeCase() throws Exception {
        HttpResponse<String> r = h.put("/v1/catalog/register", """
                {"node": "snake", "ADDRESS": "10.1.1.1", "tagged_addresses": {"lan_ipv4": "10.1.1.1"},
                 "node_meta": {"Some_Key": "v"}, "skip_node_update": false,
                 "service": {"service": "s1", "port": 81, "enable_tag_override": true,
                             "tagged_addresses": {"wan": {"address": "198.51.100.1", "port": 80}},
                             "weights": {"passing": 3, "warning": 2}, "meta": {"m": "1"}},
                 "check": {"name": "c1", "status": "passing", "service_id": "s1",
                           "definition": {"http": "http://x/health", "interval": "10s", "timeout": 1500000000,
                                          "header": {"X-A": ["1", "2"]}, "tls_skip_verify": true,
                                          "deregister_critical_service_after": "1m30s"}}}
                """);
        assertEquals(200, r.statusCode(), r.body());
        RegisterRequest req = h.agent.catalog.lastRegister;
        assertEquals("snake", req.node().node());
        assertEquals("10.1.1.1", req.node().address());
        assertEquals("dc1", req.node().datacenter());
        assertEquals(Map.of("lan_ipv4", "10.1.1.1"), req.node().taggedAddresses());
        assertEquals(Map.of("Some_Key", "v"), req.node().meta(), "map keys are kept as sent");
        assertEquals(81, req.service().port());
        assertTrue(req.service().enableTagOverride());
        assertEquals(3, req.service().weights().passing());
        assertEquals("198.51.100.1", req.service().taggedAddresses().get("wan").address());
        HealthCheck c = req.checks().get(0);
        assertEquals("s1", c.serviceId());
        assertEquals(Duration.ofSeconds(10), c.definition().interval());
        assertEquals(Duration.ofMillis(1500), c.definition().timeout());
        assertEquals(Duration.ofSeconds(90), c.definition().deregisterCriticalServiceAfter());
        assertEquals(List.of("1", "2"), c.definition().header().get("X-A"));
        assertTrue(c.definition().tlsSkipVerify());

        JsonNode check = json(h.get("/v1/health/node/snake")).get(0);
        assertEquals("{\"Interval\":\"10s\",\"Timeout\":\"1.5s\",\"DeregisterCriticalServiceAfter\":\"1m30s\","
                + "\"HTTP\":\"http://x/health\",\"TLSSkipVerify\":true,\"Header\":{\"X-A\":[\"1\",\"2\"]}}",
                check.get("Definition").toString());
    }

    @Test
    void badBodiesAndRefusalsAnswerAsConsulDoes() throws Exception {
        HttpResponse<String> empty = h.put("/v1/catalog/register", "");
        assertEquals(400, empty.statusCode());
        assertEquals("Request decode failed: EOF", empty.body());
        HttpResponse<String> wrongType = h.put("/v1/catalog/register", "{\"Node\":\"n\",\"Service\":{\"Port\":\"80\"}}");
        assertEquals(400, wrongType.statusCode());
        assertEquals("Request decode failed: json: cannot unmarshal string into Go struct field NodeService.Port of type int",
                wrongType.body());
        assertEquals(400, h.put("/v1/catalog/register", "{nope").statusCode());
        HttpResponse<String> noNode = h.put("/v1/catalog/register", "{\"Address\":\"10.0.0.1\"}");
        assertEquals(500, noNode.statusCode());
        assertEquals("Must provide node", noNode.body());
        HttpResponse<String> unknownService = h.put("/v1/catalog/register",
                "{\"Node\":\"x\",\"Address\":\"10.0.0.1\",\"Check\":{\"Name\":\"c\",\"ServiceID\":\"nope\"}}");
        assertEquals(500, unknownService.statusCode());
        assertEquals("failed inserting check: Missing service registration", unknownService.body());
        HttpResponse<String> otherDc = h.put("/v1/catalog/register", "{\"Datacenter\":\"dc9\",\"Node\":\"x\",\"Address\":\"1\"}");
        assertEquals(500, otherDc.statusCode());
        assertEquals("No path to datacenter", otherDc.body());
        HttpResponse<String> readOtherDc = h.get("/v1/catalog/nodes?dc=dc9");
        assertEquals(500, readOtherDc.statusCode());
        assertEquals("No path to datacenter", readOtherDc.body());
    }

    @Test
    void deregisterAnswersTrue() throws Exception {
        h.put("/v1/catalog/register", tutorialRegistration("gone", ""));
        HttpResponse<String> r = h.put("/v1/catalog/deregister", "{\"Node\":\"gone\",\"ServiceID\":\"web\",\"Address\":\"ignored\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("true", r.body());
        assertEquals("web", h.agent.catalog.lastDeregister.serviceId());
        assertEquals("Must provide node", h.put("/v1/catalog/deregister", "{}").body());
    }

    @Test
    void datacentersMethodsAndRedirects() throws Exception {
        HttpResponse<String> dcs = h.get("/v1/catalog/datacenters");
        assertEquals(200, dcs.statusCode());
        assertEquals("[\"dc1\"]", dcs.body());
        HttpResponse<String> post = h.send("POST", "/v1/catalog/nodes");
        assertEquals(405, post.statusCode());
        assertEquals("OPTIONS,GET", header(post, "Allow"));
        assertEquals(405, h.send("GET", "/v1/catalog/register").statusCode());
        HttpResponse<String> bare = h.get("/v1/catalog/service");
        assertEquals(301, bare.statusCode());
        assertEquals("/v1/catalog/service/", header(bare, "Location"));
    }

    @Test
    void aBlockingReadParksUntilAWriteAndCarriesTheNewIndex() throws Exception {
        HttpResponse<String> first = h.get("/v1/catalog/nodes");
        long index = Long.parseLong(header(first, "X-Consul-Index"));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> parked = h.client.sendAsync(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.base() + "/v1/catalog/nodes?index=" + index + "&wait=30s"))
                        .timeout(Harness.BOUND).build(), HttpResponse.BodyHandlers.ofString());
        Harness.await("the read to park", () -> h.agent.catalog.parked() == 1);
        h.put("/v1/catalog/register", "{\"Node\":\"late\",\"Address\":\"10.0.0.7\"}");
        HttpResponse<String> woke = parked.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, woke.statusCode());
        assertTrue(Long.parseLong(header(woke, "X-Consul-Index")) > index);
        assertTrue(woke.body().contains("\"late\""));
        assertEquals(Duration.ofSeconds(30), h.agent.catalog.lastOptions.maxWait());

        HttpResponse<String> timedOut = h.get("/v1/catalog/nodes?index=" + header(woke, "X-Consul-Index") + "&wait=50ms");
        assertEquals(header(woke, "X-Consul-Index"), header(timedOut, "X-Consul-Index"));
        assertEquals(400, h.get("/v1/catalog/nodes?index=x").statusCode());
        assertEquals(400, h.get("/v1/catalog/nodes?stale&consistent").statusCode());
    }
}
