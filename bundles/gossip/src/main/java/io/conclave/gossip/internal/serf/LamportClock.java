package io.conclave.gossip.internal.serf;

/**
 * serf's {@code LamportClock} ({@code lamport.go}). Serf orders everything that has no incarnation
 * number (join/leave intents, user events, queries) by Lamport time, keeping three independent
 * clocks: membership, event and query. They start at 0 in memory; serf increments the membership
 * clock once at start-up so the first join intent carries 1. Receiving a time {@code t}
 * <em>witnesses</em> it: the clock becomes at least {@code t + 1}, so anything this node sends
 * afterwards is ordered after what it has seen. Not thread-safe: the serf core is single-threaded.
 * Times are Go {@code uint64}s; values here are compared unsigned.
 */
public final class LamportClock {
    private long counter;

    public LamportClock() {
        this(0);
    }

    public LamportClock(long start) {
        this.counter = start;
    }

    /** The current time. */
    public long time() {
        return counter;
    }

    /** Advances the clock and returns the new time. */
    public long increment() {
        return ++counter;
    }

    /** Updates the clock after seeing {@code other}: afterwards {@code time() > other}, unless already ahead. */
    public void witness(long other) {
        if (Long.compareUnsigned(other, counter) < 0) {
            return;
        }
        counter = other + 1;
    }
}
