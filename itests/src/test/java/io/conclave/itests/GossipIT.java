package io.conclave.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole agents in gossip: a stock serf agent and a Conclave agent in one encrypted pool (each sees the other,
 * events cross, kill -9 is noticed both ways, a wrong key is refused), and the transport bundle updated under a
 * live five-agent cluster without anybody marked failed.
 */
class GossipIT {

    /**
     * Gossip convergence: usually a second; memberlist's push-pull (every 30 s on the LAN) bounds it when a
     * broadcast missed someone.
     */
    private static final Duration JOINED = Duration.ofSeconds(40);
    /** serf's own LAN detection measured 5.5–7.6 s on this machine; the bound leaves room for a loaded machine. */
    private static final Duration FAILED = Duration.ofSeconds(30);
    private static final String KEY = "cg8StVXbQJ0gPvMd9o7yrg==";
    private static final String OTHER_KEY = "HH8YVF7tdl8qHaUPkFrm9Q==";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> started = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    private AgentProcess agent(String ip, String node, String... extra) throws Exception {
        Path data = Files.createDirectories(work.resolve(node + "-data"));
        List<String> args = new ArrayList<>(List.of("-data-dir=" + data, "-node=" + node, "-bind=" + ip, "-client=" + ip));
        args.addAll(List.of(extra));
        AgentProcess a = AgentProcess.start(ip, 8500, args);
        started.add(a);
        return a;
    }

    private SerfProcess serf(String node, String ip, String... extra) throws Exception {
        SerfProcess s = SerfProcess.start(node, ip, extra);
        started.add(s);
        return s;
    }

    private String get(AgentProcess agent, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent.url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static void awaitLine(Duration bound, String what, Pattern p, ThrowingSupplier<String> source) throws InterruptedException {
        String[] last = {""};
        try {
            Await.until(bound, what, () -> {
                try {
                    last[0] = source.get();
                    return p.matcher(last[0]).find();
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast seen:\n" + last[0], e);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static Pattern line(String regex) {
        return Pattern.compile(regex, Pattern.MULTILINE);
    }

    @Test
    void serfAndConclaveShareAnEncryptedPool() throws Exception {
        Path events = work.resolve("serf-events.txt");
        AgentProcess conclave = agent("127.0.0.31", "conclave-one", "-server", "-bootstrap-expect=1", "-encrypt=" + KEY);
        SerfProcess serf = serf("serf-one", "127.0.0.32", "-encrypt=" + KEY, "-tag", "role=web", "-tag", "rack=r1",
                "-event-handler", "user=echo \"$SERF_USER_EVENT\" >> " + events);

        AgentProcess.Result joined = conclave.cli(null, "join", "127.0.0.32:7946");
        assertEquals(0, joined.exit(), joined.out() + "\n" + conclave.log());
        // Conclave is an ordinary alive member for serf, and serf's node with its tags for Conclave.
        awaitLine(JOINED, "conclave-one alive in serf members", line("^conclave-one\\s+127\\.0\\.0\\.31:8301\\s+alive"),
                () -> serf.run("members"));
        awaitLine(JOINED, "serf-one alive in conclave members", line("^serf-one\\s+127\\.0\\.0\\.32:7946\\s+alive"),
                () -> conclave.cli(null, "members").out());
        String detailed = conclave.cli(null, "members", "-detailed").out();
        assertTrue(Pattern.compile("^serf-one\\s+127\\.0\\.0\\.32:7946\\s+alive\\s+rack=r1,role=web,segment=<default>$", Pattern.MULTILINE)
                .matcher(detailed).find(), detailed);

        // The key is installed on both members: serf answers Serf's key query too.
        AgentProcess.Result keys = conclave.cli(null, "keyring", "-list");
        assertEquals(0, keys.exit(), keys.out());
        assertTrue(Pattern.compile("dc1 \\(LAN\\):\\n\\s+" + Pattern.quote(KEY) + " \\[2/2\\]").matcher(keys.out()).find(),
                keys.out());

        // Events both ways: serf's plain event is listed by Conclave; Conclave's reaches serf's handler.
        assertTrue(serf.run("event", "hello", "world").contains("Event 'hello' dispatched"));
        awaitLine(JOINED, "serf's event in /v1/event/list", line("\"Name\":\"hello\""), () -> get(conclave, "/v1/event/list"));
        assertEquals(0, conclave.cli(null, "event", "-name", "deploy", "v2").exit());
        awaitLine(JOINED, "Conclave's event at serf", line("^consul:event:deploy$"),
                () -> Files.exists(events) ? Files.readString(events) : "");

        // No probe of Conclave failed in serf's eyes during all of this.
        String serfLog = String.join("\n", serf.log);
        assertFalse(serfLog.contains("other probes failed"), serfLog);
        assertFalse(serfLog.matches("(?s).*Suspect conclave-one.*"), serfLog);

        // A serf agent with another key cannot join, and Conclave's log says why it dropped its packets.
        SerfProcess stranger = serf("serf-stranger", "127.0.0.33", "-encrypt=" + OTHER_KEY);
        String refused = stranger.run("join", "127.0.0.31:8301");
        assertFalse(refused.contains("Successfully joined"), refused);
        assertFalse(conclave.cli(null, "members").out().contains("serf-stranger"));

        // kill -9 on each side is noticed by the other.
        serf.kill9();
        awaitLine(FAILED, "serf-one failed in conclave members", line("^serf-one\\s+127\\.0\\.0\\.32:7946\\s+failed"),
                () -> conclave.cli(null, "members").out());
        SerfProcess watcher = serf("serf-two", "127.0.0.34", "-encrypt=" + KEY, "-join=127.0.0.31:8301");
        awaitLine(JOINED, "conclave-one alive for serf-two", line("^conclave-one\\s+\\S+\\s+alive"), () -> watcher.run("members"));
        SerfProcess leaver = serf("serf-three", "127.0.0.35", "-encrypt=" + KEY, "-join=127.0.0.31:8301");
        awaitLine(JOINED, "serf-three alive in conclave members", line("^serf-three\\s+\\S+\\s+alive"),
                () -> conclave.cli(null, "members").out());
        leaver.run("leave");
        awaitLine(JOINED, "serf-three left in conclave members", line("^serf-three\\s+\\S+\\s+left"),
                () -> conclave.cli(null, "members").out());
        conclave.kill9();
        awaitLine(FAILED, "conclave-one failed for serf-two", line("^conclave-one\\s+\\S+\\s+failed"), () -> watcher.run("members"));
    }

    @Test
    void updatingTheTransportBundleUnderALiveClusterFailsNobody() throws Exception {
        AgentProcess first = agent("127.0.0.41", "swap-one", "-server", "-bootstrap-expect=1", "-shell-port=8700");
        List<AgentProcess> all = new ArrayList<>(List.of(first));
        for (int i = 2; i <= 5; i++) {
            all.add(agent("127.0.0.4" + i, "swap-" + i, "-join=127.0.0.41"));
        }
        for (AgentProcess a : all) {
            awaitLine(JOINED, "five alive members on " + a.httpAddr(), Pattern.compile("(?s)(.*\\balive\\b.*){5}"),
                    () -> a.cli(null, "members").out());
        }
        String bundles = shell(first, "lb -s");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\|Active\\s*\\|.*\\|io\\.conclave\\.transport-udp", Pattern.MULTILINE).matcher(bundles);
        assertTrue(m.find(), bundles);
        String id = m.group(1);
        // An update, then a stop and start: the transport goes away and comes back twice.
        shell(first, "update " + id);
        shell(first, "stop " + id + "\nstart " + id);
        assertTrue(shell(first, "lb -s").matches("(?s).*\\b" + id + "\\|Active.*io\\.conclave\\.transport-udp.*"),
                "the transport is active again");

        // Nothing to wait for: the claim is that nothing happens. Watch a full suspicion timeout (≈ 5 s for five
        // LAN nodes) and more, then require everyone alive everywhere and no failure in any log.
        long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (System.nanoTime() < until) {
            for (AgentProcess a : all) {
                String members = a.cli(null, "members").out();
                assertFalse(members.contains("failed"), a.httpAddr() + ":\n" + members);
            }
        }
        for (AgentProcess a : all) {
            assertFalse(a.log().contains("EventMemberFailed"), a.log());
        }
    }

    /** Runs Gogo commands in the agent's remote shell through {@code conclave shell}. */
    private static String shell(AgentProcess agent, String commands) throws Exception {
        AgentProcess.Result r = agent.cli(commands + "\nexit\n", "shell", "-addr=127.0.0.1:8700");
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }
}
