package io.conclave.api.gossip;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: every service of this type hears each pool's member changes and user events, on the
 * pool's event thread, in order. Listeners must not block; a listener that throws is logged and kept.
 * A new listener hears only what happens after it arrives (use {@link Membership#members()} to catch up).
 */
@ConsumerType
public interface MembershipListener {

    /** @param pool {@link Membership#LAN} or {@link Membership#WAN} */
    default void memberChanged(String pool, MemberEvent event) {
    }

    /**
     * A user event, delivered once per event (Serf's de-duplication by Lamport time and name). A Serf event
     * not in Consul's {@code consul:event:} form arrives with its Serf name, its payload as is, and an empty ID.
     */
    default void userEvent(String pool, UserEvent event) {
    }
}
