package io.conclave.gossip.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.gossip.UserEvent;
import io.conclave.gossip.internal.serf.SerfConfig;
import io.conclave.gossip.internal.swim.SwimConfig;
import io.conclave.transport.udp.internal.TestTransports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted pool finds its cluster through serf's snapshot, as a restarted Consul agent does: two
 * pools over the real UDP/TCP transport on 127.0.0.1; b restarts on its old port with its old data
 * dir and no address to join.
 */
class SnapshotRejoinTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** memberlist's LAN timing notices a crash well within this. */
    private static final long FAILURE_BOUND_MILLIS = 15_000;
    /** A rejoin is one push-pull plus a refutation gossiped back: well within this. */
    private static final long REJOIN_BOUND_MILLIS = 10_000;

    @TempDir
    Path dir;

    private final List<Pool> pools = new ArrayList<>();
    private final List<GossipTransport> transports = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    private static final MembershipListener QUIET = new MembershipListener() {
        @Override
        public void memberChanged(String pool, MemberEvent event) {
        }

        @Override
        public void userEvent(String pool, UserEvent event) {
        }
    };

    /** slf4j-simple writes to whatever System.err is at the time: keep a copy of what the pools log. */
    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        PrintStream copy = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(copy);
    }

    @AfterEach
    void stopAll() {
        pools.forEach(Pool::close);
        transports.stream().filter(t -> t != null).forEach(TestTransports::stop);
        System.setErr(originalErr);
    }

    private String logged() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private static PoolConfig config(String name, int port, Path snapshot, boolean rejoinAfterLeave) {
        return new PoolConfig("lan", name, "dc1", new InetSocketAddress(LOOPBACK, port), LOOPBACK, 0,
                Map.of("role", "node", "dc", "dc1", "id", name), SwimConfig.lan(), SerfConfig.consul(), List.of(),
                null, true, true, Duration.ofSeconds(10), Duration.ofMillis(500)).withSnapshot(snapshot,
                rejoinAfterLeave);
    }

    private Pool start(PoolConfig cfg) throws IOException {
        GossipTransport t = TestTransports.start();
        transports.add(t);
        Pool p = new Pool(cfg, QUIET);
        pools.add(p);
        p.attach(t);
        return p;
    }

    private void crash(Pool p) {
        p.close();
        int i = pools.indexOf(p);
        TestTransports.stop(transports.get(i));
        transports.set(i, null);
    }

    private static int status(Pool observer, String node) {
        return observer.members().stream().filter(m -> m.name().equals(node)).mapToInt(Member::status).findFirst()
                .orElse(0);
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private static String addr(Pool p) {
        return "127.0.0.1:" + p.boundAddress().getPort();
    }

    private static boolean fileHas(Path file, String line) {
        try {
            return Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    private static Snapshotter.Restored replay(Path file, boolean rejoinAfterLeave) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Snapshotter.replay(in, rejoinAfterLeave, "LAN");
        }
    }

    @Test
    void aCrashedPoolRestartedWithItsSnapshotRejoinsWithoutAnAddress() throws Exception {
        Pool a = start(config("a", 0, dir.resolve("a/serf/local.snapshot"), false));
        Path bSnapshot = dir.resolve("b/serf/local.snapshot");
        Pool b = start(config("b", 0, bSnapshot, false));
        int bPort = b.boundAddress().getPort();
        assertEquals(1, b.join(List.of(addr(a))).toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertTrue(within(10_000, () -> status(a, "b") == 1 && status(b, "a") == 1), "a and b see each other");
        // On disk without a close, as a kill -9 would leave it.
        assertTrue(within(3_000, () -> fileHas(bSnapshot, "alive: a " + addr(a))), "b's snapshot names a");

        crash(b);
        assertTrue(within(FAILURE_BOUND_MILLIS, () -> status(a, "b") == 4), "a sees b failed");
        assertEquals(Map.of("a", addr(a), "b", "127.0.0.1:" + bPort), replay(bSnapshot, false).alive());

        long restartedAt = System.nanoTime();
        Pool b2 = start(config("b", bPort, bSnapshot, false));
        assertTrue(within(REJOIN_BOUND_MILLIS, () -> status(a, "b") == 1 && status(b2, "a") == 1),
                "the restarted b is alive in a's members again and knows a");
        long millis = (System.nanoTime() - restartedAt) / 1_000_000;
        System.out.printf("[snapshot] restarted pool rejoined from its snapshot: alive at a after %d ms%n", millis);
        String text = logged();
        assertTrue(text.contains("serf (LAN): Attempting re-join to previously known node: a: " + addr(a)), text);
        assertTrue(text.contains("serf (LAN): Re-joined to previously known node: a: " + addr(a)), text);
    }

    @Test
    void afterAGracefulLeaveARestartStaysAloneUnlessRejoinAfterLeave() throws Exception {
        Pool a = start(config("a", 0, null, false));
        Path bSnapshot = dir.resolve("b/serf/local.snapshot");
        Pool b = start(config("b", 0, bSnapshot, false));
        int bPort = b.boundAddress().getPort();
        b.join(List.of(addr(a))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(within(10_000, () -> status(a, "b") == 1 && status(b, "a") == 1));

        b.leave().toCompletableFuture().get(15, TimeUnit.SECONDS);
        crash(b);
        assertTrue(within(5_000, () -> status(a, "b") == 3), "a sees b left");
        assertTrue(fileHas(bSnapshot, "leave"));
        assertEquals(Map.of(), replay(bSnapshot, false).alive(), "nobody to rejoin after the leave");

        Pool b2 = start(config("b", bPort, bSnapshot, false));
        assertTrue(b2.attached());
        // A rejoin starts at once and takes one push-pull; give it ample time to show up, were there one.
        boolean joined = within(3_000, () -> b2.members().size() > 1 || status(a, "b") != 3);
        assertEquals(false, joined, "b stayed alone: " + b2.members());
        assertTrue(!logged().contains("Attempting re-join"), "no re-join attempted");
        crash(b2);

        // rejoin_after_leave: the leave in the snapshot is ignored and b finds a again.
        Pool b3 = start(config("b", bPort, bSnapshot, true));
        assertTrue(within(REJOIN_BOUND_MILLIS, () -> status(a, "b") == 1 && status(b3, "a") == 1),
                "with rejoin_after_leave b is back in a's members");
        assertTrue(logged().contains("serf (LAN): Ignoring previous leave in snapshot"));
    }
}
