package io.conclave.agent.internal;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.UnaryOperator;

/** A virtual clock: tasks run only when a test advances time, in due order, on the test's thread. */
final class FakeScheduler implements Scheduler {

    private static final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long seq;
    /** The stagger for a bound; zero unless a test says otherwise. */
    volatile UnaryOperator<Duration> stagger = bound -> Duration.ZERO;

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Duration stagger(Duration bound) {
        return bound.isZero() ? Duration.ZERO : stagger.apply(bound);
    }

    /** Moves the clock forward, running every task that falls due on the way (and those they schedule). */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            }
            if (!next.cancelled) {
                next.run.run();
            }
        }
    }

    /** Runs what is due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    synchronized long now() {
        return now;
    }
}
