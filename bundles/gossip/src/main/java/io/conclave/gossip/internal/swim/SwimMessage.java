package io.conclave.gossip.internal.swim;

import java.util.List;

/**
 * The SWIM core's own messages, one record per memberlist message type (GOSSIP-WIRE.md §3). They
 * carry only what the protocol logic needs; a runtime maps them to and from the wire codec, where
 * names become addresses and a {@link Compound} becomes memberlist's compound packet.
 */
public sealed interface SwimMessage {

    /** Rough encoded size, used to fill a packet with piggy-backed broadcasts like memberlist. */
    int estimatedSize();

    /** memberlist ping (type 0): {@code node} is the intended target; a ping for another name is dropped. */
    record Ping(int seqNo, String node, String sourceNode) implements SwimMessage {
        public int estimatedSize() { return 30 + node.length() + sourceNode.length(); }
    }

    /** memberlist indirect-ping (type 1): ask the receiver to ping {@code target} on our behalf. */
    record IndirectPing(int seqNo, String target, boolean nack, String sourceNode) implements SwimMessage {
        public int estimatedSize() { return 40 + target.length() + sourceNode.length(); }
    }

    /** memberlist ack (type 2). */
    record Ack(int seqNo) implements SwimMessage {
        public int estimatedSize() { return 20; }
    }

    /** memberlist nack (type 11): an indirect prober could not reach the target in time. */
    record Nack(int seqNo) implements SwimMessage {
        public int estimatedSize() { return 12; }
    }

    /** memberlist suspect (type 3). */
    record Suspect(long incarnation, String node, String from) implements SwimMessage {
        public int estimatedSize() { return 30 + node.length() + from.length(); }
    }

    /**
     * memberlist alive (type 4). {@code info} (address, meta, versions) is carried, never read, by the
     * core; it is null in simulations that have no addresses.
     */
    record Alive(long incarnation, String node, NodeInfo info) implements SwimMessage {
        public Alive(long incarnation, String node) {
            this(incarnation, node, null);
        }

        public int estimatedSize() {
            return 40 + node.length() + (info == null ? 0 : info.meta().length + info.addr().length + 8);
        }
    }

    /** memberlist dead (type 5); {@code from == node} means a graceful leave. */
    record Dead(long incarnation, String node, String from) implements SwimMessage {
        public int estimatedSize() { return 30 + node.length() + from.length(); }
    }

    /** One entry of a push-pull exchange (memberlist pushNodeState); {@code info} as in {@link Alive}. */
    record NodeEntry(String name, long incarnation, MemberState state, NodeInfo info) {
        public NodeEntry(String name, long incarnation, MemberState state) {
            this(name, incarnation, state, null);
        }
    }

    /**
     * memberlist push-pull (type 6), a stream request and its reply. A request is answered with the
     * receiver's full state ({@code reply = true}); a reply is only merged.
     */
    record PushPull(List<NodeEntry> nodes, boolean join, boolean reply) implements SwimMessage {
        public PushPull {
            nodes = List.copyOf(nodes);
        }

        public int estimatedSize() {
            return 20 + nodes.stream().mapToInt(e -> 30 + e.name().length()).sum();
        }
    }

    /**
     * memberlist user message (type 8): a delegate's (serf's) broadcast piggy-backed on our packets. The
     * core never produces or reads these; it only packs what a {@link UserBroadcasts} hands it.
     */
    record User(byte[] payload) implements SwimMessage {
        public int estimatedSize() { return 1 + payload.length; }
    }

    /** memberlist compound (type 7): several messages in one packet. */
    record Compound(List<SwimMessage> parts) implements SwimMessage {
        public Compound {
            parts = List.copyOf(parts);
        }

        public int estimatedSize() {
            return 2 + parts.stream().mapToInt(p -> 2 + p.estimatedSize()).sum();
        }
    }
}
