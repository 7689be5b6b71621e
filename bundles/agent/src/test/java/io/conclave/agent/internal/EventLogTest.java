package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.Weights;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final FakeScheduler clock = new FakeScheduler();
    private final EventLog log = new EventLog(clock);

    private static UserEvent event(String name) {
        return event(UUID.randomUUID().toString(), name, "", "", "");
    }

    private static UserEvent event(String id, String name, String node, String service, String tag) {
        return new UserEvent(id, name, null, node, service, tag, 1, 7);
    }

    private static NodeService service(String id, String name, String... tags) {
        return new NodeService("", id, name, List.of(tags), "", Map.of(), Map.of(), 0, Weights.DEFAULT, false, 0, 0);
    }

    private boolean ingest(UserEvent e) {
        return log.ingest(e, "node1", List.of(service("web-1", "web", "primary", "v2")));
    }

    private static QueryOptions blocking(long index, Duration wait) {
        return new QueryOptions(null, index, wait, Consistency.DEFAULT);
    }

    private QueryResult<List<UserEvent>> now(String name) {
        return log.list(name, QueryOptions.now()).toCompletableFuture().join();
    }

    @Test
    void uuidToUint64IsConsulsXorOfTheTwoHalves() {
        // Consul's documented sample event ID; the value its agent puts in X-Consul-Index for it.
        assertEquals(7256511592453824992L, EventLog.uuidToUint64("b54fe110-7af5-cafc-d1fb-afc8ba432b1c"));
        assertEquals(-1L, EventLog.uuidToUint64("ffffffff-ffff-ffff-0000-000000000000"), "all 64 bits, unsigned");
        assertThrows(IllegalArgumentException.class, () -> EventLog.uuidToUint64(""));
        assertThrows(IllegalArgumentException.class, () -> EventLog.uuidToUint64("zzzzzzzz-7af5-cafc-d1fb-afc8ba432b1c"));
    }

    @Test
    void theIndexIsTheNewestEventsIdAndOneWhenThereAreNone() {
        assertEquals(1, now("").meta().index());
        ingest(event("b54fe110-7af5-cafc-d1fb-afc8ba432b1c", "deploy", "", "", ""));
        assertEquals(7256511592453824992L, now("").meta().index());
        ingest(event("ffffffff-ffff-ffff-0000-000000000000", "deploy", "", "", ""));
        assertEquals(Long.MAX_VALUE, now("").meta().index(), "the low 63 bits: a QueryMeta index is signed");
        assertEquals(1, now("other").meta().index(), "the name filter applies before the index");
    }

    @Test
    void aPlainSerfEventWithoutIdGetsAStableIndex() {
        ingest(new UserEvent("", "serf-thing", new byte[] {1}, "", "", "", 0, 42));
        long first = now("").meta().index();
        assertEquals(first, now("").meta().index());
        assertTrue(first > 0);
    }

    @Test
    void keepsTheLast256OldestFirst() {
        for (int i = 0; i < 300; i++) {
            assertTrue(ingest(event("e" + i)));
        }
        List<UserEvent> kept = now("").value();
        assertEquals(EventLog.CAPACITY, kept.size());
        assertEquals("e44", kept.get(0).name());
        assertEquals("e299", kept.get(255).name());
    }

    @Test
    void filtersAreMatchedAgainstThisNodeAndItsServicesAsConsulDoes() {
        assertTrue(ingest(event(UUID.randomUUID().toString(), "a", "^node", "", "")));
        assertFalse(ingest(event(UUID.randomUUID().toString(), "b", "other", "", "")));
        assertTrue(ingest(event(UUID.randomUUID().toString(), "c", "ode", "", "")), "unanchored, as Go's MatchString");
        assertTrue(ingest(event(UUID.randomUUID().toString(), "d", "", "^web$", "")), "the service name");
        assertTrue(ingest(event(UUID.randomUUID().toString(), "e", "", "web-1", "")), "the service ID");
        assertFalse(ingest(event(UUID.randomUUID().toString(), "f", "", "db", "")));
        assertTrue(ingest(event(UUID.randomUUID().toString(), "g", "", "web", "prim")));
        assertFalse(ingest(event(UUID.randomUUID().toString(), "h", "", "web", "^secondary$")));
        assertFalse(ingest(event(UUID.randomUUID().toString(), "i", "(", "", "")), "a filter that does not compile");
        assertFalse(ingest(event(UUID.randomUUID().toString(), "_rexec", "", "", "")), "remote exec is disabled");
        assertEquals(List.of("a", "c", "d", "e", "g"), now("").value().stream().map(UserEvent::name).toList());
    }

    @Test
    void validationHasConsulsMessages() {
        assertEquals("User event missing name",
                assertThrows(IllegalArgumentException.class, () -> EventLog.validate("", "", "", "")).getMessage());
        assertEquals("Cannot provide tag filter without service filter",
                assertThrows(IllegalArgumentException.class, () -> EventLog.validate("x", "", "", "t")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventLog.validate("x", "(", "", ""))
                .getMessage().startsWith("Invalid node filter: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventLog.validate("x", "", "[", ""))
                .getMessage().startsWith("Invalid service filter: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EventLog.validate("x", "", "s", "*"))
                .getMessage().startsWith("Invalid tag filter: "));
        EventLog.validate("deploy", "^n", "web", "v2");
    }

    @Test
    void aReadAtTheCurrentIndexParksUntilAnEventChangesIt() {
        ingest(event("deploy"));
        long index = now("deploy").meta().index();
        CompletableFuture<QueryResult<List<UserEvent>>> read =
                log.list("deploy", blocking(index, Duration.ofMinutes(5))).toCompletableFuture();
        assertFalse(read.isDone());
        assertEquals(1, log.parked());

        ingest(event("other"));
        assertFalse(read.isDone(), "an event of another name leaves the filtered index unchanged");

        UserEvent second = event("deploy");
        ingest(second);
        assertTrue(read.isDone());
        assertEquals(second, read.join().value().get(1));
        assertEquals(0, log.parked());
        assertEquals(0, clock.pending(), "the timer went with the read");
    }

    @Test
    void aReadAtAnotherIndexAnswersAtOnceEvenIfLower() {
        ingest(event("deploy"));
        long index = now("").meta().index();
        assertTrue(log.list("", blocking(index + 1, Duration.ofMinutes(5))).toCompletableFuture().isDone());
        assertTrue(log.list("", blocking(Math.max(1, index - 1), Duration.ofMinutes(5))).toCompletableFuture().isDone());
    }

    @Test
    void aParkedReadEndsWithItsWaitUnchanged() {
        CompletableFuture<QueryResult<List<UserEvent>>> read =
                log.list("", blocking(1, Duration.ofSeconds(30))).toCompletableFuture();
        clock.advance(Duration.ofSeconds(29));
        assertFalse(read.isDone());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(read.isDone());
        assertEquals(List.of(), read.join().value());
        assertEquals(1, read.join().meta().index());
    }

    @Test
    void noWaitMeansConsulsTenMinutes() {
        CompletableFuture<QueryResult<List<UserEvent>>> read =
                log.list("", blocking(1, Duration.ZERO)).toCompletableFuture();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertFalse(read.isDone());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(read.isDone());
    }

    @Test
    void cancellingAParkedReadForgetsItAndItsTimer() {
        CompletableFuture<QueryResult<List<UserEvent>>> read =
                log.list("", blocking(1, Duration.ofMinutes(5))).toCompletableFuture();
        read.cancel(false);
        assertEquals(0, log.parked());
        assertEquals(0, clock.pending());
    }

    @Test
    void closingAnswersEveryParkedRead() {
        CompletableFuture<QueryResult<List<UserEvent>>> a = log.list("", blocking(1, Duration.ofMinutes(5))).toCompletableFuture();
        CompletableFuture<QueryResult<List<UserEvent>>> b = log.list("x", blocking(1, Duration.ofMinutes(5))).toCompletableFuture();
        log.close();
        assertTrue(a.isDone() && b.isDone());
        assertTrue(log.list("", blocking(1, Duration.ofMinutes(5))).toCompletableFuture().isDone());
    }

    @Test
    void manyParkedReadsAreWokenByOneEvent() {
        List<CompletableFuture<QueryResult<List<UserEvent>>>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            reads.add(log.list("", blocking(1, Duration.ofMinutes(5))).toCompletableFuture());
        }
        assertEquals(1000, log.parked());
        ingest(event("go"));
        assertTrue(reads.stream().allMatch(CompletableFuture::isDone));
        assertEquals(0, log.parked());
    }
}
