package io.conclave.gossip.internal.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.swim.MembershipEvent.Type;
import io.conclave.gossip.internal.swim.SwimMessage.Ack;
import io.conclave.gossip.internal.swim.SwimMessage.Alive;
import io.conclave.gossip.internal.swim.SwimMessage.Compound;
import io.conclave.gossip.internal.swim.SwimMessage.Dead;
import io.conclave.gossip.internal.swim.SwimMessage.Ping;
import io.conclave.gossip.internal.swim.SwimMessage.Suspect;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Single-node rules, driven by hand. */
class SwimNodeTest {

    private static SwimNode node() {
        SwimNode n = new SwimNode("me", SwimConfig.lan(), new SplittableRandom(1), 0);
        n.receive("x", new Alive(1, "x"), 0);
        n.receive("y", new Alive(1, "y"), 0);
        n.drainEvents();
        n.drainOutgoing();
        return n;
    }

    private static boolean contains(SwimMessage m, SwimMessage wanted) {
        if (m.equals(wanted)) {
            return true;
        }
        return m instanceof Compound c && c.parts().stream().anyMatch(p -> contains(p, wanted));
    }

    @Test
    void suspicionAboutMeIsRefutedWithAHigherIncarnation() {
        SwimNode n = node();
        n.receive("x", new Suspect(5, "me", "x"), 10);
        assertEquals(6, n.incarnationOf("me"));
        assertEquals(1, n.awarenessScore());
        assertEquals(List.of(new MembershipEvent(Type.REFUTED, "me", 6, 10)), n.drainEvents());
        n.receive("y", new Ping(1, "me", "y"), 20);
        List<Outgoing> out = n.drainOutgoing();
        assertTrue(out.stream().anyMatch(o -> o.to().equals("y") && contains(o.message(), new Alive(6, "me"))),
                "the refutation rides on the ack: " + out);
        assertTrue(out.stream().anyMatch(o -> contains(o.message(), new Ack(1))));
    }

    @Test
    void pingForAnotherNameIsDropped() {
        SwimNode n = node();
        n.receive("x", new Ping(1, "someone-else", "x"), 10);
        assertTrue(n.drainOutgoing().isEmpty());
    }

    @Test
    void deadFromTheNodeItselfMeansLeft() {
        SwimNode n = node();
        n.receive("x", new Dead(1, "x", "x"), 10);
        n.receive("x", new Dead(1, "y", "x"), 10);
        assertEquals(MemberState.LEFT, n.stateOf("x"));
        assertEquals(MemberState.DEAD, n.stateOf("y"));
        assertEquals(List.of(new MembershipEvent(Type.LEFT, "x", 1, 10), new MembershipEvent(Type.FAILED, "y", 1, 10)),
                n.drainEvents());
    }

    @Test
    void staleSuspicionIsIgnoredAndNewerAliveClearsIt() {
        SwimNode n = node();
        n.receive("y", new Alive(3, "x"), 5);
        n.receive("y", new Suspect(2, "x", "y"), 10);
        assertEquals(MemberState.ALIVE, n.stateOf("x"));
        n.receive("y", new Suspect(3, "x", "y"), 10);
        assertEquals(MemberState.SUSPECT, n.stateOf("x"));
        n.receive("x", new Alive(4, "x"), 20);
        assertEquals(MemberState.ALIVE, n.stateOf("x"));
        assertTrue(n.drainEvents().stream().anyMatch(e -> e.type() == Type.ALIVE_AGAIN));
    }

    @Test
    void unansweredProbeLeadsToIndirectPingsTcpFallbackAndSuspicion() {
        SwimNode n = new SwimNode("me", SwimConfig.lan(), new SplittableRandom(1), 0);
        for (String p : List.of("a", "b", "c", "d", "e")) {
            n.receive(p, new Alive(1, p), 0);
        }
        n.drainOutgoing();
        long t = n.nextDeadlineMillis();
        Outgoing ping = null;
        while (ping == null) {
            n.tick(t);
            ping = n.drainOutgoing().stream().filter(o -> o.message() instanceof Ping
                    || (o.message() instanceof Compound c && c.parts().get(0) instanceof Ping)).findFirst().orElse(null);
            t = n.nextDeadlineMillis();
        }
        long probeStart = t;
        String target = ping.to();
        n.tick(probeStart + 500);
        List<Outgoing> out = n.drainOutgoing();
        assertEquals(3, out.stream().filter(o -> o.message() instanceof SwimMessage.IndirectPing
                || (o.message() instanceof Compound c && c.parts().get(0) instanceof SwimMessage.IndirectPing)).count());
        assertTrue(out.stream().anyMatch(o -> o.reliable() && o.to().equals(target) && o.message() instanceof Ping));
        n.tick(probeStart + 1_000);
        assertEquals(MemberState.SUSPECT, n.stateOf(target));
        assertEquals(3, n.awarenessScore(), "three missing nacks");
    }
}
