package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {

    private static ReadOptions parse(String query) {
        return ReadOptions.parse(GoQuery.parse(query), null);
    }

    private static String rejection(String query) {
        HttpError e = assertThrows(HttpError.class, () -> parse(query), query);
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void indexIsAnUnsigned64BitNumber() {
        assertEquals(0, parse("").minIndex());
        assertEquals(0, parse("index=").minIndex());
        assertEquals(17, parse("index=17").minIndex());
        assertEquals(-1L, parse("index=18446744073709551615").minIndex());
        for (String bad : new String[]{"index=abc", "index=-1", "index=+1", "index=1.5", "index=18446744073709551616", "index=%201"}) {
            assertEquals("Invalid index", rejection(bad));
        }
    }

    @Test
    void waitIsAGoDuration() {
        assertNull(parse("").requestedWait());
        assertNull(parse("wait=").requestedWait());
        assertEquals(Duration.ofSeconds(30), parse("wait=30s").requestedWait());
        assertEquals(Duration.ofMinutes(5), parse("wait=300000ms").requestedWait());
        assertEquals(Duration.ofMillis(9870), parse("wait=9.87s").requestedWait());
        assertEquals(Duration.ofSeconds(90), parse("wait=1m30s").requestedWait());
        for (String bad : new String[]{"wait=30", "wait=abc", "wait=5x", "wait=1..5s", "wait=s"}) {
            assertEquals("Invalid wait time", rejection(bad));
        }
    }

    @Test
    void consistencyModes() {
        assertEquals(Consistency.DEFAULT, parse("").consistency());
        assertEquals(Consistency.STALE, parse("stale").consistency());
        assertEquals(Consistency.STALE, parse("stale=false").consistency());
        assertEquals(Consistency.CONSISTENT, parse("consistent=").consistency());
        assertEquals(Consistency.STALE, parse("max_stale=5s").consistency());
        assertEquals(Consistency.DEFAULT, parse("max_stale=0s").consistency());
        assertEquals(Consistency.DEFAULT, parse("leader").consistency());
        assertEquals("leader", parse("").effectiveConsistency());
        assertEquals("stale", parse("stale").effectiveConsistency());
        assertEquals("consistent", parse("consistent").effectiveConsistency());
    }

    @Test
    void conflictingConsistencyIsRejectedWithConsulsText() {
        assertEquals("Cannot specify ?stale with ?consistent, conflicting semantics.", rejection("stale&consistent"));
        assertEquals("Cannot specify ?stale with ?consistent, conflicting semantics.", rejection("consistent&max_stale=1s"));
        assertEquals("Cannot specify ?cached with ?consistent, conflicting semantics.", rejection("cached&consistent"));
        assertEquals("Invalid max_stale value \"soon\"", rejection("max_stale=soon"));
    }

    @Test
    void checksAreMadeInConsulsOrder() {
        // parseConsistency runs before parseWait, and wait before index.
        assertEquals("Cannot specify ?stale with ?consistent, conflicting semantics.", rejection("index=x&wait=y&stale&consistent"));
        assertEquals("Invalid wait time", rejection("index=x&wait=y"));
    }

    @Test
    void cacheControlMaxAgeMustBeANumber() {
        assertDoesNotThrow(() -> ReadOptions.parse(GoQuery.parse(""), "max-age=10, must-revalidate, stale-if-error=-5"));
        assertDoesNotThrow(() -> ReadOptions.parse(GoQuery.parse(""), "no-cache"));
        HttpError e = assertThrows(HttpError.class, () -> ReadOptions.parse(GoQuery.parse(""), "Max-Age=soon"));
        assertEquals("Invalid Cache-Control header.", e.getMessage());
        assertThrows(HttpError.class, () -> ReadOptions.parse(GoQuery.parse(""), "stale-if-error="));
    }

    @Test
    void nonBlockingReadsGetNoJitter() {
        AtomicLong asked = new AtomicLong(-1);
        QueryOptions o = parse("wait=30s").toQueryOptions(b -> {
            asked.set(b);
            return b - 1;
        });
        assertEquals(0, o.minIndex());
        assertEquals(Duration.ofSeconds(30), o.maxWait());
        assertEquals(-1, asked.get());
        assertEquals(QueryOptions.DEFAULT_WAIT, parse("").toQueryOptions(b -> 0).maxWait());
    }

    @Test
    void blockingWaitDefaultsToFiveMinutesPlusJitter() {
        AtomicLong asked = new AtomicLong();
        Duration w = parse("index=5").effectiveWait(b -> {
            asked.set(b);
            return 7;
        });
        assertEquals(Duration.ofMinutes(5).toNanos() / 16, asked.get());
        assertEquals(Duration.ofMinutes(5).plusNanos(7), w);
        assertEquals(Duration.ofMinutes(5), parse("index=5&wait=0s").effectiveWait(b -> 0));
        assertEquals(Duration.ofMinutes(5), parse("index=5&wait=-3s").effectiveWait(b -> 0));
    }

    @Test
    void blockingWaitIsClampedToTenMinutesBeforeJitter() {
        AtomicLong asked = new AtomicLong();
        Duration w = parse("index=5&wait=2h").effectiveWait(b -> {
            asked.set(b);
            return b - 1;
        });
        assertEquals(Duration.ofSeconds(37, 500_000_000).toNanos(), asked.get());
        assertEquals(Duration.ofMinutes(10).plusNanos(asked.get() - 1), w);
        assertTrue(w.compareTo(ReadOptions.longestWait()) < 0);
    }

    @Property(tries = 500)
    void jitteredWaitStaysWithinOneSixteenth(@ForAll @LongRange(min = -1_000_000_000L, max = 3_600_000_000_000L) long waitNanos,
                                            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long index) {
        ReadOptions r = new ReadOptions("", Consistency.DEFAULT, index, Duration.ofNanos(waitNanos));
        Duration w = r.effectiveWait(b -> ThreadLocalRandom.current().nextLong(b));
        Duration base = waitNanos <= 0 ? QueryOptions.DEFAULT_WAIT
                : Duration.ofNanos(Math.min(waitNanos, QueryOptions.MAX_WAIT.toNanos()));
        assertTrue(w.compareTo(base) >= 0, w + " < " + base);
        assertTrue(w.toNanos() < base.toNanos() + Math.max(1, base.toNanos() / 16), w + " too far past " + base);
    }
}
