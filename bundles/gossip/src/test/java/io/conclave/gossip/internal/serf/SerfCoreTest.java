package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Push-pull state exchange between two serf cores (delegate.go LocalState / MergeRemoteState). */
class SerfCoreTest {

    private static final Map<String, String> TAGS = Map.of("role", "node");

    private static SerfCore core(String self) {
        return new SerfCore(self, SerfConfig.consul());
    }

    @Test
    void localStateCarriesClocksStatusTimesLeftMembersAndTheWholeRing() {
        SerfCore a = core("a");
        a.membership().joinIntentForSelf(0);
        a.membership().memberlistJoin("a", TAGS, 0);
        a.membership().memberlistJoin("b", TAGS, 0);
        a.membership().leaveIntent("b", 4, false, 0);
        a.membership().memberlistLeave("b", 1);
        a.userEvents().create("deploy", "v1".getBytes(StandardCharsets.UTF_8), true);
        PushPullState s = a.localState();
        assertEquals(5, s.ltime());
        assertEquals(Map.of("a", 1L, "b", 4L), s.statusLTimes());
        assertEquals(List.of("b"), s.leftMembers());
        assertEquals(1, s.eventLTime());
        assertEquals(512, s.events().size());
        assertEquals("deploy", s.events().get(0).events().get(0).name());
        assertNull(s.events().get(1));
    }

    @Test
    void mergeWitnessesClocksOneBelowTheRemote() {
        SerfCore b = core("b");
        b.mergeRemoteState(new PushPullState(10, Map.of(), List.of(), 20, List.of(), 30), false, false, 0);
        assertEquals(10, b.membership().clock().time());
        assertEquals(20, b.userEvents().clock().time());
        assertEquals(30, b.queries().clock().time());
    }

    @Test
    void mergeTurnsLeftMembersIntoLeaveIntentsPastTheirStatusTime() {
        SerfCore b = core("b");
        b.membership().memberlistJoin("x", TAGS, 0);
        b.membership().memberlistJoin("y", TAGS, 0);
        b.membership().memberlistLeave("y", 1);
        b.membership().drainEvents();
        PushPullState remote = new PushPullState(9, Map.of("x", 7L, "y", 7L, "z", 8L), List.of("x", "y"), 0,
                List.of(), 0);
        b.mergeRemoteState(remote, false, false, 2);
        assertEquals(MemberStatus.LEAVING, b.membership().member("x").orElseThrow().status());
        assertEquals(8, b.membership().member("x").orElseThrow().statusLTime());
        assertEquals(MemberStatus.LEFT, b.membership().member("y").orElseThrow().status(), "failed → left (forced)");
        assertEquals(1, b.membership().bufferedIntents(), "z's join intent waits for memberlist");
        b.membership().memberlistJoin("z", TAGS, 3);
        assertEquals(8, b.membership().member("z").orElseThrow().statusLTime());
    }

    @Test
    void mergeReplaysRemoteEventsOnceAndIgnoresThemOnAJoinThatAsksTo() {
        SerfCore a = core("a");
        a.userEvents().create("consul:event:deploy", new byte[] {1}, true);
        a.userEvents().create("consul:event:deploy", new byte[] {2}, true);
        PushPullState s = a.localState();

        SerfCore b = core("b");
        b.mergeRemoteState(s, false, false, 0);
        assertEquals(2, b.userEvents().drainDelivered().size());
        b.mergeRemoteState(s, false, false, 1);
        assertTrue(b.userEvents().drainDelivered().isEmpty(), "second push-pull delivers nothing new");

        SerfCore c = core("c");
        c.mergeRemoteState(s, true, true, 0);
        assertTrue(c.userEvents().drainDelivered().isEmpty(), "joined with ignoreOld");
        assertTrue(c.userEvents().receive(new UserEvent(2, "consul:event:next", new byte[0], false)));
    }
}
