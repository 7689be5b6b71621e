package io.conclave.gossip.internal.serf;

import java.util.Optional;

/**
 * Consul's naming on top of serf user events ({@code agent/consul/internal_endpoint.go},
 * {@code agent/user_event.go}): {@code consul event -name deploy} travels as serf event
 * {@code consul:event:deploy}; other {@code consul:} names ({@code consul:new-leader}) are Consul's
 * own and never reach the user's event list.
 */
public final class ConsulEvents {

    public static final String USER_EVENT_PREFIX = "consul:event:";
    public static final String INTERNAL_PREFIX = "consul:";
    public static final String NEW_LEADER = "consul:new-leader";

    private ConsulEvents() {
    }

    public static String serfName(String userEventName) {
        if (userEventName.isEmpty()) {
            throw new IllegalArgumentException("user event name must not be empty");
        }
        return USER_EVENT_PREFIX + userEventName;
    }

    /** The user's event name if this serf event is a {@code consul event}. */
    public static Optional<String> userEventName(String serfName) {
        return serfName.startsWith(USER_EVENT_PREFIX)
                ? Optional.of(serfName.substring(USER_EVENT_PREFIX.length()))
                : Optional.empty();
    }

    /** Consul-internal events ({@code consul:} but not {@code consul:event:}). */
    public static boolean isInternal(String serfName) {
        return serfName.startsWith(INTERNAL_PREFIX) && !serfName.startsWith(USER_EVENT_PREFIX);
    }
}
