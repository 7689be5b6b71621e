package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.gossip.UserEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps what it hears, with the time it heard it. */
final class Recorder implements MembershipListener {
    record Heard(long atNanos, MemberEvent event) {
    }

    final List<Heard> members = new CopyOnWriteArrayList<>();
    final List<UserEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void memberChanged(String pool, MemberEvent event) {
        threads.add(Thread.currentThread().getName());
        members.add(new Heard(System.nanoTime(), event));
    }

    @Override
    public void userEvent(String pool, UserEvent event) {
        events.add(event);
    }

    long count(MemberEvent.Type type, String node) {
        return members.stream().filter(h -> h.event().type() == type && h.event().member().name().equals(node)).count();
    }

    /** When this listener first heard {@code type} about {@code node}, or -1. */
    long firstNanos(MemberEvent.Type type, String node) {
        return members.stream().filter(h -> h.event().type() == type && h.event().member().name().equals(node))
                .mapToLong(Heard::atNanos).findFirst().orElse(-1);
    }

    long userEvents(String name) {
        return events.stream().filter(e -> e.name().equals(name)).count();
    }
}
