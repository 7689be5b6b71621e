package io.conclave.gossip.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.UserEvent;
import io.conclave.gossip.internal.serf.SerfConfig;
import io.conclave.gossip.internal.swim.SwimConfig;
import io.conclave.transport.udp.internal.TestTransports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several pools in one JVM over the real UDP/TCP transport on 127.0.0.1, each with its own transport. */
class PoolTest {

    /**
     * How long a freshly joined pool may take to see everyone. Each pool joins the first one, so earlier pools
     * learn of later ones from piggy-backed alive broadcasts, which (as in memberlist) are sent only a few times
     * to random members and can miss one; the periodic push-pull (30 s on the LAN) then repairs it. Usually
     * well under a second.
     */
    static final long CONVERGED_MILLIS = 35_000;


    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final long LAN_FAILURE_BOUND_MILLIS = 15_000;

    private final PoolRig rig = new PoolRig();

    static PoolConfig config(String name, List<byte[]> keys) {
        return new PoolConfig("lan", name, "dc1", new InetSocketAddress(LOOPBACK, 0), LOOPBACK, 0,
                Map.of("role", "node", "dc", "dc1", "id", name), SwimConfig.lan(), SerfConfig.consul(), keys, null,
                true, true, Duration.ofSeconds(10), Duration.ofMillis(500));
    }

    Pool start(String name, Recorder recorder, List<byte[]> keys) throws IOException {
        return start(config(name, keys), recorder);
    }

    Pool start(PoolConfig config, Recorder recorder) throws IOException {
        return rig.start(config, recorder);
    }

    /** Every pool but the first joins the first. */
    static void joinFirst(List<Pool> cluster) throws Exception {
        for (Pool p : cluster.subList(1, cluster.size())) {
            p.join(List.of(addr(cluster.get(0)))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopAll() {
        rig.close();
    }

    static String addr(Pool p) {
        return "127.0.0.1:" + p.boundAddress().getPort();
    }

    static int status(Pool observer, String node) {
        return observer.members().stream().filter(m -> m.name().equals(node)).mapToInt(Member::status)
                .findFirst().orElse(0);
    }

    static boolean allAlive(List<Pool> observers, int n) {
        return observers.stream().allMatch(p -> p.members().stream().filter(m -> m.status() == 1).count() == n);
    }

    static UserEvent event(String name, String payload) {
        return new UserEvent("", name, payload.getBytes(StandardCharsets.UTF_8), "", "", "", UserEvent.VERSION, 0);
    }

    @Test
    void poolsJoinSeeTagsCarryEventsOnceDetectAFailureAndALeave() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        List<Pool> cluster = new ArrayList<>();
        for (String n : List.of("a", "b", "c", "d")) {
            Recorder r = new Recorder();
            recorders.add(r);
            cluster.add(start(n, r, List.of()));
        }
        Pool a = cluster.get(0);
        for (Pool p : cluster.subList(1, 4)) {
            assertEquals(1, p.join(List.of(addr(a))).toCompletableFuture().get(15, TimeUnit.SECONDS));
        }
        assertTrue(Await.until(() -> allAlive(cluster, 4), CONVERGED_MILLIS), "every pool sees 4 alive members");
        Member d = a.members().stream().filter(m -> m.name().equals("d")).findFirst().orElseThrow();
        assertEquals(Map.of("role", "node", "dc", "dc1", "id", "d"), d.tags());
        assertEquals("127.0.0.1", d.addr());
        assertEquals(List.of(1, 5, 2, 2, 5, 4), List.of(d.protocolMin(), d.protocolMax(), d.protocolCur(),
                d.delegateMin(), d.delegateMax(), d.delegateCur()));
        assertTrue(recorders.get(0).threads.stream().allMatch(t -> t.equals("gossip-lan")), "delivered on the pool thread");

        // User events reach every member once, the firer included; a later event proves the first was not repeated.
        cluster.get(1).fire(event("deploy", "v1"));
        assertTrue(Await.until(() -> recorders.stream().allMatch(r -> r.userEvents("deploy") >= 1), 5_000));
        UserEvent heard = recorders.get(3).events.get(0);
        assertEquals("v1", new String(heard.payload(), StandardCharsets.UTF_8));
        assertEquals(36, heard.id().length());
        assertTrue(heard.ltime() >= 1 || heard.ltime() == 0);
        for (int i = 0; i < 3; i++) {
            cluster.get(i).fire(event("later" + i, "x"));
        }
        assertTrue(Await.until(() -> recorders.stream().allMatch(r -> r.userEvents("later0") == 1
                && r.userEvents("later1") == 1 && r.userEvents("later2") == 1), 5_000));
        assertTrue(recorders.stream().allMatch(r -> r.userEvents("deploy") == 1), "each event delivered once");

        // Oversized events are refused before they are sent.
        assertThrows(IllegalArgumentException.class, () -> a.fire(event("big", "x".repeat(600))));

        // A crash (no leave) is noticed by every survivor within the LAN bound.
        long killedAt = System.nanoTime();
        cluster.get(3).close();
        List<Pool> survivors = cluster.subList(0, 3);
        assertTrue(Await.until(() -> survivors.stream().allMatch(p -> status(p, "d") == 4), LAN_FAILURE_BOUND_MILLIS),
                "d seen failed by all survivors");
        List<Long> millis = new ArrayList<>();
        for (Recorder r : recorders.subList(0, 3)) {
            millis.add((r.firstNanos(MemberEvent.Type.FAILED, "d") - killedAt) / 1_000_000);
        }
        System.out.printf("[gossip-runtime] 4 pools over UDP: d killed, FAILED seen after %s ms%n", millis);

        // A graceful leave shows as left, never as failed.
        cluster.get(2).leave().toCompletableFuture().get(15, TimeUnit.SECONDS);
        List<Pool> rest = cluster.subList(0, 2);
        assertTrue(Await.until(() -> rest.stream().allMatch(p -> status(p, "c") == 3), 5_000), "c seen left");
        assertEquals(0, recorders.get(0).count(MemberEvent.Type.FAILED, "c"));
        assertEquals(1, recorders.get(0).count(MemberEvent.Type.LEAVE, "c"));
        assertThrows(ExecutionException.class,
                () -> cluster.get(2).join(List.of(addr(a))).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void joinFailsWithEachAddressError() throws Exception {
        Pool a = start("a", new Recorder(), List.of());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.join(List.of("127.0.0.1:1", "no-such-host.invalid")).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException);
        String msg = e.getCause().getMessage();
        assertTrue(msg.contains("127.0.0.1:1") && msg.contains("no-such-host.invalid"), msg);
    }

    @Test
    void transportRemovedAndReaddedUnderEachMemberFailsNobody() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        List<Pool> cluster = new ArrayList<>();
        for (String n : List.of("a", "b", "c", "d", "e")) {
            Recorder r = new Recorder();
            recorders.add(r);
            cluster.add(start(n, r, List.of()));
        }
        joinFirst(cluster);
        assertTrue(Await.until(() -> allAlive(cluster, 5), CONVERGED_MILLIS));

        // A rolling update of the transport bundle: each member loses its transport for a second.
        for (int i = 0; i < cluster.size(); i++) {
            Pool p = cluster.get(i);
            InetSocketAddress before = p.boundAddress();
            GossipTransport old = rig.transports.get(i);
            TestTransports.stop(old);
            p.detach(old);
            assertFalse(p.attached());
            assertEquals(5, p.members().size(), "members kept while the transport is away");
            long downUntil = System.nanoTime() + 1_000_000_000L;
            Await.until(() -> System.nanoTime() >= downUntil, 2_000);
            GossipTransport fresh = TestTransports.start();
            rig.transports.set(i, fresh);
            p.attach(fresh);
            assertEquals(before, p.boundAddress(), "the endpoint comes back on the same address");
        }
        assertTrue(Await.until(() -> allAlive(cluster, 5), CONVERGED_MILLIS));
        // Long enough for any suspicion raised during the swaps to expire had it not been refuted.
        boolean anyFailed = Await.until(() -> recorders.stream().anyMatch(r -> r.members.stream()
                .anyMatch(h -> h.event().type() == MemberEvent.Type.FAILED)), 8_000);
        assertFalse(anyFailed, "nobody was marked failed");
        assertTrue(allAlive(cluster, 5));
    }

    @Test
    void encryptedPoolsRotateKeysAndPersistTheKeyring(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[16];
        new java.security.SecureRandom().nextBytes(k1);
        new java.security.SecureRandom().nextBytes(k2);
        List<Pool> cluster = new ArrayList<>();
        List<Recorder> recorders = new ArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            Recorder r = new Recorder();
            recorders.add(r);
            PoolConfig base = config(n, List.of(k1));
            PoolConfig withFile = new PoolConfig(base.pool(), n, base.datacenter(), base.bind(), base.advertise(), 0,
                    base.tags(), base.swim(), base.serf(), base.keys(), dir.resolve(n + ".keyring"), true, true,
                    base.tcpTimeout(), base.leavePropagateDelay());
            cluster.add(start(withFile, r));
        }
        joinFirst(cluster);
        assertTrue(Await.until(() -> allAlive(cluster, 3), CONVERGED_MILLIS));
        String b1 = Base64.getEncoder().encodeToString(k1);
        String b2 = Base64.getEncoder().encodeToString(k2);
        Pool a = cluster.get(0);
        assertEquals(0, a.keyring(KeyringOperation.INSTALL, b2).toCompletableFuture().get(10, TimeUnit.SECONDS).numErr());
        KeyringResponse listed = a.keyring(KeyringOperation.LIST, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(b1, 3, b2, 3), listed.keys());
        assertEquals(3, listed.numNodes());
        KeyringResponse refused = a.keyring(KeyringOperation.REMOVE, b1).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(3, refused.numErr());
        assertEquals("Removing the primary key is not allowed", refused.messages().get("b"));
        assertEquals(0, a.keyring(KeyringOperation.USE, b2).toCompletableFuture().get(10, TimeUnit.SECONDS).numErr());
        assertEquals(0, a.keyring(KeyringOperation.REMOVE, b1).toCompletableFuture().get(10, TimeUnit.SECONDS).numErr());
        List<byte[]> onDisk = KeyringFile.read(dir.resolve("c.keyring"));
        assertEquals(1, onDisk.size());
        assertTrue(java.util.Arrays.equals(k2, onDisk.get(0)));
        // Gossip goes on under the new key: a user event still reaches everyone.
        a.fire(event("after-rotation", ""));
        assertTrue(Await.until(() -> recorders.stream().allMatch(r -> r.userEvents("after-rotation") == 1), 5_000));
        assertTrue(allAlive(cluster, 3));
        ExecutionException bad = assertThrows(ExecutionException.class, () -> a.keyring(KeyringOperation.INSTALL,
                "not base64!").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(bad.getCause() instanceof IllegalArgumentException);
    }

    @Test
    void failedMembersAreReapedAfterReconnectTimeoutAndForceLeftOnesAfterTombstone() throws Exception {
        // serf's timeouts shortened: reconnect 12 s, tombstone 2 s, reaper every 500 ms. The reconnect timeout
        // must outlast the spread between v's and w's detection (several seconds on a loaded machine), or w is
        // already reaped where the force-leave is sent.
        SerfConfig quick = new SerfConfig(12_000, 2_000, 300_000, 500, 60_000, 512, 512, 512);
        List<Pool> cluster = new ArrayList<>();
        Recorder seen = new Recorder();
        for (String n : List.of("a", "b", "c", "v", "w")) {
            PoolConfig base = config(n, List.of());
            cluster.add(start(new PoolConfig(base.pool(), n, base.datacenter(), base.bind(), base.advertise(), 0,
                    base.tags(), base.swim(), quick, List.of(), null, true, true, base.tcpTimeout(),
                    base.leavePropagateDelay()), n.equals("a") ? seen : new Recorder()));
        }
        joinFirst(cluster);
        assertTrue(Await.until(() -> allAlive(cluster, 5), CONVERGED_MILLIS));
        Pool a = cluster.get(0);
        assertFalse(a.forceLeave("nobody", false));

        cluster.get(3).close();
        cluster.get(4).close();
        assertTrue(Await.until(() -> seen.count(MemberEvent.Type.FAILED, "v") == 1
                && seen.count(MemberEvent.Type.FAILED, "w") == 1, LAN_FAILURE_BOUND_MILLIS));
        // consul force-leave: the failed member becomes left everywhere.
        assertTrue(cluster.get(1).forceLeave("w", false));
        assertTrue(Await.until(() -> status(a, "w") == 3 || seen.count(MemberEvent.Type.REAP, "w") == 1, 3_000),
                "w left");
        assertEquals(1, seen.count(MemberEvent.Type.LEAVE, "w"));
        // Both are forgotten: w after the tombstone timeout, v after the reconnect timeout.
        assertTrue(Await.until(() -> seen.count(MemberEvent.Type.REAP, "w") == 1
                && seen.count(MemberEvent.Type.REAP, "v") == 1, 16_000), "both reaped");
        assertTrue(a.members().stream().noneMatch(m -> m.name().equals("v") || m.name().equals("w")));
        long failedV = seen.firstNanos(MemberEvent.Type.FAILED, "v");
        long reapedV = seen.firstNanos(MemberEvent.Type.REAP, "v");
        assertTrue(reapedV - failedV >= 11_500_000_000L, "v kept until its reconnect timeout");
        // As in serf, the clock of a force-left member runs from when it went down, not from the force-leave.
        long failedW = seen.firstNanos(MemberEvent.Type.FAILED, "w");
        assertTrue(seen.firstNanos(MemberEvent.Type.REAP, "w") - failedW >= 1_500_000_000L, "w kept until its tombstone");

        // force-leave with prune erases a failed member at once, long before its reconnect timeout. (A member that
        // left gracefully is no steady target here: with this 2 s tombstone it may already be reaped, since serf's
        // leave can arrive as failed-then-left and the tombstone clock runs from the failure.)
        cluster.get(2).close();
        assertTrue(Await.until(() -> status(a, "c") == 4, LAN_FAILURE_BOUND_MILLIS), "c failed");
        assertTrue(a.forceLeave("c", true));
        assertEquals(1, seen.count(MemberEvent.Type.REAP, "c"));
        assertTrue(a.members().stream().noneMatch(m -> m.name().equals("c")));
    }

    @Test
    void aConsulAgentOfAnotherDatacenterCannotJoinTheLanPool() throws Exception {
        Pool a = start("a", new Recorder(), List.of());
        PoolConfig base = config("x", List.of());
        Pool x = start(new PoolConfig("lan", "x", "dc2", base.bind(), base.advertise(), 0,
                Map.of("role", "node", "dc", "dc2", "id", "x"), base.swim(), base.serf(), List.of(), null, true, true,
                base.tcpTimeout(), base.leavePropagateDelay()), new Recorder());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> x.join(List.of(addr(a))).toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("Member 'a' part of wrong datacenter 'dc1'"),
                e.getCause().getMessage());
        assertEquals(1, x.members().size());
    }

    @Test
    void anEncryptedPoolAnswersOnlyPacketsSealedWithItsKey() throws Exception {
        byte[] key = new byte[32];
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        new java.security.SecureRandom().nextBytes(other);
        Pool a = start("a", new Recorder(), List.of(key));
        byte[] ping = new io.conclave.gossip.internal.wire.Ping(7, "a", LOOPBACK.getAddress(), 0, "probe").encode();
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, LOOPBACK)) {
            socket.setSoTimeout(500);
            InetSocketAddress target = a.boundAddress();
            java.util.Random garbage = new java.util.Random(4);
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[1 + garbage.nextInt(300)];
                garbage.nextBytes(junk);
                socket.send(new java.net.DatagramPacket(junk, junk.length, target));
            }
            for (byte[] refused : List.of(ping, new io.conclave.gossip.internal.wire.Keyring(List.of(other))
                    .encryptPacket(ping))) {
                socket.send(new java.net.DatagramPacket(refused, refused.length, target));
                assertThrows(java.net.SocketTimeoutException.class,
                        () -> socket.receive(new java.net.DatagramPacket(new byte[2048], 2048)),
                        "no answer to plaintext or a wrong key");
            }
            io.conclave.gossip.internal.wire.Keyring ours = new io.conclave.gossip.internal.wire.Keyring(List.of(key));
            byte[] sealed = ours.encryptPacket(ping);
            socket.setSoTimeout(5_000);
            socket.send(new java.net.DatagramPacket(sealed, sealed.length, target));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            byte[] plain = ours.decryptPacket(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
            List<byte[]> parts = io.conclave.gossip.internal.wire.Packets.unwrap(plain);
            assertEquals(7, io.conclave.gossip.internal.wire.Ack.decode(parts.get(0)).seqNo());
        }
        assertEquals(1, a.members().size());
    }
}
