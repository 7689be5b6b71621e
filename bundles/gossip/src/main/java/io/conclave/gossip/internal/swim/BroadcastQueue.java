package io.conclave.gossip.internal.swim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * memberlist's {@code TransmitLimitedQueue} ({@code queue.go}): the membership updates waiting to
 * be piggy-backed on probes and gossip.
 *
 * <p>Why it exists: SWIM disseminates state changes epidemically instead of by multicast. Each
 * update is sent {@code retransmitMult * ceil(log10(n + 1))} times, which is enough for it to reach
 * every member with high probability while keeping packets small. Updates least transmitted go
 * first (newest first among equals), and a newer update about a node replaces any queued update
 * about the same node so stale news is never spread.
 */
final class BroadcastQueue {
    private record Entry(String node, SwimMessage message, long id, int[] transmits) {
    }

    private final Map<String, Entry> byNode = new HashMap<>();
    private final int retransmitMult;
    private final IntSupplier numNodes;
    private long nextId;

    BroadcastQueue(int retransmitMult, IntSupplier numNodes) {
        this.retransmitMult = retransmitMult;
        this.numNodes = numNodes;
    }

    /** Queues an update about {@code node}, invalidating any older one about the same node. */
    void queue(String node, SwimMessage message) {
        byNode.put(node, new Entry(node, message, nextId++, new int[1]));
    }

    int size() {
        return byNode.size();
    }

    boolean contains(String node) {
        return byNode.containsKey(node);
    }

    int retransmitLimit() {
        return retransmitMult * (int) Math.ceil(Math.log10(numNodes.getAsInt() + 1));
    }

    /**
     * Takes as many updates as fit in {@code budgetBytes} (each costing its size plus
     * {@code overhead}), counting one transmission for each and dropping those at the limit.
     */
    List<SwimMessage> take(int overhead, int budgetBytes) {
        if (byNode.isEmpty()) {
            return List.of();
        }
        List<Entry> ordered = new ArrayList<>(byNode.values());
        ordered.sort(Comparator.<Entry>comparingInt(e -> e.transmits[0]).thenComparing(e -> -e.id));
        int limit = retransmitLimit();
        List<SwimMessage> out = new ArrayList<>();
        int used = 0;
        for (Entry e : ordered) {
            int cost = e.message.estimatedSize() + overhead;
            if (used + cost > budgetBytes) {
                continue;
            }
            used += cost;
            out.add(e.message);
            if (++e.transmits[0] >= limit) {
                byNode.remove(e.node);
            }
        }
        return out;
    }
}
