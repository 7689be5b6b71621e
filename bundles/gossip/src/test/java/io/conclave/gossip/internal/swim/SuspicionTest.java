package io.conclave.gossip.internal.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuspicionTest {

    /** memberlist suspicion_test.go TestSuspicion_remainingSuspicionTime, as timeouts from the start. */
    @Test
    void timeoutMatchesMemberlistTable() {
        assertEquals(30_000, Suspicion.timeoutMillis(0, 3, 2_000, 30_000));
        assertEquals(16_000, Suspicion.timeoutMillis(1, 3, 2_000, 30_000));
        assertEquals(7_810, Suspicion.timeoutMillis(2, 3, 2_000, 30_000));
        assertEquals(2_000, Suspicion.timeoutMillis(3, 3, 2_000, 30_000));
        assertEquals(2_000, Suspicion.timeoutMillis(4, 3, 2_000, 30_000));
        assertEquals(2_000, Suspicion.timeoutMillis(5, 3, 2_000, 30_000));
    }

    @Test
    void independentConfirmationsShrinkTheTimerDuplicatesDoNot() {
        Suspicion s = new Suspicion("a", 3, 2_000, 30_000, 100);
        assertEquals(30_100, s.deadlineMillis());
        assertFalse(s.confirm("a"), "the accuser does not confirm itself");
        assertTrue(s.confirm("b"));
        assertEquals(16_100, s.deadlineMillis());
        assertFalse(s.confirm("b"));
        assertTrue(s.confirm("c"));
        assertTrue(s.confirm("d"));
        assertEquals(2_100, s.deadlineMillis());
        assertFalse(s.confirm("e"), "no more than k confirmations count");
    }

    @Test
    void withoutExpectedConfirmationsTheTimerStartsAtMin() {
        Suspicion s = new Suspicion("a", 0, 4_000, 24_000, 0);
        assertEquals(4_000, s.deadlineMillis());
    }

    @Test
    void configFormulasMatchMemberlistUtil() {
        SwimConfig lan = SwimConfig.lan();
        assertEquals(4_000, lan.suspicionMinMillis(5), "log10 below 1 counts as 1");
        assertEquals(4 * 2301, lan.suspicionMinMillis(200));
        assertEquals(0, lan.retransmitLimit(0));
        assertEquals(4, lan.retransmitLimit(5));
        assertEquals(8, lan.retransmitLimit(99));
        assertEquals(12, lan.retransmitLimit(200));
        assertEquals(30_000, lan.pushPullIntervalFor(32));
        assertEquals(4 * 30_000, lan.pushPullIntervalFor(200));
        assertEquals(30_000, SwimConfig.wan().suspicionMinMillis(5));
    }

    @Test
    void awarenessIsBoundedAndScalesTimeouts() {
        Awareness a = new Awareness(8);
        a.applyDelta(-1);
        assertEquals(0, a.score());
        a.applyDelta(20);
        assertEquals(7, a.score());
        assertEquals(8_000, a.scale(1_000));
    }
}
