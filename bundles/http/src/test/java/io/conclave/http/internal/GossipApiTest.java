package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.UserEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Members, join, force-leave, events and the keyring over real HTTP, against {@link FakeGossip}. */
class GossipApiTest {

    private Harness h;

    @BeforeEach
    void start() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static void assertAnswer(int status, String body, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(body, r.body());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        return Json.mapper().readTree(r.body());
    }

    // ---- members, join, force-leave ----

    @Test
    void membersShowEachPoolInConsulsShape() throws Exception {
        h.agent.gossip.lan.put("node-2", new Member("node-2", "127.0.0.2", 8301, Map.of("role", "node", "dc", "dc1"),
                4, 1, 5, 2, 2, 5, 4));
        HttpResponse<String> r = h.get("/v1/agent/members");
        JsonNode lan = json(r);
        assertEquals(2, lan.size());
        assertEquals("node-2", lan.get(1).get("Name").asText());
        assertEquals(4, lan.get(1).get("Status").asInt());
        assertTrue(r.body().startsWith("[{\"Name\":\"node-1\",\"Addr\":\"127.0.0.1\",\"Port\":8301,\"Tags\":{\"dc\":\"dc1\","
                + "\"role\":\"consul\"},\"Status\":1,\"ProtocolMin\":1,\"ProtocolMax\":5,\"ProtocolCur\":2,"
                + "\"DelegateMin\":2,\"DelegateMax\":5,\"DelegateCur\":4}"), r.body());
        JsonNode wan = json(h.get("/v1/agent/members?wan=1&segment=_all"));
        assertEquals(List.of("node-1.dc1"), List.of(wan.get(0).get("Name").asText()));
        assertEquals(2, json(h.get("/v1/agent/members?segment=")).size());
    }

    @Test
    void joinAnswersEmpty200OrTheErrorAs500() throws Exception {
        h.agent.gossip.reachable.add("127.0.0.2");
        assertAnswer(200, "", h.put("/v1/agent/join/127.0.0.2", null));
        assertAnswer(200, "", h.put("/v1/agent/join/127.0.0.2?wan=1", null));
        assertEquals(List.of("join [127.0.0.2]", "join-wan [127.0.0.2]"), h.agent.gossip.calls);
        assertAnswer(500, "1 error occurred:\n\t* Failed to join 127.0.0.9:8301: dial tcp: connection refused\n\n",
                h.put("/v1/agent/join/127.0.0.9:8301", null));
        assertAnswer(405, "method GET not allowed", h.get("/v1/agent/join/127.0.0.2"));
    }

    @Test
    void forceLeaveMarksTheNodeLeftOrAnswersConsulsNotFound() throws Exception {
        h.agent.gossip.lan.put("node-2", new Member("node-2", "127.0.0.2", 8301, Map.of(), 4, 1, 5, 2, 2, 5, 4));
        assertAnswer(200, "", h.put("/v1/agent/force-leave/node-2", null));
        assertEquals(3, h.agent.gossip.lan.get("node-2").status());
        assertAnswer(200, "", h.put("/v1/agent/force-leave/node-2?prune", null));
        assertFalse(h.agent.gossip.lan.containsKey("node-2"));
        assertAnswer(500, "agent: No node found with name 'ghost'", h.put("/v1/agent/force-leave/ghost", null));
        assertAnswer(200, "", h.put("/v1/agent/force-leave/node-1.dc1?wan", null));
        assertEquals(List.of("force-leave node-2", "force-leave node-2 prune", "force-leave ghost",
                "force-leave node-1.dc1 wan"), h.agent.gossip.calls);
    }

    // ---- events ----

    @Test
    void fireAnswersTheEventSentWithItsFiltersAndPayload() throws Exception {
        HttpResponse<String> r = h.put("/v1/event/fire/deploy?node=%5Eweb&service=api&tag=v2", "v1.2.3");
        JsonNode e = json(r);
        assertEquals(UUID.fromString(e.get("ID").asText()).toString(), e.get("ID").asText());
        assertEquals("deploy", e.get("Name").asText());
        assertEquals("v1.2.3", new String(Base64.getDecoder().decode(e.get("Payload").asText()), StandardCharsets.UTF_8));
        assertEquals("^web", e.get("NodeFilter").asText());
        assertEquals("api", e.get("ServiceFilter").asText());
        assertEquals("v2", e.get("TagFilter").asText());
        assertEquals(1, e.get("Version").asInt());
        assertEquals(0, e.get("LTime").asInt());
        assertTrue(r.body().startsWith("{\"ID\":"), r.body());
        assertTrue(r.body().endsWith(",\"Version\":1,\"LTime\":0}"), r.body());

        JsonNode bare = json(h.put("/v1/event/fire/restart", null));
        assertTrue(bare.get("Payload").isNull(), "no body, no payload");
        assertEquals("", bare.get("NodeFilter").asText());
    }

    @Test
    void fireRefusalsAreConsulsAnswers() throws Exception {
        assertAnswer(400, "Missing name", h.put("/v1/event/fire/", "x"));
        assertAnswer(500, "Cannot provide tag filter without service filter", h.put("/v1/event/fire/x?tag=v2", null));
        assertAnswer(500, "No path to datacenter", h.put("/v1/event/fire/x?dc=dc9", null));
        assertAnswer(500, "user event exceeds configured limit of 512 bytes before encoding",
                h.put("/v1/event/fire/x", "y".repeat(513)));
        // Declared over the limit, refused on its declared length before any body byte is sent: the client writes
        // only the head, so the answer cannot be lost to a connection closed under a body still being written.
        String huge;
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", java.net.URI.create(h.base()).getPort())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(("PUT /v1/event/fire/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                    + (EventResource.MAX_PAYLOAD + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            huge = new java.io.BufferedReader(new java.io.InputStreamReader(raw.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
        assertEquals("HTTP/1.1 413 Payload Too Large", huge);
        HttpResponse<String> get = h.get("/v1/event/fire/x");
        assertAnswer(405, "method GET not allowed", get);
        assertEquals("OPTIONS,PUT", get.headers().firstValue("Allow").orElseThrow());
        assertEquals(List.of(), h.agent.gossip.events, "nothing was sent");
    }

    @Test
    void listShowsEventsOldestFirstWithTheNewestIdAsIndex() throws Exception {
        HttpResponse<String> empty = h.get("/v1/event/list");
        assertAnswer(200, "[]", empty);
        assertEquals("1", empty.headers().firstValue("X-Consul-Index").orElseThrow());

        h.agent.gossip.receive(new UserEvent("b54fe110-7af5-cafc-d1fb-afc8ba432b1c", "deploy", "x".getBytes(), "", "", "",
                1, 5));
        h.agent.gossip.receive(new UserEvent("ffffffff-ffff-ffff-0000-000000000000", "restart", null, "", "", "", 1, 6));
        HttpResponse<String> all = h.get("/v1/event/list");
        JsonNode list = json(all);
        assertEquals(List.of("deploy", "restart"), List.of(list.get(0).get("Name").asText(), list.get(1).get("Name").asText()));
        assertEquals("eA==", list.get(0).get("Payload").asText());
        assertEquals(6, list.get(1).get("LTime").asInt());
        assertEquals("18446744073709551615", all.headers().firstValue("X-Consul-Index").orElseThrow(),
                "Consul's uuidToUint64 of the newest ID, unsigned");
        assertFalse(all.headers().firstValue("X-Consul-KnownLeader").isPresent(), "Consul's event list sets only the index");

        HttpResponse<String> deploys = h.get("/v1/event/list?name=deploy&node=ignored&service=ignored&tag=ignored");
        assertEquals(1, json(deploys).size());
        assertEquals("7256511592453824992", deploys.headers().firstValue("X-Consul-Index").orElseThrow());
        assertAnswer(200, "[]", h.get("/v1/event/list?name=nothing"));
    }

    @Test
    void listParsesWaitAndIndexAsConsul() throws Exception {
        assertAnswer(400, "Invalid wait time", h.get("/v1/event/list?wait=soon"));
        assertAnswer(400, "Invalid index", h.get("/v1/event/list?index=-1"));
        assertAnswer(200, "[]", h.get("/v1/event/list?index=2&wait=1s")); // a different index answers at once
        assertAnswer(405, "method PUT not allowed", h.put("/v1/event/list", null));
    }

    @Test
    void aListAtTheCurrentIndexParksUntilAMatchingEventArrives() throws Exception {
        h.agent.gossip.receive(new UserEvent("ffffffff-ffff-ffff-0000-000000000000", "deploy", null, "", "", "", 1, 1));
        String index = h.get("/v1/event/list?name=deploy").headers().firstValue("X-Consul-Index").orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create(h.base() + "/v1/event/list?name=deploy&wait=30s&index="
                + index)).timeout(Harness.BOUND).build();
        CompletableFuture<HttpResponse<String>> parked = h.client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        Harness.await("the read to park", () -> h.agent.gossip.parked() == 1);

        h.agent.gossip.receive(new UserEvent(UUID.randomUUID().toString(), "other", null, "", "", "", 1, 2));
        assertFalse(parked.isDone(), "an event of another name changes nothing for this read");

        h.put("/v1/event/fire/deploy", "now");
        HttpResponse<String> woken = parked.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
        JsonNode list = json(woken);
        assertEquals(2, list.size());
        assertFalse(index.equals(woken.headers().firstValue("X-Consul-Index").orElseThrow()));
    }

    @Test
    void aParkedListEndsWithItsWait() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = h.get("/v1/event/list?index=1&wait=300ms");
        long took = (System.nanoTime() - start) / 1_000_000;
        assertAnswer(200, "[]", r);
        assertEquals("1", r.headers().firstValue("X-Consul-Index").orElseThrow());
        assertTrue(took >= 250, "waited " + took + " ms");
    }

    // ---- keyring ----

    @Test
    void keyringListIsConsulsShapeWanFirst() throws Exception {
        h.agent.gossip.keyring = List.of(
                new KeyringResponse(true, "dc1", Map.of("pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=", 1), 1, 0, Map.of()),
                new KeyringResponse(false, "dc1", Map.of("pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=", 3), 3, 0, Map.of()));
        HttpResponse<String> r = h.get("/v1/operator/keyring");
        assertAnswer(200, "[{\"WAN\":true,\"Datacenter\":\"dc1\",\"Segment\":\"\",\"Keys\":{"
                + "\"pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=\":1},\"NumNodes\":1},"
                + "{\"WAN\":false,\"Datacenter\":\"dc1\",\"Segment\":\"\",\"Keys\":{"
                + "\"pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=\":3},\"NumNodes\":3}]", r);
        assertEquals(1, json(h.get("/v1/operator/keyring?local-only=true")).size(), "local-only drops the WAN pool");
        assertEquals(List.of("keyring LIST", "keyring LIST"), h.agent.gossip.calls);
    }

    @Test
    void keyringWritesTakeTheKeyFromTheBody() throws Exception {
        h.agent.gossip.keyring = List.of(new KeyringResponse(false, "dc1", Map.of(), 3, 0, Map.of()));
        String body = "{\"Key\": \"T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=\"}";
        assertAnswer(200, "", h.send("POST", "/v1/operator/keyring", body));
        assertAnswer(200, "", h.send("PUT", "/v1/operator/keyring", body));
        assertAnswer(200, "", h.send("DELETE", "/v1/operator/keyring", "{\"key\": \"old\"}"));
        assertEquals(List.of("keyring INSTALL T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=",
                "keyring USE T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=", "keyring REMOVE old"), h.agent.gossip.calls);
    }

    @Test
    void keyringRefusalsAreConsuls() throws Exception {
        assertAnswer(400, "Request decode failed: EOF", h.send("POST", "/v1/operator/keyring", ""));
        assertAnswer(400, "Request decode failed: json: cannot unmarshal number into Go struct field keyringArgs.Key of type string",
                h.send("PUT", "/v1/operator/keyring", "{\"Key\": 5}"));
        assertAnswer(400, "Error parsing relay factor: strconv.Atoi: parsing \"x\": invalid syntax",
                h.get("/v1/operator/keyring?relay-factor=x"));
        assertAnswer(400, "Invalid relay-factor: Relay factor must be in range: [0, 5]",
                h.get("/v1/operator/keyring?relay-factor=6"));
        assertAnswer(400, "Error parsing local-only: strconv.ParseBool: parsing \"maybe\": invalid syntax",
                h.get("/v1/operator/keyring?local-only=maybe"));
        assertAnswer(400, "Invalid use of local-only: local-only can only be set for list requests",
                h.send("POST", "/v1/operator/keyring?local-only=1", "{\"Key\": \"k\"}"));
        assertAnswer(405, "method PATCH not allowed", h.send("PATCH", "/v1/operator/keyring", "{}"));
        assertEquals(List.of(), h.agent.gossip.calls);
    }

    @Test
    void membersThatFailAKeyQueryMakeA500ListingThem() throws Exception {
        h.agent.gossip.keyring = List.of(
                new KeyringResponse(true, "dc1", Map.of(), 1, 0, Map.of()),
                new KeyringResponse(false, "dc1", Map.of(), 3, 2, Map.of("node-3", "key not installed",
                        "node-2", "key not installed")));
        assertAnswer(500, "3 errors occurred:\n\t* dc1 (LAN) error: 2/3 nodes reported failure\n\t* node-2: key not installed"
                + "\n\t* node-3: key not installed\n\n", h.send("PUT", "/v1/operator/keyring", "{\"Key\": \"k\"}"));
        h.agent.gossip.keyring = List.of(new KeyringResponse(true, "dc1", Map.of(), 1, 1, Map.of()));
        assertAnswer(500, "1 error occurred:\n\t* WAN error: 1/1 nodes reported failure\n\n",
                h.get("/v1/operator/keyring"));
        h.agent.gossip.keyringFailure = new IllegalStateException("Gossip is not available: the gossip bundle is not active");
        assertAnswer(500, "Gossip is not available: the gossip bundle is not active", h.get("/v1/operator/keyring"));
    }
}
