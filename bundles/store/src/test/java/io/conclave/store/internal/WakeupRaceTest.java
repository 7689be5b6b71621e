package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Queries park while a writer races them. Each query waits for a change after the index it saw; a
 * final write to every key guarantees such a change exists, so every query must complete long
 * before its ten-minute wait. A lost wakeup (a commit between a query's read and its registration)
 * would leave one hanging.
 */
class WakeupRaceTest {

    private static final int KEYS = 8;

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    @Test
    void noWakeupIsLostWhileWritesRaceWithParking() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            kv.set("r/" + i, "0");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<CompletableFuture<?>> queries = new ConcurrentLinkedQueue<>();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> loops = List.of(
                    readers.submit(() -> issue(writing, queries, false)),
                    readers.submit(() -> issue(writing, queries, true)),
                    readers.submit(() -> issue(writing, queries, false)));
            for (int round = 1; round <= 3000; round++) {
                kv.set("r/" + (round % KEYS), Integer.toString(round));
            }
            writing.set(false);
            for (Future<?> f : loops) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < KEYS; i++) {
                kv.set("r/" + i, "final");
            }
            CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertTrue(queries.size() > 100, "enough queries raced: " + queries.size());
            assertEquals(0, kv.store.parkedQueries());
            assertEquals(0, kv.store.watchRegistry().size());
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * Forces the window: the query function, after reading, waits until a writer on another thread
     * has committed a change to the key it read. The query parks only after that commit, and must
     * still notice it (without the registry's recent-commit check it would wait its full ten minutes).
     */
    @Test
    void commitBetweenReadAndParkingIsNotMissed() throws Exception {
        kv.set("w", "0");
        kv.set("p/x", "0");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            for (String kind : List.of("get", "list")) {
                CountDownLatch read = new CountDownLatch(1);
                CountDownLatch written = new CountDownLatch(1);
                long seen = kv.index;
                Future<?> write = writer.submit(() -> {
                    read.await(30, TimeUnit.SECONDS);
                    kv.set(kind.equals("get") ? "w" : "p/y", "changed-" + kind);
                    written.countDown();
                    return null;
                });
                AtomicInteger runs = new AtomicInteger();
                CompletableFuture<? extends Indexed<?>> q = kv.store.query(seen, Duration.ofMinutes(10), v -> {
                    Indexed<?> r = kind.equals("get") ? v.kvGet("w") : v.kvList("p/");
                    if (runs.incrementAndGet() == 1) {
                        read.countDown();
                        await(written);
                    }
                    return r;
                }).toCompletableFuture();
                write.get(30, TimeUnit.SECONDS);
                assertEquals(seen + 1, q.get(30, TimeUnit.SECONDS).index(), kind);
                assertEquals(2, runs.get(), kind + " re-ran once, right after parking");
            }
        } finally {
            writer.shutdownNow();
        }
        assertEquals(0, kv.store.parkedQueries());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("writer did not commit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void issue(AtomicBoolean writing, ConcurrentLinkedQueue<CompletableFuture<?>> into, boolean prefix) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (writing.get()) {
            String key = "r/" + rnd.nextInt(KEYS);
            if (prefix) {
                long seen = kv.store.view().kvList(key).index();
                into.add(kv.store.query(seen, Duration.ofMinutes(10), v -> v.kvList(key)).toCompletableFuture());
            } else {
                Indexed<Optional<KvEntry>> seen = kv.store.view().kvGet(key);
                into.add(kv.store.query(seen.index(), Duration.ofMinutes(10), v -> v.kvGet(key)).toCompletableFuture());
            }
        }
    }
}
