package io.conclave.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Starts the built distribution as a process and drives it as a user does: the CLI, curl-like HTTP
 * calls, a blocking query woken by a write, and the signals that stop it.
 */
class DistributionIT {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void cliAndHttpDriveKvAndSigtermExitsCleanly() throws Exception {
        try (AgentProcess agent = AgentProcess.startDev("e2e-one")) {
            assertTrue(agent.output.stream().anyMatch(l -> l.contains("Node name: 'e2e-one'")), String.join("\n", agent.output));
            assertTrue(agent.output.stream().anyMatch(l -> l.contains("Server: true")));

            AgentProcess.Result put = agent.cli(null, "kv", "put", "redis/config/minconns", "1");
            assertEquals(0, put.exit(), put.out());
            assertEquals("Success! Data written to: redis/config/minconns", put.out().trim());
            assertEquals(0, agent.cli(null, "kv", "put", "-flags=42", "redis/config/users/admin", "abcd1234").exit());
            assertEquals(0, agent.cli("from stdin", "kv", "put", "redis/config/stdin", "-").exit());

            AgentProcess.Result got = agent.cli(null, "kv", "get", "redis/config/minconns");
            assertEquals("1", got.out().trim());
            assertEquals("from stdin", agent.cli(null, "kv", "get", "redis/config/stdin").out().trim());

            AgentProcess.Result recurse = agent.cli(null, "kv", "get", "-recurse", "redis");
            assertTrue(recurse.out().contains("redis/config/minconns:1"), recurse.out());
            assertTrue(recurse.out().contains("redis/config/users/admin:abcd1234"), recurse.out());

            AgentProcess.Result detailed = agent.cli(null, "kv", "get", "-detailed", "redis/config/users/admin");
            assertTrue(detailed.out().contains("Flags") && detailed.out().contains("42"), detailed.out());

            AgentProcess.Result missing = agent.cli(null, "kv", "get", "not/there");
            assertEquals(1, missing.exit());
            assertTrue(missing.out().contains("Error! No key exists at: not/there"), missing.out());

            // A blocking query parks until a write to its key wakes it.
            HttpResponse<String> first = get(agent.url("/v1/kv/redis/config/minconns"));
            long index = Long.parseLong(first.headers().firstValue("X-Consul-Index").orElseThrow());
            CompletableFuture<HttpResponse<String>> parked = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(agent.url("/v1/kv/redis/config/minconns?index=" + index + "&wait=60s")))
                            .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
            assertFalse(parked.isDone(), "a blocking query with the current index must park");
            assertEquals(0, agent.cli(null, "kv", "put", "redis/config/minconns", "2").exit());
            HttpResponse<String> woken = parked.get(30, TimeUnit.SECONDS);
            assertEquals(200, woken.statusCode());
            assertTrue(Long.parseLong(woken.headers().firstValue("X-Consul-Index").orElseThrow()) > index);
            assertTrue(woken.body().matches("(?s).*\"Value\":\\s*\"Mg==\".*"), woken.body());

            AgentProcess.Result export = agent.cli(null, "kv", "export", "redis/");
            assertEquals(0, export.exit(), export.out());
            assertEquals(0, agent.cli(null, "kv", "delete", "-recurse", "redis").exit());
            assertEquals(404, get(agent.url("/v1/kv/redis/config/minconns")).statusCode());
            AgentProcess.Result imported = agent.cli(export.out(), "kv", "import", "-");
            assertEquals(0, imported.exit(), imported.out());
            assertTrue(imported.out().contains("Imported: redis/config/minconns"), imported.out());
            assertEquals("2", agent.cli(null, "kv", "get", "redis/config/minconns").out().trim());

            assertEquals(400, get(agent.url("/v1/kv/redis?index=abc")).statusCode());

            agent.process.destroy(); // SIGTERM
            assertTrue(agent.process.waitFor(30, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
            assertEquals(0, agent.process.exitValue(), String.join("\n", agent.output));
        }
    }

    @Test
    void leaveStopsTheAgent() throws Exception {
        try (AgentProcess agent = AgentProcess.startDev("e2e-two")) {
            AgentProcess.Result leave = agent.cli(null, "leave");
            assertEquals(0, leave.exit(), leave.out());
            assertTrue(leave.out().contains("Graceful leave complete"), leave.out());
            assertTrue(agent.process.waitFor(30, TimeUnit.SECONDS), "agent did not stop after leave");
            assertEquals(0, agent.process.exitValue(), String.join("\n", agent.output));
        }
    }

    @Test
    void anInvalidConfigurationFailsClearly() throws Exception {
        AgentProcess.Result r = AgentProcess.run(List.of(AgentProcess.home().resolve("bin/conclave").toString(),
                "agent", "-dev", "-bootstrap-expect=1"), Map.of(), null, java.time.Duration.ofSeconds(60));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("'bootstrap_expect > 0' not allowed in dev mode"), r.out());
    }
}
