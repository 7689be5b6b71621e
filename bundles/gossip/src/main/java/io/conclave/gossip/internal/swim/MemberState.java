package io.conclave.gossip.internal.swim;

/** memberlist's node states, in push-pull wire order (0 alive, 1 suspect, 2 dead, 3 left). */
public enum MemberState {
    ALIVE, SUSPECT, DEAD, LEFT;

    boolean deadOrLeft() {
        return this == DEAD || this == LEFT;
    }
}
