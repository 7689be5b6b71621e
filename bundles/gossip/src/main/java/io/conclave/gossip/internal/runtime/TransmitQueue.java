package io.conclave.gossip.internal.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * serf's broadcast queues (memberlist {@code TransmitLimitedQueue} holding serf messages, which never
 * invalidate each other): each message is piggy-backed {@code retransmitMult * ceil(log10(n + 1))}
 * times, least-sent first and newest first among equals, then dropped and its {@code onFinished}
 * run (serf's notify channel, which leave and force-leave wait on). The depth is capped as serf's
 * {@code MaxQueueDepth} does, dropping the oldest. Used only on the pool's thread.
 */
final class TransmitQueue {

    private static final class Entry {
        final byte[] message;
        final long id;
        final Runnable onFinished;
        int transmits;

        Entry(byte[] message, long id, Runnable onFinished) {
            this.message = message;
            this.id = id;
            this.onFinished = onFinished;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final int retransmitMult;
    private final IntSupplier numNodes;
    private final int maxDepth;
    private long nextId;

    TransmitQueue(int retransmitMult, IntSupplier numNodes, int maxDepth) {
        this.retransmitMult = retransmitMult;
        this.numNodes = numNodes;
        this.maxDepth = maxDepth;
    }

    void add(byte[] message, Runnable onFinished) {
        entries.add(new Entry(message.clone(), nextId++, onFinished));
        while (entries.size() > maxDepth) {
            finish(entries.remove(0));
        }
    }

    int size() {
        return entries.size();
    }

    /** Messages fitting in {@code limit} bytes, each costing its length plus {@code overhead}. */
    List<byte[]> take(int overhead, int limit) {
        if (entries.isEmpty() || limit <= overhead) {
            return List.of();
        }
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.<Entry>comparingInt(e -> e.transmits).thenComparingLong(e -> -e.id));
        int transmitLimit = retransmitMult * (int) Math.ceil(Math.log10(numNodes.getAsInt() + 1));
        List<byte[]> out = new ArrayList<>();
        int used = 0;
        for (Entry e : ordered) {
            int cost = e.message.length + overhead;
            if (used + cost > limit) {
                continue;
            }
            used += cost;
            out.add(e.message);
            if (++e.transmits >= transmitLimit) {
                entries.remove(e);
                finish(e);
            }
        }
        return out;
    }

    private static void finish(Entry e) {
        if (e.onFinished != null) {
            e.onFinished.run();
        }
    }
}
