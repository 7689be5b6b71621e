package io.conclave.gossip.internal.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.swim.MembershipEvent.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Whole-cluster behaviour of the SWIM core in the deterministic {@link Simulation}. */
class SwimSimulationTest {

    private static Simulation cluster(SwimConfig config, long seed, int n, long staggerMillis) {
        Simulation sim = new Simulation(config, seed);
        List<String> names = IntStream.range(0, n).mapToObj(i -> "n" + i).toList();
        for (String name : names) {
            sim.add(name);
        }
        for (int i = 1; i < n; i++) {
            String name = names.get(i);
            sim.at(i * staggerMillis, () -> sim.join(name, List.of("n0")));
        }
        return sim;
    }

    private static boolean allSee(Simulation sim, String target, MemberState state) {
        for (String n : sim.names()) {
            if (sim.isUp(n) && !n.equals(target) && sim.node(n).stateOf(target) != state) {
                return false;
            }
        }
        return true;
    }

    private static boolean converged(Simulation sim, int alive) {
        for (String n : sim.names()) {
            if (sim.isUp(n) && sim.node(n).count(MemberState.ALIVE) != alive) {
                return false;
            }
        }
        return true;
    }

    private static long countEvents(Simulation sim, Type type, String node) {
        return sim.log().stream().filter(l -> l.event().type() == type && l.event().node().equals(node)).count();
    }

    @Test
    void crashedNodeIsDetectedByAllSurvivorsInLanTime() {
        List<Long> worst = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++) {
            Simulation sim = cluster(SwimConfig.lan(), seed, 5, 10);
            assertTrue(sim.runUntil(() -> converged(sim, 5), 10_000), "cluster formed");
            sim.runFor(5_000);
            long crashAt = sim.now();
            sim.crash("n3");
            assertTrue(sim.runUntil(() -> allSee(sim, "n3", MemberState.DEAD), 60_000), "n3 declared dead by all");
            long max = 0;
            long min = Long.MAX_VALUE;
            for (Simulation.Logged l : sim.log()) {
                if (l.event().type() == Type.FAILED && l.event().node().equals("n3")) {
                    max = Math.max(max, l.event().atMillis() - crashAt);
                    min = Math.min(min, l.event().atMillis() - crashAt);
                }
            }
            worst.add(max);
            first.add(min);
        }
        System.out.printf("[swim-sim] 5-node LAN crash detection over 10 seeds: first survivor %s ms, all survivors %s ms%n",
                first, worst);
        System.out.printf("[swim-sim] all-survivors detection: min %d ms, max %d ms, mean %.0f ms (stock serf measured 5.5-7.6 s)%n",
                worst.stream().mapToLong(Long::longValue).min().orElseThrow(),
                worst.stream().mapToLong(Long::longValue).max().orElseThrow(),
                worst.stream().mapToLong(Long::longValue).average().orElseThrow());
        for (long w : worst) {
            assertTrue(w >= 4_000 && w <= 12_000, "detection time " + w + " ms out of the LAN band");
        }
    }

    @Test
    void tenPercentPacketLossCausesFewFalseFailures() {
        lossRun(SwimConfig.lan(), "UDP probes + TCP fallback (memberlist default)");
    }

    @Test
    void tenPercentPacketLossCausesFewFalseFailuresEvenWithoutTcpFallback() {
        lossRun(SwimConfig.lan().withTcpPings(false), "UDP-only probes (DisableTcpPings)");
    }

    private static void lossRun(SwimConfig config, String label) {
        int n = 30;
        Simulation sim = cluster(config, 42, n, 10);
        assertTrue(sim.runUntil(() -> converged(sim, n), 20_000), "cluster formed");
        sim.packetLoss(0.10);
        int before = sim.log().size();
        long minutes = 10;
        long start = sim.now();
        sim.runFor(minutes * 60_000);
        List<Simulation.Logged> window = sim.log().subList(before, sim.log().size());
        long falseFailed = window.stream().filter(l -> l.event().type() == Type.FAILED).count();
        long suspected = window.stream().filter(l -> l.event().type() == Type.SUSPECTED).count();
        long refuted = window.stream().filter(l -> l.event().type() == Type.REFUTED).count();
        long victims = window.stream().filter(l -> l.event().type() == Type.FAILED)
                .map(l -> l.event().node()).distinct().count();
        long probeIntervals = n * (sim.now() - start) / SwimConfig.lan().probeIntervalMillis();
        double perNodeInterval = (double) falseFailed / probeIntervals;
        double victimFraction = (double) victims / n;
        System.out.printf("[swim-sim] " + label + ": %d nodes, 10%% loss, %d virtual min: %d suspicions, %d refutations, "
                        + "%d false FAILED declarations (%.6f per node-probe-interval, %d node-intervals), "
                        + "%d of %d nodes ever falsely declared failed (%.1f%%), %d messages%n",
                n, minutes, suspected, refuted, falseFailed, perNodeInterval, probeIntervals, victims, n,
                100 * victimFraction, sim.messages());
        assertTrue(victimFraction < 0.10, "false failure rate " + victimFraction);
        assertTrue(perNodeInterval < 0.10);
        sim.packetLoss(0);
        assertTrue(sim.runUntil(() -> converged(sim, n), 120_000), "everyone alive again after the loss stops");
    }

    @Test
    void twoHundredNodesJoinFromOneSeedAndSeeACrash() {
        int n = 200;
        Simulation sim = cluster(SwimConfig.lan(), 7, n, 10);
        boolean ok = sim.runUntil(() -> converged(sim, n), 180_000);
        long convergedAt = sim.now();
        System.out.printf("[swim-sim] %d nodes joined via one seed (one join every 10 ms): every node sees %d alive at %d ms virtual (%d messages)%n",
                n, n, convergedAt, sim.messages());
        assertTrue(ok, "200-node cluster converged");
        long crashAt = sim.now();
        sim.crash("n123");
        assertTrue(sim.runUntil(() -> allSee(sim, "n123", MemberState.DEAD), 120_000), "crash seen by all");
        System.out.printf("[swim-sim] 200 nodes: crash of n123 seen as failed by all 199 survivors after %d ms (%d FAILED events, %d false)%n",
                sim.now() - crashAt, countEvents(sim, Type.FAILED, "n123"),
                sim.log().stream().filter(l -> l.event().type() == Type.FAILED && !l.event().node().equals("n123")).count());
    }

    @Test
    void pausedNodeRefutesSuspicionAndIsNotDeclaredFailed() {
        Simulation sim = cluster(SwimConfig.lan(), 3, 5, 10);
        assertTrue(sim.runUntil(() -> converged(sim, 5), 10_000));
        sim.runFor(3_000);
        long incBefore = sim.node("n2").incarnationOf("n2");
        long pausedAt = sim.now();
        sim.pause("n2");
        sim.runUntil(() -> countEvents(sim, Type.SUSPECTED, "n2") > 0, 10_000);
        sim.runFor(1_500);
        long pausedFor = sim.now() - pausedAt;
        sim.resume("n2");
        assertTrue(sim.runUntil(() -> allSee(sim, "n2", MemberState.ALIVE), 10_000));
        sim.runFor(30_000);
        long suspicions = countEvents(sim, Type.SUSPECTED, "n2");
        long refutations = countEvents(sim, Type.REFUTED, "n2");
        System.out.printf("[swim-sim] n2 paused for " + pausedFor + " ms: %d suspicions of it, %d refutations, incarnation %d -> %d, %d FAILED%n",
                suspicions, refutations, incBefore, sim.node("n2").incarnationOf("n2"),
                countEvents(sim, Type.FAILED, "n2"));
        assertTrue(suspicions > 0, "n2 was suspected while paused");
        assertTrue(refutations > 0, "n2 refuted");
        assertTrue(sim.node("n2").incarnationOf("n2") > incBefore);
        assertEquals(0, countEvents(sim, Type.FAILED, "n2"));
        assertTrue(allSee(sim, "n2", MemberState.ALIVE));
    }

    @Test
    void partitionHealsAfterPushPull() {
        int n = 10;
        Simulation sim = cluster(SwimConfig.lan(), 11, n, 10);
        assertTrue(sim.runUntil(() -> converged(sim, n), 10_000));
        List<String> a = List.of("n0", "n1", "n2", "n3", "n4");
        List<String> b = List.of("n5", "n6", "n7", "n8", "n9");
        long partitionedAt = sim.now();
        sim.partition(a, b);
        assertTrue(sim.runUntil(() -> a.stream().allMatch(x -> b.stream().allMatch(y ->
                sim.node(x).stateOf(y) == MemberState.DEAD && sim.node(y).stateOf(x) == MemberState.DEAD)), 60_000),
                "each side declares the other dead");
        long deadAt = sim.now();
        long deadAfter = deadAt - partitionedAt;
        sim.runFor(60_000);
        sim.heal();
        long healAt = sim.now();
        boolean healed = sim.runUntil(() -> converged(sim, n), 300_000);
        System.out.printf("[swim-sim] 5|5 partition: sides saw each other dead %d ms after the cut; healed %d s after the cut: all 10 alive everywhere %d ms after the heal%n",
                deadAfter, (healAt - partitionedAt) / 1000, sim.now() - healAt);
        assertTrue(healed, "partition healed");
    }

    @Test
    void gracefulLeaveShowsAsLeftNotFailed() {
        Simulation sim = cluster(SwimConfig.lan(), 5, 5, 10);
        assertTrue(sim.runUntil(() -> converged(sim, 5), 10_000));
        sim.runFor(2_000);
        long leaveAt = sim.now();
        sim.leave("n4");
        assertTrue(sim.runUntil(() -> allSee(sim, "n4", MemberState.LEFT), 5_000));
        long seen = sim.now() - leaveAt;
        sim.runFor(1_000);
        sim.crash("n4");
        sim.runFor(60_000);
        System.out.printf("[swim-sim] graceful leave of n4 seen as left by all within %d ms; FAILED events for it: %d%n",
                seen, countEvents(sim, Type.FAILED, "n4"));
        assertTrue(allSee(sim, "n4", MemberState.LEFT));
        assertEquals(0, countEvents(sim, Type.FAILED, "n4"));
    }

    @Test
    void crashedNodeIsDetectedInWanTime() {
        List<Long> worst = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = cluster(SwimConfig.wan(), seed, 5, 10);
            assertTrue(sim.runUntil(() -> converged(sim, 5), 20_000), "cluster formed");
            sim.runFor(10_000);
            long crashAt = sim.now();
            sim.crash("n1");
            assertTrue(sim.runUntil(() -> allSee(sim, "n1", MemberState.DEAD), 180_000));
            worst.add(sim.log().stream().filter(l -> l.event().type() == Type.FAILED && l.event().node().equals("n1"))
                    .mapToLong(l -> l.event().atMillis() - crashAt).max().orElseThrow());
        }
        System.out.printf("[swim-sim] 5-node WAN crash detection (all survivors) over 5 seeds: %s ms (stock serf WAN measured 35-39 s)%n", worst);
        for (long w : worst) {
            assertTrue(w >= 30_000 && w <= 50_000, "WAN detection " + w);
        }
    }

    @Test
    void sameSeedGivesTheSameRun() {
        List<String> first = null;
        for (int run = 0; run < 2; run++) {
            Simulation sim = cluster(SwimConfig.lan(), 99, 12, 10).packetLoss(0.05);
            sim.runFor(5_000);
            sim.crash("n5");
            sim.runFor(20_000);
            List<String> trace = sim.log().stream().map(Object::toString).toList();
            if (first == null) {
                first = trace;
            } else {
                assertEquals(first, trace);
            }
        }
    }

    @Test
    void nodePausedPastItsSuspicionIsDeclaredFailedThenRefutesAndRejoins() {
        Simulation sim = cluster(SwimConfig.lan(), 21, 5, 10);
        assertTrue(sim.runUntil(() -> converged(sim, 5), 10_000));
        sim.runFor(3_000);
        long pausedAt = sim.now();
        sim.pause("n2");
        assertTrue(sim.runUntil(() -> allSee(sim, "n2", MemberState.DEAD), 30_000), "declared failed while paused");
        long failedAfter = sim.now() - pausedAt;
        sim.runFor(2_000);
        long resumedAt = sim.now();
        sim.resume("n2");
        assertTrue(sim.runUntil(() -> allSee(sim, "n2", MemberState.ALIVE), 60_000), "n2 back after resuming");
        System.out.printf("[swim-sim] n2 paused %d ms: declared failed by all after %d ms, alive again everywhere %d ms after resuming (incarnation %d, %d JOINED events)%n",
                resumedAt - pausedAt, failedAfter, sim.now() - resumedAt, sim.node("n2").incarnationOf("n2"),
                countEvents(sim, Type.JOINED, "n2"));
        assertTrue(countEvents(sim, Type.REFUTED, "n2") > 0);
    }

    /** Not a bound from memberlist: shows where the UDP-only detector starts to give false failures. */
    @Test
    void heavyLossFigureWithoutTcpFallback() {
        int n = 30;
        Simulation sim = cluster(SwimConfig.lan().withTcpPings(false), 43, n, 10);
        assertTrue(sim.runUntil(() -> converged(sim, n), 20_000));
        for (double loss : new double[] {0.2, 0.3}) {
            int before = sim.log().size();
            sim.packetLoss(loss);
            sim.runFor(5 * 60_000);
            List<Simulation.Logged> window = sim.log().subList(before, sim.log().size());
            long failed = window.stream().filter(l -> l.event().type() == Type.FAILED).count();
            long victims = window.stream().filter(l -> l.event().type() == Type.FAILED).map(l -> l.event().node()).distinct().count();
            System.out.printf("[swim-sim] UDP-only, %d nodes, %.0f%% loss, 5 virtual min: %d false FAILED declarations (%.6f per node-probe-interval), %d nodes ever falsely failed%n",
                    n, loss * 100, failed, failed / (double) (n * 300), victims);
            sim.packetLoss(0);
            assertTrue(sim.runUntil(() -> converged(sim, n), 180_000), "recovers when the loss stops");
        }
    }
}
