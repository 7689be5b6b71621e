package io.conclave.gossip.internal.serf;

import java.util.ArrayList;
import java.util.List;

/**
 * serf's {@code eventBuffer}: a ring of {@code EventBuffer} slots (512) indexed by
 * {@code LTime % size}, each holding the events seen at one LTime. Gossip delivers every event
 * many times (rebroadcast plus push-pull replay), so this is what makes delivery at-most-once per
 * node; its size is also the window, since an event older than {@code clock − size} can no longer
 * be checked and is dropped. A slot whose LTime differs is overwritten. The push-pull message
 * sends the whole ring, nil slots included.
 */
public final class EventBuffer {

    /** One slot: serf {@code userEvents}. */
    public record Slot(long ltime, List<UserEvent> events) {}

    private final Slot[] slots;

    public EventBuffer(int size) {
        this.slots = new Slot[size];
    }

    public int size() {
        return slots.length;
    }

    /** Adds the event unless an equal one (name, payload) is already in its LTime's slot; true if added. */
    public boolean add(UserEvent event) {
        int idx = (int) Long.remainderUnsigned(event.ltime(), slots.length);
        Slot seen = slots[idx];
        if (seen != null && seen.ltime() == event.ltime()) {
            for (UserEvent prev : seen.events()) {
                if (prev.sameAs(event)) {
                    return false;
                }
            }
        } else {
            seen = new Slot(event.ltime(), new ArrayList<>());
            slots[idx] = seen;
        }
        seen.events().add(event);
        return true;
    }

    /** The ring in slot order, {@code null} for empty slots (the push-pull {@code Events} array). */
    public List<Slot> slots() {
        List<Slot> out = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            out.add(s == null ? null : new Slot(s.ltime(), List.copyOf(s.events())));
        }
        return out;
    }
}
