package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.serf.Membership.IntentResult;
import io.conclave.gossip.internal.swim.MembershipEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** serf's status machine (serf_internals_test.go / serf_test.go), driven in virtual time. */
class MembershipTest {

    private static final long HOUR = 3_600_000L;
    private static final Map<String, String> TAGS = Map.of("role", "node", "dc", "dc1");

    private final Membership m = new Membership("self", SerfConfig.consul());

    private MemberStatus status(String node) {
        return m.member(node).orElseThrow().status();
    }

    private List<MemberEvent.Type> eventTypes() {
        return m.drainEvents().stream().map(MemberEvent::type).toList();
    }

    @Test
    void memberlistJoinMakesAnAliveMemberWithTags() {
        m.memberlistJoin("a", TAGS, 0);
        SerfMember a = m.member("a").orElseThrow();
        assertEquals(MemberStatus.ALIVE, a.status());
        assertEquals(TAGS, a.tags());
        assertEquals(List.of(MemberEvent.Type.JOIN), eventTypes());
    }

    @Test
    void joinIntentBeforeTheMemberIsBufferedAndSetsItsStatusLTime() {
        assertTrue(m.joinIntent("a", 7, 0));
        assertFalse(m.joinIntent("a", 7, 0), "same intent again is not rebroadcast");
        assertEquals(1, m.bufferedIntents());
        m.memberlistJoin("a", TAGS, 10);
        assertEquals(MemberStatus.ALIVE, status("a"));
        assertEquals(7, m.member("a").orElseThrow().statusLTime());
        assertEquals(8, m.clock().time(), "intent witnessed");
    }

    @Test
    void leaveIntentBeforeTheMemberMakesItLeavingOnJoin() {
        assertEquals(IntentResult.BUFFERED, m.leaveIntent("a", 5, false, 0));
        m.memberlistJoin("a", TAGS, 10);
        assertEquals(MemberStatus.LEAVING, status("a"));
        assertEquals(5, m.member("a").orElseThrow().statusLTime());
        m.memberlistLeave("a", 20);
        assertEquals(MemberStatus.LEFT, status("a"));
    }

    @Test
    void newerBufferedIntentWinsOverAnOlderOne() {
        m.leaveIntent("a", 5, false, 0);
        assertTrue(m.joinIntent("a", 6, 0), "newer join replaces the leave");
        assertEquals(IntentResult.STALE, m.leaveIntent("a", 4, false, 0));
        m.memberlistJoin("a", TAGS, 10);
        assertEquals(MemberStatus.ALIVE, status("a"));
        assertEquals(6, m.member("a").orElseThrow().statusLTime());
    }

    @Test
    void bufferedIntentsAreReapedAfterRecentIntentTimeout() {
        m.leaveIntent("a", 5, false, 0);
        m.reap(5 * 60_000);
        assertEquals(1, m.bufferedIntents());
        m.reap(5 * 60_000 + 1);
        assertEquals(0, m.bufferedIntents());
        m.memberlistJoin("a", TAGS, 6 * 60_000);
        assertEquals(MemberStatus.ALIVE, status("a"), "expired leave intent no longer applies");
    }

    @Test
    void staleIntentsForAKnownMemberAreIgnored() {
        m.memberlistJoin("a", TAGS, 0);
        assertTrue(m.joinIntent("a", 10, 0));
        assertEquals(IntentResult.STALE, m.leaveIntent("a", 9, false, 1));
        assertEquals(IntentResult.STALE, m.leaveIntent("a", 10, false, 1));
        assertEquals(MemberStatus.ALIVE, status("a"));
        assertFalse(m.joinIntent("a", 10, 1));
    }

    @Test
    void leaveIntentThenMemberlistLeaveIsLeft() {
        m.memberlistJoin("a", TAGS, 0);
        eventTypes();
        assertEquals(IntentResult.APPLIED, m.leaveIntent("a", 3, false, 100));
        assertEquals(MemberStatus.LEAVING, status("a"));
        assertTrue(eventTypes().isEmpty(), "leaving emits nothing yet");
        m.apply(new MembershipEvent(MembershipEvent.Type.LEFT, "a", 2, 200), Map.of());
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals(200, m.member("a").orElseThrow().leaveTimeMillis());
        assertEquals(List.of(MemberEvent.Type.LEAVE), eventTypes());
        assertEquals(1, m.leftMembers().size());
        assertTrue(m.failedMembers().isEmpty());
    }

    @Test
    void secondLeaveIntentForALeavingMemberIsStale() {
        m.memberlistJoin("a", TAGS, 0);
        assertEquals(IntentResult.APPLIED, m.leaveIntent("a", 3, false, 1));
        assertEquals(IntentResult.STALE, m.leaveIntent("a", 3, false, 2), "consul#8179: no endless rebroadcast");
        assertEquals(IntentResult.APPLIED, m.leaveIntent("a", 4, false, 2));
        assertEquals(MemberStatus.LEAVING, status("a"));
    }

    @Test
    void newerJoinIntentCancelsLeaving() {
        m.memberlistJoin("a", TAGS, 0);
        m.leaveIntent("a", 3, false, 1);
        assertTrue(m.joinIntent("a", 4, 2));
        assertEquals(MemberStatus.ALIVE, status("a"));
        m.memberlistLeave("a", 3);
        assertEquals(MemberStatus.FAILED, status("a"));
    }

    @Test
    void deadWithoutIntentIsFailedEvenIfMemberlistCallsItLeft() {
        m.memberlistJoin("a", TAGS, 0);
        m.apply(new MembershipEvent(MembershipEvent.Type.SUSPECTED, "a", 1, 5), Map.of());
        assertEquals(MemberStatus.ALIVE, status("a"), "suspect is alive to serf");
        m.apply(new MembershipEvent(MembershipEvent.Type.FAILED, "a", 1, 10), Map.of());
        assertEquals(MemberStatus.FAILED, status("a"));
        assertEquals(List.of(MemberEvent.Type.JOIN, MemberEvent.Type.FAILED), eventTypes());
        m.memberlistLeave("a", 11);
        assertTrue(eventTypes().isEmpty(), "leave of a failed member is ignored");
    }

    @Test
    void failedMemberIsReapedAfterReconnectTimeout() {
        m.memberlistJoin("a", TAGS, 0);
        m.memberlistLeave("a", HOUR);
        eventTypes();
        m.reap(HOUR + 72 * HOUR);
        assertEquals(MemberStatus.FAILED, status("a"), "not before 72 h have passed");
        m.reap(HOUR + 72 * HOUR + 1);
        assertEquals(Optional.empty(), m.member("a"));
        assertTrue(m.failedMembers().isEmpty());
        assertEquals(List.of(MemberEvent.Type.REAP), eventTypes());
    }

    @Test
    void reconnectTimeoutIsConfigurable() {
        Membership serf = new Membership("self", SerfConfig.serf().withReconnectTimeout(60_000));
        serf.memberlistJoin("a", TAGS, 0);
        serf.memberlistLeave("a", 0);
        serf.reap(60_001);
        assertEquals(Optional.empty(), serf.member("a"));
    }

    @Test
    void leftMemberIsReapedAfterTombstoneTimeout() {
        m.memberlistJoin("a", TAGS, 0);
        m.leaveIntent("a", 2, false, 0);
        m.memberlistLeave("a", 0);
        m.reap(24 * HOUR);
        assertEquals(MemberStatus.LEFT, status("a"));
        m.reap(24 * HOUR + 1);
        assertEquals(Optional.empty(), m.member("a"));
        assertTrue(m.leftMembers().isEmpty());
    }

    @Test
    void failedMemberComingBackIsAliveAndNoLongerRetried() {
        m.memberlistJoin("a", TAGS, 0);
        m.memberlistLeave("a", 10);
        assertEquals(List.of("a"), m.failedMembers().stream().map(SerfMember::name).toList());
        Map<String, String> newTags = Map.of("role", "node", "dc", "dc1", "build", "1.9.0");
        m.apply(new MembershipEvent(MembershipEvent.Type.JOINED, "a", 5, 20), newTags);
        SerfMember a = m.member("a").orElseThrow();
        assertEquals(MemberStatus.ALIVE, a.status());
        assertEquals(-1, a.leaveTimeMillis());
        assertEquals(newTags, a.tags());
        assertTrue(m.failedMembers().isEmpty());
        m.reap(100 * HOUR);
        assertEquals(MemberStatus.ALIVE, status("a"), "alive members are never reaped");
    }

    @Test
    void leaveIntentForAFailedMemberForcesLeft() {
        m.memberlistJoin("a", TAGS, 0);
        m.memberlistLeave("a", 10);
        eventTypes();
        assertEquals(IntentResult.APPLIED, m.leaveIntent("a", 9, false, 20));
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals(List.of(MemberEvent.Type.LEAVE), eventTypes());
        assertTrue(m.failedMembers().isEmpty());
        assertEquals(1, m.leftMembers().size());
    }

    @Test
    void pruneErasesTheMember() {
        m.memberlistJoin("a", TAGS, 0);
        m.memberlistLeave("a", 10);
        eventTypes();
        assertEquals(IntentResult.APPLIED, m.leaveIntent("a", 9, true, 20));
        assertEquals(Optional.empty(), m.member("a"));
        assertTrue(m.leftMembers().isEmpty());
        assertEquals(List.of(MemberEvent.Type.LEAVE, MemberEvent.Type.REAP), eventTypes());
    }

    @Test
    void leaveIntentAboutSelfWhileAliveIsRefuted() {
        long join = m.joinIntentForSelf(0);
        assertEquals(1, join);
        m.memberlistJoin("self", TAGS, 0);
        assertEquals(IntentResult.REFUTE, m.leaveIntent("self", 5, false, 1));
        assertFalse(IntentResult.REFUTE.rebroadcast());
        assertEquals(MemberStatus.ALIVE, status("self"));
        assertEquals(6, m.clock().time(), "refuting join will carry a newer time");
    }

    @Test
    void ownLeaveMakesSelfLeaving() {
        m.joinIntentForSelf(0);
        m.memberlistJoin("self", TAGS, 0);
        long t = m.leaveIntentForSelf(5);
        assertEquals(2, t);
        assertEquals(MemberStatus.LEAVING, status("self"));
        assertEquals(3, m.clock().time());
    }

    @Test
    void memberlistUpdateReplacesTags() {
        m.memberlistJoin("a", TAGS, 0);
        m.memberlistUpdate("a", Map.of("role", "consul"), 1);
        assertEquals(Map.of("role", "consul"), m.member("a").orElseThrow().tags());
        assertEquals(List.of(MemberEvent.Type.JOIN, MemberEvent.Type.UPDATE), eventTypes());
        m.memberlistUpdate("unknown", TAGS, 2);
        m.memberlistLeave("unknown", 2);
        assertTrue(eventTypes().isEmpty());
    }

    @Test
    void reconnectPicksOnlyFailedMembers() {
        for (String n : List.of("a", "b", "c", "d")) {
            m.memberlistJoin(n, TAGS, 0);
        }
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(Optional.empty(), m.reconnectCandidate(random));
        m.memberlistLeave("c", 1);
        m.memberlistLeave("d", 1);
        m.leaveIntent("b", 5, false, 1);
        m.memberlistLeave("b", 1);
        // prob = 2 failed / (4 - 2 - 1) alive = 2 > 1: always tries.
        for (int i = 0; i < 20; i++) {
            String pick = m.reconnectCandidate(new java.util.Random(i)).orElseThrow();
            assertTrue(pick.equals("c") || pick.equals("d"), pick);
        }
    }
}
