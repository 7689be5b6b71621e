package io.conclave.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed tutorial's single-agent sections (../shared/seed/consul-intro.md §3.2, §4, §6), command
 * for command, with {@code conclave} in place of {@code consul}, against the built distribution:
 * service definition files, {@code dig} A/SRV/tag/NXDOMAIN+SOA, catalog and health HTTP answers,
 * reload picking up a new service, script checks going critical, and the unhealthy service gone from DNS.
 */
class TutorialIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path configDir;

    private String get(AgentProcess agent, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent.url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static String dig(int port, String... query) throws Exception {
        return Dig.query("127.0.0.1", port, query);
    }

    private static void assertMatches(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "expected /" + regex + "/ in:\n" + text);
    }

    @Test
    void servicesDnsHttpAndReload() throws Exception {
        Files.writeString(configDir.resolve("web.json"), "{\"service\": {\"name\": \"web\", \"tags\": [\"java\"], \"port\":8080}}");
        int dns = AgentProcess.freePort();
        try (AgentProcess agent = AgentProcess.startDev("tutorial", "-config-dir=" + configDir, "-dns-port=" + dns)) {
            // 3.2: members, catalog nodes, node lookup over DNS
            AgentProcess.Result members = agent.cli(null, "members");
            assertEquals(0, members.exit(), members.out());
            assertMatches("^Node\\s+Address\\s+Status\\s+Type\\s+Build\\s+Protocol\\s+DC\\s+Segment", members.out());
            assertMatches("^tutorial\\s+127\\.0\\.0\\.1:\\d+\\s+alive\\s+server\\s+\\S+\\s+2\\s+dc1\\s+<all>", members.out());

            String nodes = get(agent, "/v1/catalog/nodes");
            assertMatches("\"Node\":\\s*\"tutorial\"", nodes);
            assertMatches("\"lan_ipv4\":\\s*\"127\\.0\\.0\\.1\"", nodes);
            assertMatches("\"consul-network-segment\":\\s*\"\"", nodes);

            String node = dig(dns, "tutorial.node.consul");
            assertMatches("status: NOERROR", node);
            assertMatches("flags: qr aa rd", node);
            assertMatches("^tutorial\\.node\\.consul\\.\\s+0\\s+IN\\s+A\\s+127\\.0\\.0\\.1", node);

            // 4.2: the web service from the definition file, over DNS
            String a = dig(dns, "web.service.consul");
            assertMatches("status: NOERROR", a);
            assertMatches("^web\\.service\\.consul\\.\\s+0\\s+IN\\s+A\\s+127\\.0\\.0\\.1", a);
            String srv = dig(dns, "web.service.consul", "SRV");
            assertMatches("^web\\.service\\.consul\\.\\s+0\\s+IN\\s+SRV\\s+1 1 8080 tutorial\\.node\\.dc1\\.consul\\.", srv);
            assertMatches("^tutorial\\.node\\.dc1\\.consul\\.\\s+0\\s+IN\\s+A\\s+127\\.0\\.0\\.1", srv);
            String tagged = dig(dns, "java.web.service.consul", "SRV");
            assertMatches("^java\\.web\\.service\\.consul\\.\\s+0\\s+IN\\s+SRV\\s+1 1 8080 tutorial\\.node\\.dc1\\.consul\\.", tagged);
            String missing = dig(dns, "redis.service.consul", "SRV");
            assertMatches("status: NXDOMAIN", missing);
            assertMatches("^consul\\.\\s+0\\s+IN\\s+SOA\\s+ns\\.consul\\. hostmaster\\.consul\\. \\d+ 3600 600 86400 0", missing);

            // 4.3: the HTTP API
            String services = get(agent, "/v1/catalog/services");
            assertMatches("\"consul\":\\s*\\[\\s*\\]", services);
            assertMatches("\"web\":\\s*\\[\\s*\"java\"\\s*\\]", services);
            String web = get(agent, "/v1/catalog/service/web");
            assertMatches("\"ServiceName\":\\s*\"web\"", web);
            assertMatches("\"ServicePort\":\\s*8080", web);
            assertMatches("\"ServiceWeights\":\\s*\\{\\s*\"Passing\":\\s*1,\\s*\"Warning\":\\s*1\\s*\\}", web);
            String healthy = get(agent, "/v1/health/service/web?passing");
            assertMatches("\"CheckID\":\\s*\"serfHealth\"", healthy);
            assertMatches("\"Output\":\\s*\"Agent alive and reachable\"", healthy);

            // 4.4: a new definition file and a reload
            Files.writeString(configDir.resolve("redis.json"), "{\"service\": {\"name\": \"redis\", \"tags\": [\"master\"], \"port\": 6379}}");
            AgentProcess.Result reload = agent.cli(null, "reload");
            assertEquals(0, reload.exit(), reload.out());
            assertEquals("Configuration reload triggered", reload.out().trim());
            Await.until(Duration.ofSeconds(30), "redis in the catalog after reload", () -> {
                try {
                    return Pattern.compile("\"redis\":\\s*\\[\\s*\"master\"\\s*\\]").matcher(get(agent, "/v1/catalog/services")).find();
                } catch (Exception e) {
                    return false;
                }
            });

            agent.process.destroy();
            assertTrue(agent.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, agent.process.exitValue());
        }
    }

    @Test
    void scriptChecksGoCriticalAndTheServiceLeavesDns() throws Exception {
        Files.writeString(configDir.resolve("web.json"), "{\"service\": {\"name\": \"web\", \"tags\": [\"java\"], \"port\":8080}}");
        int dns = AgentProcess.freePort();
        int closed = AgentProcess.freePort(); // nothing listens here: the tutorial's "no web server yet"
        try (AgentProcess agent = AgentProcess.startDev("tutorial", "-config-dir=" + configDir, "-dns-port=" + dns,
                "-enable-script-checks")) {
            assertMatches("status: NOERROR", dig(dns, "web.service.consul"));

            // 6.1: checks defined in files, picked up by a reload
            Files.writeString(configDir.resolve("ping.json"), """
                    {"service": {"name": "baidu", "check": {"args": ["sh", "-c", "exit 2"], "interval": "1s"}}}
                    """);
            Files.writeString(configDir.resolve("web.json"), """
                    {"service": {"name": "web", "tags": ["java"], "port": 8080,
                      "check": {"args": ["curl", "-si", "localhost:%d/health"], "interval": "1s"}}}
                    """.formatted(closed));
            AgentProcess.Result reload = agent.cli(null, "reload");
            assertEquals("Configuration reload triggered", reload.out().trim());

            // 6.2: the failing checks, over HTTP and DNS
            Await.until(Duration.ofSeconds(30), "both script checks critical", () -> {
                try {
                    String critical = get(agent, "/v1/health/state/critical");
                    return critical.contains("\"service:web\"") && critical.contains("\"service:baidu\"");
                } catch (Exception e) {
                    return false;
                }
            });
            String critical = get(agent, "/v1/health/state/critical");
            assertMatches("\"Name\":\\s*\"Service 'web' check\"", critical);
            assertMatches("\"Type\":\\s*\"script\"", critical);
            // New checks start critical; the log line comes with the first run's result.
            Await.until(Duration.ofSeconds(30), "the agent to log the web check going critical",
                    () -> agent.output.stream().anyMatch(l -> l.contains("service:web") && l.contains("critical")));

            String gone = dig(dns, "web.service.consul");
            assertMatches("status: NXDOMAIN", gone);
            assertMatches("^consul\\.\\s+0\\s+IN\\s+SOA\\s+ns\\.consul\\. hostmaster\\.consul\\.", gone);
        }
    }
}
