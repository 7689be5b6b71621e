package io.conclave.gossip.internal.serf;

/**
 * serf's {@code MemberEvent} types, one member per event. {@link Type#REAP} is emitted when a
 * failed or left member is erased after its timeout or a prune; Consul removes the node from its
 * catalog on {@code LEAVE} and {@code REAP} but only marks it critical on {@code FAILED}.
 */
public record MemberEvent(Type type, SerfMember member, long atMillis) {

    public enum Type {
        JOIN("member-join"), LEAVE("member-leave"), FAILED("member-failed"), UPDATE("member-update"),
        REAP("member-reap");

        private final String serfName;

        Type(String serfName) {
            this.serfName = serfName;
        }

        /** serf's {@code EventType.String()}. */
        public String serfName() {
            return serfName;
        }
    }
}
