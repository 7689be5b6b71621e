package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** serf's user events: clock, dedupe ring and window (serf_internals_test.go handleUserEvent). */
class UserEventsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createStampsTheCurrentTimeThenIncrements() {
        UserEvents ev = new UserEvents(SerfConfig.serf());
        UserEvent first = ev.create("deploy", b("v1"), true);
        UserEvent second = ev.create("deploy", b("v2"), true);
        assertEquals(0, first.ltime());
        assertEquals(1, second.ltime());
        assertEquals(2, ev.clock().time());
        assertEquals(List.of(first, second), ev.drainDelivered());
    }

    @Test
    void duplicatesByLTimeNameAndPayloadAreDeliveredOnce() {
        UserEvents ev = new UserEvents(SerfConfig.serf());
        assertTrue(ev.receive(new UserEvent(5, "foo", b("p"), false)));
        assertFalse(ev.receive(new UserEvent(5, "foo", b("p"), true)), "coalesce flag is not identity");
        assertTrue(ev.receive(new UserEvent(5, "foo", b("q"), false)), "other payload, same LTime");
        assertTrue(ev.receive(new UserEvent(5, "bar", b("p"), false)), "other name, same LTime");
        assertTrue(ev.receive(new UserEvent(6, "foo", b("p"), false)), "other LTime");
        assertEquals(4, ev.drainDelivered().size());
        assertEquals(7, ev.clock().time(), "witnessed");
    }

    @Test
    void eventsOlderThanTheBufferWindowAreDropped() {
        UserEvents ev = new UserEvents(SerfConfig.serf());
        ev.receive(new UserEvent(1000, "now", b(""), false));
        long cur = ev.clock().time();
        assertEquals(1001, cur);
        assertFalse(ev.receive(new UserEvent(cur - 512 - 1, "old", b(""), false)));
        assertTrue(ev.receive(new UserEvent(cur - 512, "edge", b(""), false)));
    }

    @Test
    void ringSlotIsReusedByANewerLTime() {
        UserEvents ev = new UserEvents(SerfConfig.serf().withEventBuffer(4));
        assertTrue(ev.receive(new UserEvent(1, "a", b(""), false)));
        assertTrue(ev.receive(new UserEvent(5, "a", b(""), false)), "slot 1 overwritten by LTime 5");
        assertFalse(ev.receive(new UserEvent(1, "a", b(""), false)), "LTime 1 is now outside the window of 4");
        List<EventBuffer.Slot> slots = ev.buffer().slots();
        assertEquals(4, slots.size());
        assertEquals(5, slots.get(1).ltime());
        assertNull(slots.get(0), "empty slots stay nil for push-pull");
    }

    @Test
    void eventsBeforeMinTimeAreIgnored() {
        UserEvents ev = new UserEvents(SerfConfig.serf());
        ev.setMinTime(10);
        assertFalse(ev.receive(new UserEvent(9, "a", b(""), false)));
        assertTrue(ev.receive(new UserEvent(10, "a", b(""), false)));
    }

    @Test
    void oversizedEventsAreRefused() {
        UserEvents ev = new UserEvents(SerfConfig.serf());
        assertThrows(IllegalArgumentException.class, () -> ev.create("big", new byte[510], false));
        ev.create("ok", new byte[510], false);
    }

    @Test
    void consulEventNaming() {
        assertEquals("consul:event:deploy", ConsulEvents.serfName("deploy"));
        assertEquals(Optional.of("deploy"), ConsulEvents.userEventName("consul:event:deploy"));
        assertEquals(Optional.empty(), ConsulEvents.userEventName("consul:new-leader"));
        assertEquals(Optional.empty(), ConsulEvents.userEventName("deploy"));
        assertTrue(ConsulEvents.isInternal(ConsulEvents.NEW_LEADER));
        assertFalse(ConsulEvents.isInternal("consul:event:x"));
        assertThrows(IllegalArgumentException.class, () -> ConsulEvents.serfName(""));
    }
}
