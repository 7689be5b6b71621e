package io.conclave.gossip.internal.serf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * serf's user-event path ({@code UserEvent}, {@code handleUserEvent}): the event Lamport clock,
 * the size limits, the window and the dedupe ring. {@code eventMinTime} is set from a snapshot or
 * from the push-pull on join when {@code ignoreOld} is asked (serf's {@code Join(..., ignoreOld)}),
 * so a node that joins does not replay the cluster's old events.
 */
public final class UserEvents {

    private final SerfConfig config;
    private final LamportClock clock = new LamportClock();
    private final EventBuffer buffer;
    private final List<UserEvent> delivered = new ArrayList<>();
    private long minTime;

    public UserEvents(SerfConfig config) {
        this.config = config;
        this.buffer = new EventBuffer(config.eventBuffer());
    }

    public LamportClock clock() {
        return clock;
    }

    public EventBuffer buffer() {
        return buffer;
    }

    public void setMinTime(long ltime) {
        this.minTime = ltime;
    }

    /** Raises {@code eventMinTime} to {@code ltime} if that is later (a join ignoring old events). */
    public void raiseMinTime(long ltime) {
        if (Long.compareUnsigned(ltime, minTime) > 0) {
            minTime = ltime;
        }
    }

    /**
     * serf {@code UserEvent}: stamps an event with the current event time, then increments the clock
     * and processes it locally. The runtime broadcasts the returned event. The encoded size
     * check is the runtime's (it owns the codec); the pre-encoding check is here.
     */
    public UserEvent create(String name, byte[] payload, boolean coalesce) {
        int size = name.getBytes(StandardCharsets.UTF_8).length + (payload == null ? 0 : payload.length);
        if (size > config.userEventSizeLimit()) {
            throw new IllegalArgumentException(
                    "user event exceeds configured limit of " + config.userEventSizeLimit() + " bytes before encoding");
        }
        if (size > SerfConfig.USER_EVENT_SANE_LIMIT) {
            throw new IllegalArgumentException(
                    "user event exceeds sane limit of " + SerfConfig.USER_EVENT_SANE_LIMIT + " bytes before encoding");
        }
        UserEvent event = new UserEvent(clock.time(), name, payload, coalesce);
        clock.increment();
        receive(event);
        return event;
    }

    /** serf {@code handleUserEvent}: true if the event is new (deliver and rebroadcast). */
    public boolean receive(UserEvent event) {
        clock.witness(event.ltime());
        if (Long.compareUnsigned(event.ltime(), minTime) < 0) {
            return false;
        }
        long cur = clock.time();
        long window = buffer.size();
        if (Long.compareUnsigned(cur, window) > 0 && Long.compareUnsigned(event.ltime(), cur - window) < 0) {
            return false;
        }
        if (!buffer.add(event)) {
            return false;
        }
        delivered.add(event);
        return true;
    }

    public List<UserEvent> drainDelivered() {
        List<UserEvent> out = List.copyOf(delivered);
        delivered.clear();
        return out;
    }
}
