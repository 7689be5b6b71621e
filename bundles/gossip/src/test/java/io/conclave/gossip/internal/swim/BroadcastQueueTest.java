package io.conclave.gossip.internal.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.swim.SwimMessage.Alive;
import io.conclave.gossip.internal.swim.SwimMessage.Suspect;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastQueueTest {

    @Test
    void newerUpdateAboutANodeReplacesTheOlder() {
        BroadcastQueue q = new BroadcastQueue(4, () -> 10);
        q.queue("a", new Alive(1, "a"));
        q.queue("a", new Suspect(1, "a", "b"));
        assertEquals(List.of(new Suspect(1, "a", "b")), q.take(2, 1400));
    }

    @Test
    void eachUpdateIsSentRetransmitLimitTimes() {
        BroadcastQueue q = new BroadcastQueue(4, () -> 10);
        assertEquals(8, q.retransmitLimit());
        q.queue("a", new Alive(1, "a"));
        for (int i = 0; i < 8; i++) {
            assertEquals(1, q.take(2, 1400).size());
        }
        assertTrue(q.take(2, 1400).isEmpty());
    }

    @Test
    void leastTransmittedGoFirstAndBudgetIsRespected() {
        BroadcastQueue q = new BroadcastQueue(4, () -> 10);
        q.queue("a", new Alive(1, "a"));
        q.take(2, 1400);
        q.queue("b", new Alive(1, "b"));
        List<SwimMessage> one = q.take(2, 50);
        assertEquals(List.of(new Alive(1, "b")), one);
    }
}
