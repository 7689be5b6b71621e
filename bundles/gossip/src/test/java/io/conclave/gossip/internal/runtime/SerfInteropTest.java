package io.conclave.gossip.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.UserEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with stock {@code serf agent} processes (/usr/bin/serf): each side joins the other, sees the
 * other alive with its tags, notices the other's kill -9 and leave, and hears the other's user events,
 * with and without encryption; a wrong key or plaintext is refused.
 */
class SerfInteropTest {

    private static final long LAN_FAILURE_BOUND_MILLIS = 15_000;
    private static final List<String> PROBE_TROUBLE = List.of("other probes failed", "Marking conclave as failed",
            "Suspect conclave has failed");

    @TempDir
    Path dir;

    private final List<SerfAgent> agents = new ArrayList<>();
    private final PoolRig rig = new PoolRig();

    @AfterEach
    void stopEverything() throws Exception {
        for (SerfAgent a : agents) {
            a.close();
        }
        rig.close();
    }

    private SerfAgent serf(String node, String key, String join) throws Exception {
        SerfAgent a = SerfAgent.start(node, key, join, dir);
        agents.add(a);
        return a;
    }

    private Pool conclave(String name, String key, Recorder recorder) throws Exception {
        List<byte[]> keys = key == null ? List.of() : List.of(Base64.getDecoder().decode(key));
        return rig.start(PoolTest.config(name, keys), recorder);
    }

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static boolean seesAlive(Pool p, String node, String role) {
        return p.members().stream().anyMatch(m -> m.name().equals(node) && m.status() == 1
                && role.equals(m.tags().get("role")));
    }

    private static void assertNoProbeTrouble(SerfAgent a) {
        for (String bad : PROBE_TROUBLE) {
            assertEquals(List.of(), a.logLinesAbout(bad), a.node + " logged trouble probing us");
        }
        // Errors about the killed agent (its fallback pings and push-pulls fail) are expected; none about us.
        assertEquals(List.of(), a.log().stream().filter(l -> l.contains("[ERR]") && !l.contains("agent.ipc")
                && !l.contains("Failed fallback ping") && !l.contains("Push/Pull with s5")).toList(),
                a.node + " logged errors");
    }

    @Test
    void plaintextConclaveAndSerfSeeProbeAndLoseEachOther() throws Exception {
        runScenario(null);
    }

    @Test
    void encryptedConclaveAndSerfSeeProbeAndLoseEachOther() throws Exception {
        runScenario(key());
    }

    private void runScenario(String key) throws Exception {
        String label = key == null ? "plaintext" : "encrypted";
        SerfAgent s1 = serf("s1", key, null);
        Recorder heard = new Recorder();
        Pool us = conclave("conclave", key, heard);

        // Conclave joins serf, then serf agents join Conclave. Five agents, so that after one is killed and
        // one has left, three remain to suspect us and confirm each other's suspicion (memberlist's
        // Lifeguard needs independent confirmations to shorten the suspicion timeout, for serf as for us).
        assertEquals(1, us.join(List.of(s1.address())).toCompletableFuture().get(15, TimeUnit.SECONDS));
        String ourAddress = PoolTest.addr(us);
        List<SerfAgent> all = new ArrayList<>(List.of(s1));
        for (String n : List.of("s2", "s3", "s4", "s5")) {
            all.add(serf(n, key, ourAddress));
        }
        assertTrue(Await.until(() -> all.stream().allMatch(a -> seesAlive(us, a.node, "serf-" + a.node)), 10_000),
                "the serf agents are alive members with their tags");
        for (SerfAgent a : all) {
            assertTrue(Await.until(() -> "alive".equals(a.members().get("conclave")), 10_000),
                    a.node + " lists conclave alive");
        }

        // Events both ways: a plain serf event reaches us with its serf name; ours reaches serf's handlers.
        s1.cli("event", "from-serf", "hello");
        assertTrue(Await.until(() -> heard.userEvents("from-serf") == 1, 10_000), "serf's event heard");
        UserEvent fromSerf = heard.events.stream().filter(e -> e.name().equals("from-serf")).findFirst().orElseThrow();
        assertEquals("hello", new String(fromSerf.payload(), StandardCharsets.UTF_8));
        assertEquals("", fromSerf.id());
        us.fire(PoolTest.event("deploy", "v2"));
        for (SerfAgent a : all) {
            assertTrue(Await.until(() -> a.eventsSeen().contains("consul:event:deploy"), 10_000),
                    a.node + " ran its handler for our event");
        }

        // kill -9 of a serf agent is noticed within the LAN bound.
        SerfAgent victim = all.get(4);
        long killedAt = System.nanoTime();
        victim.kill();
        assertTrue(Await.until(() -> us.members().stream().anyMatch(m -> m.name().equals("s5") && m.status() == 4),
                LAN_FAILURE_BOUND_MILLIS), "s5 seen failed");
        long detected = (heard.firstNanos(MemberEvent.Type.FAILED, "s5") - killedAt) / 1_000_000;

        // serf leave shows as left.
        all.get(3).cli("leave");
        assertTrue(Await.until(() -> us.members().stream().anyMatch(m -> m.name().equals("s4") && m.status() == 3),
                5_000), "s4 seen left");
        // One LEAVE event. A FAILED before it is possible, as for serf's own members: serf stops memberlist once
        // its leave intent has been sent its retransmit-limit times, to random members, so now and then memberlist's
        // leave reaches us before the intent does (serf.go handleNodeLeave: alive → failed, then the intent: left).
        assertEquals(1, heard.count(MemberEvent.Type.LEAVE, "s4"));

        // By now serf has probed us for several seconds: no probe trouble about us in any serf log.
        for (SerfAgent a : all.subList(0, 4)) {
            assertNoProbeTrouble(a);
        }

        // Our pool stopping without a leave is noticed by serf.
        long stoppedAt = System.nanoTime();
        us.close();
        assertTrue(Await.until(() -> "failed".equals(s1.members().get("conclave")), LAN_FAILURE_BOUND_MILLIS),
                "serf marks conclave failed");
        long serfDetected = (System.nanoTime() - stoppedAt) / 1_000_000;
        System.out.printf("[gossip-interop] %s: serf kill -9 seen failed by Conclave after %d ms; "
                + "Conclave stop seen failed by serf after <= %d ms%n", label, detected, serfDetected);
    }

    @Test
    void wrongKeyAndPlaintextAreRefused() throws Exception {
        String key = key();
        SerfAgent s1 = serf("s1", key, null);
        Pool wrong = conclave("wrong-key", key(), new Recorder());
        Pool plain = conclave("plaintext", null, new Recorder());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> wrong.join(List.of(s1.address())).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains(s1.address()), e.getCause().getMessage());
        assertThrows(ExecutionException.class,
                () -> plain.join(List.of(s1.address())).toCompletableFuture().get(30, TimeUnit.SECONDS));
        // And the other way round: an encrypted serf cannot join a plaintext pool.
        SerfAgent s2 = serf("s2", key, null);
        String joinOutput = s2.cli("join", PoolTest.addr(plain));
        assertFalse(joinOutput.contains("Successfully joined"), joinOutput);
        assertEquals(1, plain.members().size());
        assertEquals(1, wrong.members().size());
        assertFalse(s1.members().containsKey("wrong-key"));
        assertFalse(s1.members().containsKey("plaintext"));
    }

    @Test
    void keyringQueriesAreAnsweredBySerfAndUs() throws Exception {
        String key = key();
        SerfAgent s1 = serf("s1", key, null);
        Pool us = conclave("conclave", key, new Recorder());
        us.join(List.of(s1.address())).toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(Await.until(() -> "alive".equals(s1.members().get("conclave")), 10_000));

        KeyringResponse listed = us.keyring(KeyringOperation.LIST, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(key, 2), listed.keys());
        assertEquals(2, listed.numNodes());
        assertEquals(0, listed.numErr());

        String second = key();
        KeyringResponse installed = us.keyring(KeyringOperation.INSTALL, second).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(0, installed.numErr(), installed.messages().toString());
        KeyringResponse used = us.keyring(KeyringOperation.USE, second).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, used.numErr(), used.messages().toString());
        KeyringResponse removed = us.keyring(KeyringOperation.REMOVE, key).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(0, removed.numErr(), removed.messages().toString());
        KeyringResponse after = us.keyring(KeyringOperation.LIST, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(second, 2), after.keys());

        // serf's own key query reaches us too, and we refuse to drop the key in use.
        String out = s1.cli("keys", "-remove", second);
        assertTrue(out.contains("Removing the primary key is not allowed"), out);

        // Still one pool after the rotation: serf's probes go through with the new key.
        assertTrue(Await.until(() -> "alive".equals(s1.members().get("conclave")), 5_000));
        Member s1Seen = us.members().stream().filter(m -> m.name().equals("s1")).findFirst().orElseThrow();
        assertEquals(1, s1Seen.status());
    }
}
