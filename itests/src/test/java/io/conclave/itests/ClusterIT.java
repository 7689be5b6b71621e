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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed tutorial's cluster section (../shared/seed/consul-intro.md §5) command for command, with four
 * agent processes on 127.0.0.1–127.0.0.4 instead of four machines: one server and three clients, each on
 * Consul's default ports of its own address. Join by command and at start ({@code -join}, {@code -retry-join}),
 * members everywhere, KV and a service registered through clients, DNS on one client answering for a service on
 * another, an event, kill -9 → failed, leave → left.
 */
class ClusterIT {

    /**
     * Gossip convergence: usually a second; memberlist's push-pull (every 30 s on the LAN) bounds it when a
     * broadcast missed someone.
     */
    private static final Duration JOINED = Duration.ofSeconds(40);
    /** serf's LAN failure detection measured 5.5–7.6 s here; the bound leaves room on a loaded 2-core machine. */
    private static final Duration FAILED = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AgentProcess> agents = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopAll() {
        agents.forEach(AgentProcess::close);
    }

    private AgentProcess agent(String ip, String node, String... extra) throws Exception {
        Path data = Files.createDirectories(work.resolve(node + "-data"));
        Path config = Files.createDirectories(work.resolve(node + "-config"));
        List<String> args = new ArrayList<>(List.of("-data-dir=" + data, "-node=" + node, "-bind=" + ip, "-client=" + ip,
                "-config-dir=" + config));
        args.addAll(List.of(extra));
        AgentProcess a = AgentProcess.start(ip, 8500, args);
        agents.add(a);
        return a;
    }

    private String get(AgentProcess agent, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent.url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private int put(AgentProcess agent, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(agent.url(path))).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void assertMatches(String regex, String text) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "expected /" + regex + "/ in:\n" + text);
    }

    /** Waits until {@code conclave members} on {@code agent} has a line matching {@code regex}. */
    private static void awaitMember(AgentProcess agent, Duration bound, String regex, String... flags)
            throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        String[] last = {""};
        try {
            Await.until(bound, "/" + regex + "/ in members", () -> {
                try {
                    List<String> args = new ArrayList<>(List.of("members"));
                    args.addAll(List.of(flags));
                    last[0] = agent.cli(null, args.toArray(String[]::new)).out();
                    return p.matcher(last[0]).find();
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast members output:\n" + last[0] + "\nagent log:\n" + agent.log(), e);
        }
    }

    @Test
    void theTutorialsClusterSection() throws Exception {
        // Two agents that know nothing of each other: each is a cluster of one.
        AgentProcess one = agent("127.0.0.1", "agent-one", "-server", "-bootstrap-expect=1");
        AgentProcess two = agent("127.0.0.2", "agent-two");
        assertMatches("^agent-one\\s+127\\.0\\.0\\.1:8301\\s+alive\\s+server\\s+\\S+\\s+2\\s+dc1", one.cli(null, "members").out());
        String alone = two.cli(null, "members").out();
        assertMatches("^agent-two\\s+127\\.0\\.0\\.2:8301\\s+alive\\s+client\\s+\\S+\\s+2\\s+dc1", alone);
        assertEquals(2, alone.strip().split("\n").length, alone);

        // consul join 10.4.7.14
        AgentProcess.Result joined = one.cli(null, "join", "127.0.0.2");
        assertEquals(0, joined.exit(), joined.out());
        assertMatches("^Successfully joined cluster by contacting 1 nodes\\.$", joined.out());
        awaitMember(one, JOINED, "^agent-two\\s+127\\.0\\.0\\.2:8301\\s+alive\\s+client");
        awaitMember(two, JOINED, "^agent-one\\s+127\\.0\\.0\\.1:8301\\s+alive\\s+server");

        // Joining at start: -join, and -retry-join.
        AgentProcess three = agent("127.0.0.3", "agent-three", "-join=127.0.0.1");
        AgentProcess four = agent("127.0.0.4", "agent-four", "-retry-join=127.0.0.2", "-retry-interval=1s");
        for (AgentProcess a : List.of(one, two, three, four)) {
            for (String n : List.of("one", "two", "three", "four")) {
                awaitMember(a, JOINED, "^agent-" + n + "\\s+\\S+:8301\\s+alive\\s+");
            }
        }

        // The server alone is in the WAN pool, as NODE.DC.
        assertMatches("^agent-one\\.dc1\\s+127\\.0\\.0\\.1:8302\\s+alive\\s+server", one.cli(null, "members", "-wan").out());
        // A server of another datacenter joins over the WAN (-join-wan); every agent then lists both datacenters.
        AgentProcess far = agent("127.0.0.5", "agent-five", "-server", "-bootstrap-expect=1", "-datacenter=dc2",
                "-join-wan=127.0.0.1");
        awaitMember(one, JOINED, "^agent-five\\.dc2\\s+127\\.0\\.0\\.5:8302\\s+alive\\s+server", "-wan");
        awaitMember(far, JOINED, "^agent-one\\.dc1\\s+127\\.0\\.0\\.1:8302\\s+alive\\s+server", "-wan");
        assertEquals("[\"dc1\",\"dc2\"]", get(two, "/v1/catalog/datacenters").replaceAll("\\s", ""));

        // Every member is a catalog node with serfHealth passing, as the server's leader reconciles them.
        Await.until(JOINED, "four nodes in the catalog", () -> {
            try {
                return get(two, "/v1/catalog/nodes").split("\"Node\":").length - 1 == 4;
            } catch (Exception e) {
                return false;
            }
        });
        assertMatches("\"Node\":\"agent-four\",\"CheckID\":\"serfHealth\",\"Name\":\"Serf Health Status\",\"Status\":\"passing\"",
                get(three, "/v1/health/node/agent-four"));

        // Node lookup over DNS on the server, as in 4.3.
        String node = Dig.query("127.0.0.1", 8600, "agent-two.node.consul");
        assertMatches("status: NOERROR", node);
        assertMatches("^agent-two\\.node\\.consul\\.\\s+0\\s+IN\\s+A\\s+127\\.0\\.0\\.2$", node);

        // A KV write through a client, read on the server and on another client.
        AgentProcess.Result put = two.cli(null, "kv", "put", "app/color", "blue");
        assertEquals(0, put.exit(), put.out());
        assertEquals("blue", one.cli(null, "kv", "get", "app/color").out().strip());
        assertEquals("blue", four.cli(null, "kv", "get", "app/color").out().strip());

        // A service registered on agent-three answers in DNS on agent-two.
        assertEquals(200, put(three, "/v1/agent/service/register",
                "{\"Name\":\"web\",\"Tags\":[\"rails\"],\"Port\":80}"));
        Await.until(JOINED, "web in DNS on agent-two", () -> {
            try {
                return Dig.query("127.0.0.2", 8600, "web.service.consul").contains("IN\tA\t127.0.0.3");
            } catch (Exception e) {
                return false;
            }
        });
        assertMatches("^web\\.service\\.consul\\.\\s+0\\s+IN\\s+A\\s+127\\.0\\.0\\.3$", Dig.query("127.0.0.2", 8600, "web.service.consul"));
        assertMatches("\\s+IN\\s+SRV\\s+1\\s+1\\s+80\\s+agent-three\\.node\\.dc1\\.consul\\.",
                Dig.query("127.0.0.4", 8600, "rails.web.service.consul", "SRV"));

        // An event fired on the server reaches a client's event list.
        AgentProcess.Result fired = one.cli(null, "event", "-name", "deploy", "v1.2");
        assertEquals(0, fired.exit(), fired.out());
        assertMatches("^Event ID: [0-9a-f-]{36}$", fired.out());
        Await.until(JOINED, "the deploy event on agent-four", () -> {
            try {
                return get(four, "/v1/event/list?name=deploy").contains("\"Name\":\"deploy\"");
            } catch (Exception e) {
                return false;
            }
        });

        // kill -9: the others mark it failed; its serfHealth goes critical.
        four.kill9();
        awaitMember(one, FAILED, "^agent-four\\s+127\\.0\\.0\\.4:8301\\s+failed\\s+client");
        awaitMember(two, FAILED, "^agent-four\\s+127\\.0\\.0\\.4:8301\\s+failed\\s+client");
        Await.until(JOINED, "agent-four's serfHealth critical", () -> {
            try {
                return get(one, "/v1/health/node/agent-four").contains("\"Status\":\"critical\"");
            } catch (Exception e) {
                return false;
            }
        });

        // force-leave turns the failed member into a left one.
        AgentProcess.Result forced = one.cli(null, "force-leave", "agent-four");
        assertEquals(0, forced.exit(), forced.out());
        awaitMember(two, JOINED, "^agent-four\\s+127\\.0\\.0\\.4:8301\\s+left\\s+client");

        // A graceful leave: the others see it left, and the leader deregisters it.
        AgentProcess.Result left = three.cli(null, "leave");
        assertEquals(0, left.exit(), left.out());
        awaitMember(one, JOINED, "^agent-three\\s+127\\.0\\.0\\.3:8301\\s+left\\s+client");
        awaitMember(two, JOINED, "^agent-three\\s+127\\.0\\.0\\.3:8301\\s+left\\s+client");
        Await.until(JOINED, "agent-three gone from the catalog", () -> {
            try {
                return !get(one, "/v1/catalog/nodes").contains("\"agent-three\"");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(Dig.query("127.0.0.2", 8600, "web.service.consul").contains("status: NXDOMAIN"),
                "web left with agent-three");

        // Ctrl-C (or SIGTERM) on a client is a graceful leave too, as Consul's clients do by default.
        two.process.destroy();
        assertTrue(two.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "agent-two did not stop on SIGTERM");
        assertEquals(0, two.process.exitValue(), two.log());
        awaitMember(one, JOINED, "^agent-two\\s+127\\.0\\.0\\.2:8301\\s+left\\s+client");
    }
}
