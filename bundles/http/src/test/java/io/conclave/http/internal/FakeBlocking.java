package io.conclave.http.internal;

import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import io.conclave.api.state.Indexed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The blocking-query behaviour the fake endpoints share, honest about what HTTP depends on: a read
 * answers at once when its index is above {@code minIndex}, else parks without a thread until
 * {@link #wake} finds it changed or its wait ends; cancelling the answer unparks it. All state is
 * guarded by the owning fake's monitor, so its writes and these reads see one another in order.
 */
final class FakeBlocking {

    private record Waiter(long minIndex, Supplier<Indexed<?>> query, CompletableFuture<Indexed<?>> done) {
    }

    private final Object lock;
    private final List<Waiter> parked = new ArrayList<>();
    private final ScheduledExecutorService timer;

    FakeBlocking(Object lock, String name) {
        this.lock = lock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-timer");
            t.setDaemon(true);
            return t;
        });
    }

    @SuppressWarnings("unchecked")
    <T> CompletionStage<QueryResult<T>> read(QueryOptions options, Supplier<Indexed<T>> query) {
        CompletableFuture<Indexed<?>> done = new CompletableFuture<>();
        synchronized (lock) {
            Indexed<T> now = query.get();
            if (options.minIndex() == 0 || now.index() > options.minIndex()) {
                done.complete(now);
            } else {
                Waiter w = new Waiter(options.minIndex(), (Supplier<Indexed<?>>) (Supplier<?>) query, done);
                parked.add(w);
                timer.schedule(() -> expire(w), options.maxWait().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        CompletableFuture<QueryResult<T>> answer =
                done.thenApply(i -> new QueryResult<>((T) i.value(), new QueryMeta(i.index(), true, 0)));
        answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) {
                synchronized (lock) {
                    parked.removeIf(w -> w.done() == done);
                }
            }
        });
        return answer;
    }

    /** Called by the owner after a write, holding its monitor. */
    void wake() {
        synchronized (lock) {
            for (Iterator<Waiter> it = parked.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                Indexed<?> now = w.query().get();
                if (now.index() > w.minIndex()) {
                    it.remove();
                    w.done().complete(now);
                }
            }
        }
    }

    int parked() {
        synchronized (lock) {
            return parked.size();
        }
    }

    private void expire(Waiter w) {
        synchronized (lock) {
            if (parked.remove(w)) {
                w.done().complete(w.query().get());
            }
        }
    }

    void close() {
        timer.shutdownNow();
    }
}
