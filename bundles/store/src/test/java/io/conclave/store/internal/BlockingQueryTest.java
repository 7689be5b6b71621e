package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockingQueryTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final long BOUND_SECONDS = 30;

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    private <T> CompletableFuture<Indexed<T>> query(long minIndex, Duration wait, Function<StoreView, Indexed<T>> fn) {
        return kv.store.query(minIndex, wait, fn).toCompletableFuture();
    }

    private static Function<StoreView, Indexed<Optional<KvEntry>>> get(String key, AtomicInteger runs) {
        return v -> {
            runs.incrementAndGet();
            return v.kvGet(key);
        };
    }

    @Test
    void minIndexZeroCompletesAtOnce() {
        kv.set("k", "v");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(0, LONG, v -> v.kvGet("k"));
        assertTrue(f.isDone());
        assertEquals(1, f.join().index());
        assertEquals(0, kv.store.parkedQueries());
    }

    @Test
    void indexAboveMinIndexCompletesAtOnce() {
        kv.set("k", "v");
        kv.set("k", "w");
        assertTrue(query(1, LONG, v -> v.kvGet("k")).isDone());
    }

    @Test
    void cancellingTheStageReleasesItsWatcherAndTimerAtOnce() throws Exception {
        kv.set("k", "v1");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, LONG, v -> v.kvGet("k"));
        assertEquals(1, kv.store.parkedQueries());
        assertEquals(1, kv.store.watchRegistry().size());

        assertTrue(f.cancel(false));
        assertEquals(0, kv.store.parkedQueries());
        assertEquals(0, kv.store.watchRegistry().size());

        long wakeups = kv.store.wakeups();
        kv.set("k", "v2");
        assertEquals(wakeups, kv.store.wakeups(), "an abandoned query is not woken");
    }

    @Test
    void wakesOnWriteToWatchedKeyAndNotOnUnrelatedWrite() throws Exception {
        kv.set("k", "v1");
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, LONG, get("k", runs));
        CompletableFuture<String> completingThread = f.thenApply(r -> Thread.currentThread().getName());
        assertFalse(f.isDone());
        assertEquals(1, kv.store.parkedQueries());

        long wakeups = kv.store.wakeups();
        kv.set("other", "x");
        kv.set("k/child", "x");
        kv.set("kk", "x");
        assertEquals(wakeups, kv.store.wakeups(), "unrelated writes woke nothing");
        assertFalse(f.isDone());
        assertEquals(1, runs.get(), "the query did not re-run");

        ExecutorService applier = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-applier"));
        try {
            applier.submit(() -> kv.set("k", "v2")).get(BOUND_SECONDS, TimeUnit.SECONDS);
        } finally {
            applier.shutdown();
        }
        Indexed<Optional<KvEntry>> r = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(5, r.index());
        assertEquals("v2", Kv.text(r.value().orElseThrow()));
        assertEquals(2, runs.get());
        assertEquals(0, kv.store.parkedQueries());
        // CompletableFuture lets a waiting get() run dependents too, so the only promise is "not the applier".
        assertFalse(completingThread.get(BOUND_SECONDS, TimeUnit.SECONDS).equals("test-applier"),
                "the applier never runs query functions or completion callbacks");
    }

    @Test
    void prefixQueryWakesOnKeyUnderPrefixOnly() throws Exception {
        kv.set("web/a", "1");
        CompletableFuture<Indexed<List<KvEntry>>> f = query(1, LONG, v -> v.kvList("web/"));
        long wakeups = kv.store.wakeups();
        kv.set("webx", "1");
        kv.set("we", "1");
        assertEquals(wakeups, kv.store.wakeups());
        assertFalse(f.isDone());
        kv.set("web/b/c", "2");
        Indexed<List<KvEntry>> r = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(4, r.index());
        assertEquals(2, r.value().size());
    }

    @Test
    void prefixQueryWakesOnDeleteUnderPrefix() throws Exception {
        kv.set("web/a", "1");
        kv.set("web/b", "2");
        CompletableFuture<Indexed<List<String>>> f = query(2, LONG, v -> v.kvKeys("web/", "/"));
        kv.delete("web/b");
        Indexed<List<String>> r = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(3, r.index(), "the tombstone's index");
        assertEquals(List.of("web/a"), r.value());
    }

    @Test
    void queryOnMissingKeyWakesOnCreation() throws Exception {
        kv.set("other", "x");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, LONG, v -> v.kvGet("missing"));
        assertFalse(f.isDone());
        kv.set("other", "y");
        assertFalse(f.isDone(), "a table-index read watches only its key");
        kv.set("missing", "here");
        Indexed<Optional<KvEntry>> r = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(3, r.index());
        assertEquals("here", Kv.text(r.value().orElseThrow()));
    }

    @Test
    void timeoutCompletesWithCurrentResult() throws Exception {
        kv.set("k", "v");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, Duration.ofMillis(50), v -> v.kvGet("k"));
        Indexed<Optional<KvEntry>> r = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, r.index());
        assertEquals("v", Kv.text(r.value().orElseThrow()));
        assertEquals(0, kv.store.parkedQueries());
        assertEquals(0, kv.store.watchRegistry().size(), "the watcher was removed");
        assertEquals(0, kv.store.watchRegistry().indexedEntries());
    }

    @Test
    void zeroWaitCompletesAtOnceUnchanged() {
        kv.set("k", "v");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, Duration.ZERO, v -> v.kvGet("k"));
        assertTrue(f.isDone());
        assertEquals(1, f.join().index());
    }

    @Test
    void queryThatThrowsCompletesExceptionallyAndIsNotRetried() throws Exception {
        kv.set("k", "v");
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, LONG, v -> {
            if (runs.incrementAndGet() > 1) {
                throw boom;
            }
            return v.kvGet("k");
        });
        kv.set("k", "w");
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
        assertEquals(2, runs.get());
        assertEquals(0, kv.store.parkedQueries());
        assertEquals(0, kv.store.watchRegistry().size());
    }

    @Test
    void queryThatThrowsAtOnceFailsAtOnce() {
        CompletableFuture<Indexed<Object>> f = query(5, LONG, v -> {
            throw new IllegalStateException("bad");
        });
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, kv.store.parkedQueries());
    }

    @Test
    void stoppingTheStoreFailsParkedQueries() throws Exception {
        kv.set("k", "v");
        CompletableFuture<Indexed<Optional<KvEntry>>> f = query(1, LONG, v -> v.kvGet("k"));
        kv.store.deactivate();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(0, kv.store.parkedQueries());
        assertTrue(kv.store.query(0, LONG, v -> v.kvGet("k")).toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void tenThousandParkedQueriesCompleteAfterWritesWithoutAThreadEach() throws Exception {
        int keys = 100;
        int queries = 10_000;
        for (int i = 0; i < keys; i++) {
            kv.set("k/" + i, "0");
        }
        long threadsBefore = storeThreads();
        List<CompletableFuture<Indexed<Optional<KvEntry>>>> parked = new ArrayList<>(queries);
        for (int q = 0; q < queries; q++) {
            String key = "k/" + (q % keys);
            parked.add(query(kv.entry(key).modifyIndex(), LONG, v -> v.kvGet(key)));
        }
        assertEquals(queries, kv.store.parkedQueries());
        assertTrue(storeThreads() <= threadsBefore + 3, "no thread per parked query");
        for (int i = 0; i < keys; i++) {
            kv.set("k/" + i, "1");
        }
        CompletableFuture.allOf(parked.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int q = 0; q < queries; q++) {
            assertEquals("1", Kv.text(parked.get(q).join().value().orElseThrow()));
        }
        assertEquals(0, kv.store.parkedQueries());
        assertEquals(0, kv.store.watchRegistry().size());
        assertEquals(0, kv.store.watchRegistry().indexedEntries());
    }

    private static long storeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("conclave-store-")).count();
    }
}
