package io.conclave.rpc.internal;

import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory KV endpoint with honest blocking reads: a read whose index is not above {@code minIndex}
 * parks (no thread) until a write raises the index or its wait ends; cancelling it unparks it. Keys under
 * {@code boom/} fail with the exception their name says; keys under {@code never/} never answer.
 */
final class FakeKv implements KvEndpoint {

    private final Map<String, KvEntry> data = new ConcurrentSkipListMap<>();
    private final Set<Runnable> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-kv-timer");
        t.setDaemon(true);
        return t;
    });
    private long index = 10;

    final AtomicInteger parked = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger neverAnswered = new AtomicInteger();
    volatile QueryOptions lastOptions;
    volatile KvRequest lastApplied;

    static RuntimeException failureFor(String key) {
        return switch (key) {
            case "boom/illegal-argument" -> new IllegalArgumentException("Missing key name");
            case "boom/not-found" -> new NoSuchElementException("no such thing");
            case "boom/not-leader" -> new NotLeaderException();
            case "boom/no-datacenter" -> new DatacenterNotFoundException("dc9");
            case "boom/unsupported" -> new UnsupportedOperationException("not here");
            case "boom/illegal-state" -> new IllegalStateException("stopped");
            case "boom/other" -> new ArithmeticException("kaput");
            default -> null;
        };
    }

    synchronized long index() {
        return index;
    }

    private <T> CompletionStage<QueryResult<T>> read(String key, QueryOptions options, Supplier<T> query) {
        lastOptions = options;
        if (key.equals("boom/thrown")) {
            throw new IllegalArgumentException("thrown, not returned");
        }
        RuntimeException failure = failureFor(key);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<QueryResult<T>> answer = new CompletableFuture<>();
        if (key.startsWith("never/")) {
            neverAnswered.incrementAndGet();
            answer.whenComplete((r, e) -> {
                if (answer.isCancelled()) {
                    cancelled.incrementAndGet();
                }
            });
            return answer;
        }
        long minIndex = options.minIndex();
        Runnable tryAnswer = () -> {
            synchronized (this) {
                if (minIndex == 0 || index > minIndex) {
                    answer.complete(new QueryResult<>(query.get(), new QueryMeta(index, true, 7)));
                }
            }
        };
        tryAnswer.run();
        if (answer.isDone()) {
            return answer;
        }
        parked.incrementAndGet();
        waiters.add(tryAnswer);
        ScheduledFuture<?> expiry = timer.schedule(() -> {
            synchronized (this) {
                answer.complete(new QueryResult<>(query.get(), new QueryMeta(index, true, 7)));
            }
        }, options.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((r, e) -> {
            waiters.remove(tryAnswer);
            parked.decrementAndGet();
            expiry.cancel(false);
            if (answer.isCancelled()) {
                cancelled.incrementAndGet();
            }
        });
        tryAnswer.run(); // a write between the first try and parking
        return answer;
    }

    @Override
    public CompletionStage<QueryResult<Optional<KvEntry>>> get(String key, QueryOptions options) {
        return read(key, options, () -> Optional.ofNullable(data.get(key)));
    }

    @Override
    public CompletionStage<QueryResult<List<KvEntry>>> list(String prefix, QueryOptions options) {
        return read(prefix, options, () -> data.values().stream().filter(e -> e.key().startsWith(prefix)).toList());
    }

    @Override
    public CompletionStage<QueryResult<List<String>>> keys(String prefix, String separator, QueryOptions options) {
        return read(prefix, options, () -> {
            Set<String> keys = new TreeSet<>();
            for (String k : data.keySet()) {
                if (!k.startsWith(prefix)) {
                    continue;
                }
                int cut = separator == null || separator.isEmpty() ? -1 : k.indexOf(separator, prefix.length());
                keys.add(cut < 0 ? k : k.substring(0, cut + separator.length()));
            }
            return new ArrayList<>(keys);
        });
    }

    @Override
    public CompletionStage<Boolean> apply(KvRequest request) {
        lastApplied = request;
        RuntimeException failure = failureFor(request.key());
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        boolean done;
        synchronized (this) {
            KvEntry existing = data.get(request.key());
            long next = index + 1;
            done = switch (request.op()) {
                case SET -> {
                    data.put(request.key(), entry(request, existing, next));
                    yield true;
                }
                case CAS -> {
                    long current = existing == null ? 0 : existing.modifyIndex();
                    if (current != request.index()) {
                        yield false;
                    }
                    data.put(request.key(), entry(request, existing, next));
                    yield true;
                }
                case DELETE -> {
                    data.remove(request.key());
                    yield true;
                }
                case DELETE_TREE -> {
                    data.keySet().removeIf(k -> k.startsWith(request.key()));
                    yield true;
                }
                default -> throw new IllegalArgumentException("fake does not do " + request.op());
            };
            if (done) {
                index = next;
            }
        }
        if (done) {
            for (Runnable w : List.copyOf(waiters)) {
                w.run();
            }
        }
        return CompletableFuture.completedFuture(done);
    }

    private static KvEntry entry(KvRequest r, KvEntry existing, long index) {
        return new KvEntry(r.key(), existing == null ? index : existing.createIndex(), index, 0, r.flags(), r.value(),
                r.op() == KvOp.LOCK ? r.session() : null);
    }

    void close() {
        timer.shutdownNow();
    }
}
