package io.conclave.gossip.internal.swim;

/** A change in this node's view of the cluster, with the virtual time it happened. */
public record MembershipEvent(Type type, String node, long incarnation, long atMillis) {

    public enum Type {
        /** A member became known, or came back after being dead or left. */
        JOINED,
        /** A member is suspected (memberlist StateSuspect); serf still shows it alive. */
        SUSPECTED,
        /** A suspected member was proved alive again by a newer incarnation. */
        ALIVE_AGAIN,
        /** This node refuted an accusation about itself by raising its incarnation. */
        REFUTED,
        /** A member was declared dead (memberlist StateDead; serf "failed"). */
        FAILED,
        /** A member left gracefully (dead message whose From is the node itself). */
        LEFT,
        /** A live member's address, meta (serf tags) or versions changed (memberlist NotifyUpdate). */
        UPDATED
    }
}
