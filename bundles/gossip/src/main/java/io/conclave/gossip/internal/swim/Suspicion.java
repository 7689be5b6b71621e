package io.conclave.gossip.internal.swim;

import java.util.HashSet;
import java.util.Set;

/**
 * The suspicion timer of one suspected member, with Lifeguard's independent confirmations
 * (memberlist {@code suspicion.go}).
 *
 * <p>Why it exists: a single accuser may be the unhealthy party. The timer therefore starts long
 * ({@code max}) and only shrinks toward {@code min} as <em>other</em> members independently report
 * the same suspicion: after {@code c} of the {@code k} expected confirmations the timeout is
 * {@code max - log(c+1)/log(k+1) * (max - min)}, floored to milliseconds and never below min. With
 * {@code k < 1} (tiny clusters) it starts at {@code min}. It is pure: it only computes a deadline
 * from the start time; the node compares that with the clock it is given.
 */
final class Suspicion {
    private final int k;
    private final long minMillis;
    private final long maxMillis;
    private final long startMillis;
    private final Set<String> confirmations = new HashSet<>();
    private int n;
    private long deadlineMillis;

    Suspicion(String from, int k, long minMillis, long maxMillis, long nowMillis) {
        this.k = k;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.startMillis = nowMillis;
        confirmations.add(from);
        deadlineMillis = nowMillis + (k < 1 ? minMillis : maxMillis);
    }

    /** memberlist {@code remainingSuspicionTime} without the elapsed part: the timeout from start. */
    static long timeoutMillis(int n, int k, long minMillis, long maxMillis) {
        double frac = Math.log(n + 1.0) / Math.log(k + 1.0);
        double raw = maxMillis / 1000.0 - frac * (maxMillis / 1000.0 - minMillis / 1000.0);
        long timeout = (long) Math.floor(1000.0 * raw);
        return Math.max(timeout, minMillis);
    }

    /**
     * Records a confirmation from a distinct member. Returns true when it was new and counted
     * (the caller then re-gossips the suspect message), false for duplicates or once k is reached.
     */
    boolean confirm(String from) {
        if (n >= k || !confirmations.add(from)) {
            return false;
        }
        n++;
        deadlineMillis = startMillis + timeoutMillis(n, k, minMillis, maxMillis);
        return true;
    }

    long deadlineMillis() {
        return deadlineMillis;
    }

    int confirmations() {
        return n;
    }

    long startMillis() {
        return startMillis;
    }
}
