package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** lamport_test.go's cases. */
class LamportClockTest {

    @Test
    void startsAtZeroAndIncrementReturnsTheNewTime() {
        LamportClock c = new LamportClock();
        assertEquals(0, c.time());
        assertEquals(1, c.increment());
        assertEquals(1, c.time());
    }

    @Test
    void witnessMovesOnePastANewerTime() {
        LamportClock c = new LamportClock();
        c.increment();
        c.witness(41);
        assertEquals(42, c.time());
        c.witness(41);
        assertEquals(42, c.time(), "witnessing an older time changes nothing");
        c.witness(30);
        assertEquals(42, c.time());
    }

    @Test
    void witnessOfTheCurrentTimeStillAdvances() {
        LamportClock c = new LamportClock(5);
        c.witness(5);
        assertEquals(6, c.time());
    }

    @Test
    void comparesUnsignedLikeGoUint64() {
        LamportClock c = new LamportClock(10);
        c.witness(-2); // 2^64 - 2
        assertEquals(-1, c.time());
    }
}
