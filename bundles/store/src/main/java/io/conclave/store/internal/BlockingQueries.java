package io.conclave.store.internal;

import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one blocking-query helper (Consul's {@code blockingQuery}). Its rules:
 * <ol>
 *   <li>The query function reads only through the {@link StoreView} it is given; the view records
 *       every key and prefix read, and those are what is watched.</li>
 *   <li>If {@code minIndex} is 0, or the result's index is above {@code minIndex}, the stage completes
 *       at once, on the caller's thread.</li>
 *   <li>Otherwise the query parks without holding a thread: a one-shot watcher on what it read and a
 *       timer on the shared scheduler. When a watched row changes (a write, a delete, a restore) the
 *       query re-runs on a fresh view, on the query executor, and completes as soon as the index is
 *       above {@code minIndex}; otherwise it parks again on what it read this time.</li>
 *   <li>When {@code maxWait} elapses it runs the query once more and completes with that result,
 *       changed or not.</li>
 *   <li>A query that throws completes the stage exceptionally; it is never retried.</li>
 *   <li>Cancelling the stage ({@code toCompletableFuture().cancel(..)}, e.g. when the HTTP client hung
 *       up) abandons the query: its watcher and timer are released at once, not when its wait ends.</li>
 * </ol>
 *
 * <p>Threads: the applier only hands woken queries to the query executor; query functions and the
 * stage's completion (so any non-async dependent callbacks) run on the caller's thread for an
 * immediate answer, else on a query-executor thread. Callbacks that block or do heavy work should use
 * the {@code *Async} variants. On {@link #close} every parked query fails with an
 * {@link IllegalStateException}.
 */
final class BlockingQueries {

    private final Supplier<StoreRoot> roots;
    private final WatchRegistry registry;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor timers;
    private final Set<Query<?>> parked = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BlockingQueries(Supplier<StoreRoot> roots, WatchRegistry registry, int threads) {
        this.roots = roots;
        this.registry = registry;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon("conclave-store-query-"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemon("conclave-store-timer-"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    <T> CompletionStage<Indexed<T>> query(long minIndex, Duration maxWait, Function<StoreView, Indexed<T>> fn) {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(fn, "query");
        if (minIndex < 0) {
            throw new IllegalArgumentException("minIndex must not be negative: " + minIndex);
        }
        if (closed) {
            return CompletableFuture.failedFuture(stopped());
        }
        Query<T> q = new Query<>(minIndex, maxWait, fn);
        q.future.whenComplete((result, error) -> {
            if (q.future.isCancelled()) {
                q.abandon();
            }
        });
        q.attempt();
        return q.future;
    }

    int parkedCount() {
        return parked.size();
    }

    /** Called by the applier with the watchers a commit woke: only hands them to the executor. */
    void wake(List<WatchRegistry.Watcher> fired) {
        for (WatchRegistry.Watcher w : fired) {
            submit(w.onChange);
        }
    }

    void close() {
        closed = true;
        for (Query<?> q : parked) {
            q.fail(stopped());
        }
        timers.shutdownNow();
        executor.shutdownNow();
    }

    private static IllegalStateException stopped() {
        return new IllegalStateException("the state store was stopped (its bundle is stopping or being updated)");
    }

    private void submit(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            // Only after close(), which has already failed every parked query.
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One blocking query from its first run to its completion. At most one thread runs it at a time;
     * a wake or timeout that arrives meanwhile only asks that thread to run it once more, so a slow
     * query never ties up more than one executor thread.
     */
    private final class Query<T> {
        final CompletableFuture<Indexed<T>> future = new CompletableFuture<>();
        private final long minIndex;
        private final Function<StoreView, Indexed<T>> fn;
        private final long deadline;
        private final boolean noWait;
        // guarded by this
        private boolean done;
        private boolean running;
        private boolean again;
        private boolean isParked;
        private WatchRegistry.Watcher watcher;
        private ScheduledFuture<?> timer;
        private volatile boolean timedOut;

        Query(long minIndex, Duration maxWait, Function<StoreView, Indexed<T>> fn) {
            this.minIndex = minIndex;
            this.fn = fn;
            this.noWait = maxWait.isNegative() || maxWait.isZero();
            this.deadline = System.nanoTime() + (noWait ? 0 : saturatedNanos(maxWait));
        }

        void attempt() {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (running) {
                    again = true;
                    return;
                }
                running = true;
            }
            for (;;) {
                WatchRegistry.Watcher old;
                synchronized (this) {
                    old = watcher;
                    watcher = null;
                    again = false;
                }
                if (old != null) {
                    registry.cancel(old);
                }
                StoreRoot root = roots.get();
                View view = new View(root, new WatchSet());
                Indexed<T> result = null;
                Throwable error = null;
                try {
                    result = fn.apply(view);
                    if (result == null) {
                        throw new NullPointerException("blocking query function returned null");
                    }
                } catch (Throwable t) {
                    error = t;
                }
                boolean finish;
                synchronized (this) {
                    if (done) { // failed by close() while running
                        running = false;
                        return;
                    }
                    finish = error != null || minIndex == 0 || result.index() > minIndex
                            || timedOut || noWait || closed;
                    if (!finish && !isParked) {
                        finish = !park();
                    }
                    if (finish) {
                        done = true;
                        running = false;
                        cleanup();
                    } else {
                        WatchRegistry.Watcher w = registry.register(view.watches(), root.generation, this::attempt);
                        if (w != null && !again) {
                            watcher = w;
                            running = false;
                            return;
                        }
                        if (w != null) {
                            registry.cancel(w);
                        }
                        // Something read changed since the read, or a wake came in meanwhile: run again here.
                    }
                }
                if (finish) {
                    if (error != null) {
                        future.completeExceptionally(error);
                    } else {
                        future.complete(result);
                    }
                    return;
                }
            }
        }

        /** Under this: counts the query as parked and arms its timer; false when it must finish now. */
        private boolean park() {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            isParked = true;
            parked.add(this);
            if (closed) {
                return false; // close() may already have walked the parked set
            }
            try {
                timer = timers.schedule(this::onTimeout, remaining, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return false; // closing
            }
            return true;
        }

        private void onTimeout() {
            timedOut = true;
            submit(this::attempt);
        }

        /** The caller cancelled the stage: release what the query holds; nothing completes it again. */
        void abandon() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                cleanup();
            }
        }

        void fail(Throwable t) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                cleanup();
            }
            future.completeExceptionally(t);
        }

        /** Under this; before completion, so a caller that sees the stage complete sees the count drop. */
        private void cleanup() {
            if (watcher != null) {
                registry.cancel(watcher);
                watcher = null;
            }
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            if (isParked) {
                parked.remove(this);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
