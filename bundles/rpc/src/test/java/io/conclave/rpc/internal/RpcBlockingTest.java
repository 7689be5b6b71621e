package io.conclave.rpc.internal;

import static io.conclave.rpc.internal.TestRig.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocking queries held by the server without threads, client timeouts, and many callers at once. */
class RpcBlockingTest {

    @Test
    @Timeout(60)
    void tenThousandParkedQueriesOverOneConnectionAllCompleteWhenTheKeyChanges() throws Exception {
        try (TestRig rig = new TestRig()) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            assertTrue(await(kv.apply(KvRequest.set("watched", "v0".getBytes(StandardCharsets.UTF_8), 0))));
            long index = rig.kv.index();
            int threadsBefore = Thread.activeCount();
            QueryOptions blocking = new QueryOptions(null, index, Duration.ofMinutes(5), Consistency.DEFAULT);

            List<CompletableFuture<QueryResult<Optional<KvEntry>>>> parked = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                parked.add(kv.get("watched", blocking).toCompletableFuture());
            }
            TestRig.waitFor("10,000 queries parked on the server", Duration.ofSeconds(30),
                    () -> rig.kv.parked.get() == 10_000);
            assertEquals(1, rig.server.connectionCount(), "one multiplexed connection");
            assertTrue(parked.stream().noneMatch(CompletableFuture::isDone), "nothing answered before the write");
            // parking holds no thread: a handful of fixed threads at most, not one per query
            assertTrue(Thread.activeCount() - threadsBefore < 50,
                    "threads grew by " + (Thread.activeCount() - threadsBefore));

            assertTrue(await(kv.apply(KvRequest.set("watched", "v1".getBytes(StandardCharsets.UTF_8), 0))));
            CompletableFuture.allOf(parked.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<QueryResult<Optional<KvEntry>>> f : parked) {
                QueryResult<Optional<KvEntry>> r = f.join();
                assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), r.value().orElseThrow().value());
                assertTrue(r.meta().index() > index);
            }
            assertEquals(0, rig.server.callsInFlight());
        }
    }

    @Test
    @Timeout(30)
    void aBlockingQueryEndsAtItsWaitWithTheUnchangedResult() throws Exception {
        try (TestRig rig = new TestRig()) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            await(kv.apply(KvRequest.set("quiet", null, 0)));
            long index = rig.kv.index();
            long start = System.nanoTime();
            QueryResult<Optional<KvEntry>> r = await(kv.get("quiet",
                    new QueryOptions(null, index, Duration.ofMillis(300), Consistency.DEFAULT)));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(index, r.meta().index());
            assertTrue(tookMillis >= 250 && tookMillis < 5000, "took " + tookMillis + "ms");
        }
    }

    @Test
    @Timeout(30)
    void aServerThatNeverAnswersTimesOutAtTheCallTimeoutAndTheCallIsCancelledThere() throws Exception {
        try (TestRig rig = new TestRig(RpcServer.Limits.defaults(), TestRig.clientSettings(Duration.ofMillis(400)))) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            long start = System.nanoTime();
            Exception e = assertThrows(IllegalStateException.class, () -> await(kv.get("never/x", QueryOptions.now())));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("timed out after 400ms"), e.getMessage());
            assertTrue(tookMillis >= 350 && tookMillis < 5000, "took " + tookMillis + "ms");
            // the CANCEL frees the server's slot, and the endpoint's stage if the call had reached it
            TestRig.waitFor("the server to cancel the abandoned call", Duration.ofSeconds(5),
                    () -> rig.server.callsInFlight() == 0 && rig.kv.cancelled.get() == rig.kv.neverAnswered.get());
        }
    }

    @Test
    @Timeout(30)
    void aBlockingReadIsAllowedItsWaitPlusJitterPlusMargin() throws Exception {
        try (TestRig rig = new TestRig(RpcServer.Limits.defaults(), TestRig.clientSettings(Duration.ofMillis(100)))) {
            QueryOptions blocking = new QueryOptions(null, 5, Duration.ofMillis(1600), Consistency.DEFAULT);
            assertEquals(Duration.ofMillis(1600 + 100 + 500), rig.client.timeoutFor(blocking));
            assertEquals(Duration.ofMillis(100), rig.client.timeoutFor(QueryOptions.now()));
            // a parked query that never answers ends at wait + wait/16 + margin, not at the call timeout
            CompletableFuture<?> f = new ForwardingKv(rig.client).get("never/blocking", blocking).toCompletableFuture();
            TestRig.assertTimesOut(f, Duration.ofMillis(1500));
            Exception e = assertThrows(IllegalStateException.class, () -> await(f));
            assertTrue(e.getMessage().contains("timed out after 2200ms"), e.getMessage());
        }
    }

    @Test
    @Timeout(60)
    void concurrentCallersShareTheConnection() throws Exception {
        try (TestRig rig = new TestRig()) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            int threads = 16;
            int perThread = 200;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        String key = "conc/" + thread + "/" + i;
                        byte[] value = (thread + ":" + i).getBytes(StandardCharsets.UTF_8);
                        if (await(kv.apply(KvRequest.set(key, value, i)))) {
                            KvEntry e = await(kv.get(key, QueryOptions.now())).value().orElseThrow();
                            if (java.util.Arrays.equals(value, e.value()) && e.flags() == i) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(threads * perThread, total);
            assertEquals(threads * perThread, await(kv.keys("conc/", "", QueryOptions.now())).value().size());
            assertEquals(1, rig.server.connectionCount());
        }
    }
}
