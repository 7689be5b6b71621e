package io.conclave.agent.internal;

import java.time.Duration;

/**
 * Time, timers and randomness for the agent's local state, injected so tests can run the check
 * scheduler, TTLs, anti-entropy and the reaper on a virtual clock without sleeping.
 */
interface Scheduler {

    /** A scheduled task that may still be cancelled; cancelling a task that ran or was cancelled does nothing. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} soon, on a scheduler thread (never on the caller's). */
    default void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** A monotonic clock, in nanoseconds. */
    long nanoTime();

    /** Consul's {@code lib.RandomStagger}: a uniformly random duration in {@code [0, bound)}; zero when bound is zero. */
    Duration stagger(Duration bound);
}
