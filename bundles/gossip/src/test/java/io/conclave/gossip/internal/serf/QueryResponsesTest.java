package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.serf.QueryResponses.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query ack/response collection with deadlines in virtual time, and receive-side dedupe. */
class QueryResponsesTest {

    @Test
    void acksAndResponsesAreCollectedOncePerSender() {
        QueryResponses r = new QueryResponses();
        r.register(new Query(3, 77, "_serf_ping", true, 1_000));
        assertEquals(Outcome.ACK, r.handle(3, 77, "a", Query.FLAG_ACK, null, 10));
        assertEquals(Outcome.DUPLICATE, r.handle(3, 77, "a", Query.FLAG_ACK, null, 11), "relayed copy");
        assertEquals(Outcome.RESPONSE, r.handle(3, 77, "a", 0, new byte[] {1}, 12));
        assertEquals(Outcome.DUPLICATE, r.handle(3, 77, "a", 0, new byte[] {2}, 13));
        assertEquals(Outcome.ACK, r.handle(3, 77, "b", Query.FLAG_ACK, null, 14));
        QueryResponses.Collected c = r.collected(3).orElseThrow();
        assertEquals(List.of("a", "b"), c.acks());
        assertEquals(1, c.responses().size());
        assertEquals(1, c.responses().get(0).payload()[0]);
    }

    @Test
    void repliesForUnknownOrMismatchedQueriesAreDropped() {
        QueryResponses r = new QueryResponses();
        r.register(new Query(3, 77, "q", false, 1_000));
        assertEquals(Outcome.UNKNOWN_QUERY, r.handle(4, 77, "a", 0, null, 0));
        assertEquals(Outcome.ID_MISMATCH, r.handle(3, 78, "a", 0, null, 0));
    }

    @Test
    void nothingIsCollectedAfterTheDeadlineAndExpiryForgetsTheQuery() {
        QueryResponses r = new QueryResponses();
        r.register(new Query(1, 1, "q", true, 1_000));
        r.register(new Query(2, 2, "q", true, 5_000));
        assertEquals(Outcome.ACK, r.handle(1, 1, "a", Query.FLAG_ACK, null, 1_000), "deadline itself still counts");
        assertEquals(Outcome.FINISHED, r.handle(1, 1, "b", Query.FLAG_ACK, null, 1_001));
        List<QueryResponses.Collected> done = r.expire(1_001);
        assertEquals(1, done.size());
        assertEquals(List.of("a"), done.get(0).acks());
        assertTrue(done.get(0).closed());
        assertEquals(1, r.openCount());
        assertEquals(Outcome.UNKNOWN_QUERY, r.handle(1, 1, "c", Query.FLAG_ACK, null, 1_002));
        assertTrue(r.expire(5_000).isEmpty());
        assertEquals(1, r.expire(5_001).size());
    }

    @Test
    void closedQueryIgnoresLateReplies() {
        QueryResponses r = new QueryResponses();
        r.register(new Query(1, 1, "q", false, 1_000));
        r.close(1);
        assertEquals(Outcome.FINISHED, r.handle(1, 1, "a", 0, null, 0));
    }

    @Test
    void defaultTimeoutScalesWithClusterSize() {
        assertEquals(200 * 16, Query.defaultTimeoutMillis(200, 16, 3));
        assertEquals(200 * 16 * 2, Query.defaultTimeoutMillis(200, 16, 10));
        assertThrows(IllegalArgumentException.class, () -> new Query(1, 1L << 32, "q", false, 0));
    }

    @Test
    void incomingQueriesDedupeOnLTimeAndId() {
        QueryDedupe d = new QueryDedupe(512);
        assertTrue(d.firstSeen(10, 1));
        assertFalse(d.firstSeen(10, 1));
        assertTrue(d.firstSeen(10, 2));
        assertTrue(d.firstSeen(11, 1));
        d.firstSeen(2000, 9);
        assertFalse(d.firstSeen(2001 - 513, 3), "outside the window");
        d.setMinTime(3000);
        assertFalse(d.firstSeen(2999, 4));
    }
}
