package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.consensus.ConsensusStatus;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatusAndAgentTest {

    private static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void leaderAndPeersAreJsonStrings() throws Exception {
        HttpResponse<String> leader = h.get("/v1/status/leader");
        assertEquals(200, leader.statusCode());
        assertEquals("\"127.0.0.1:8300\"", leader.body());
        assertEquals("application/json", leader.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("allow", leader.headers().firstValue("X-Consul-Default-ACL-Policy").orElseThrow());
        assertFalse(leader.headers().firstValue("X-Consul-Index").isPresent(), "status sets no query meta");
        assertEquals("[\"127.0.0.1:8300\"]", h.get("/v1/status/peers").body());
    }

    @Test
    void noLeaderIsAnEmptyString() throws Exception {
        ConsensusStatus before = h.agent.status;
        h.agent.status = new ConsensusStatus("", List.of(), false, 0);
        try {
            assertEquals("\"\"", h.get("/v1/status/leader").body());
            assertEquals("[]", h.get("/v1/status/peers").body());
        } finally {
            h.agent.status = before;
        }
    }

    @Test
    void statusParsesTheCommonOptions() throws Exception {
        assertEquals(400, h.get("/v1/status/leader?index=x").statusCode());
        HttpResponse<String> otherDc = h.get("/v1/status/peers?dc=dc9");
        assertEquals(500, otherDc.statusCode());
        assertEquals("No path to datacenter", otherDc.body());
        assertEquals(200, h.get("/v1/status/leader?dc=dc1&stale").statusCode());
    }

    @Test
    void agentSelfHasWhatClientsTypeAssert() throws Exception {
        HttpResponse<String> r = h.get("/v1/agent/self");
        assertEquals(200, r.statusCode());
        JsonNode self = Json.mapper().readTree(r.body());
        assertTrue(self.get("Config").get("Datacenter").isTextual());
        assertEquals("dc1", self.get("Config").get("Datacenter").asText());
        assertEquals("node-1", self.get("Config").get("NodeName").asText());
        assertEquals("0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", self.get("Config").get("NodeID").asText());
        assertTrue(self.get("Config").get("Server").asBoolean());
        assertEquals("1.9.0", self.get("Config").get("Version").asText());
        assertTrue(self.get("DebugConfig").isObject());
        assertEquals(8, self.get("Coord").get("Vec").size());
        assertEquals("consul", self.get("Member").get("Tags").get("role").asText());
        assertEquals(1, self.get("Member").get("Status").asInt());
        assertEquals(8301, self.get("Member").get("Port").asInt());
        assertEquals("true", self.get("Stats").get("consul").get("leader").asText());
        assertTrue(self.get("Meta").isObject());
        assertTrue(r.body().startsWith("{\"Config\":{\"Datacenter\":\"dc1\",\"PrimaryDatacenter\":\"dc1\",\"NodeName\""));
    }

    @Test
    void leaveAnswersFirstThenLeaves() throws Exception {
        try (Harness own = new Harness()) {
            HttpResponse<String> r = own.send("PUT", "/v1/agent/leave");
            assertEquals(200, r.statusCode());
            assertEquals("", r.body());
            assertTrue(own.agent.left.await(Harness.BOUND.toSeconds(), TimeUnit.SECONDS), "leave was never called");
        }
    }
}
