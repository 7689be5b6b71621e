package io.conclave.api.gossip;

import io.conclave.api.agent.Member;

/** A change in a pool's member list, as Serf reports it; {@code member} is the member after the change. */
public record MemberEvent(Type type, Member member) {

    public enum Type {
        /** A new member, or a failed or left one that came back. */
        JOIN,
        /** The member left gracefully. */
        LEAVE,
        /** The member stopped answering probes. */
        FAILED,
        /** The member's tags or address changed. */
        UPDATE,
        /** A failed or left member was forgotten after its timeout, or force-left with prune. */
        REAP
    }
}
