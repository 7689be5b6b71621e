package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.StoreView;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MvccTest {

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    @Test
    void viewTakenBeforeWriteDoesNotSeeIt() {
        kv.set("k", "old");
        StoreView before = kv.store.view();
        kv.set("k", "new");
        kv.set("added", "x");
        kv.delete("k");
        assertEquals("old", Kv.text(before.kvGet("k").value().orElseThrow()));
        assertTrue(before.kvGet("added").value().isEmpty());
        assertEquals(1, before.index());
        assertEquals(List.of("k"), before.kvKeys("", "").value());
        assertTrue(kv.store.view().kvGet("k").value().isEmpty());
    }

    @Test
    void concurrentReadersSeeConsistentPointsInTime() throws Exception {
        // The writer rewrites g/0..g/9 in turn, so in a consistent view each key's ModifyIndex follows
        // from the view's index alone; a torn read would show a key older or newer than that.
        for (int i = 0; i < 10; i++) {
            kv.set("g/" + i, "0");
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(2);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> checks = List.of(readers.submit(() -> readLoop(stop, started)),
                    readers.submit(() -> readLoop(stop, started)));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int round = 1; round <= 300; round++) {
                for (int i = 0; i < 10; i++) {
                    kv.set("g/" + i, Integer.toString(round));
                }
            }
            stop.set(true);
            for (Future<Integer> f : checks) {
                assertTrue(f.get(30, TimeUnit.SECONDS) > 0);
            }
        } finally {
            readers.shutdownNow();
        }
    }

    /** Key g/i is written at indexes i+1, i+11, i+21, ...; the view's index says which one it must show. */
    private int readLoop(AtomicBoolean stop, CountDownLatch started) {
        started.countDown();
        int reads = 0;
        while (!stop.get() || reads == 0) {
            StoreView v = kv.store.view();
            long idx = v.index();
            List<KvEntry> entries = v.kvList("g/").value();
            assertEquals(10, entries.size());
            for (KvEntry e : entries) {
                int i = Integer.parseInt(e.key().substring(2));
                long lastWriteOfKey = i + 1 + 10 * ((idx - (i + 1)) / 10);
                assertEquals(lastWriteOfKey, e.modifyIndex(), "key " + e.key() + " in view at " + idx);
                assertEquals(e, v.kvGet(e.key()).value().orElseThrow(), "get and list agree within a view");
            }
            reads++;
        }
        return reads;
    }
}
