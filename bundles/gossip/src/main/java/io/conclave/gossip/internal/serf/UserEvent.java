package io.conclave.gossip.internal.serf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A serf user event ({@code messageUserEvent}: LTime, Name, Payload, CC). Ordered by the event
 * Lamport clock and deduplicated on (LTime, Name, Payload) — the coalesce flag is not part of the
 * identity, as in serf's {@code userEvent.Equals}. Consul's {@code consul event} rides on these
 * (see {@link ConsulEvents}).
 */
public record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) {

    public UserEvent {
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** serf {@code userEvent.Equals}: same name and payload (the LTime is the buffer slot's). */
    boolean sameAs(UserEvent other) {
        return name.equals(other.name) && Arrays.equals(payload, other.payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserEvent e && e.ltime == ltime && e.coalesce == coalesce && sameAs(e);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ltime, name, Arrays.hashCode(payload), coalesce);
    }

    @Override
    public String toString() {
        return "UserEvent[" + ltime + ", " + name + ", " + payload.length + " bytes" + (coalesce ? ", cc" : "") + "]";
    }
}
