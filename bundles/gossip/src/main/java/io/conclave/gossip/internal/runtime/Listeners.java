package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.gossip.UserEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link MembershipListener} whiteboard as one listener: each is called in turn; one that throws is logged. */
public final class Listeners implements MembershipListener {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final CopyOnWriteArrayList<MembershipListener> listeners = new CopyOnWriteArrayList<>();

    public void add(MembershipListener l) {
        listeners.addIfAbsent(l);
    }

    public void remove(MembershipListener l) {
        listeners.remove(l);
    }

    @Override
    public void memberChanged(String pool, MemberEvent event) {
        for (MembershipListener l : listeners) {
            try {
                l.memberChanged(pool, event);
            } catch (RuntimeException e) {
                LOG.error("gossip: membership listener {} failed on {} {}", l, event.type(), event.member().name(), e);
            }
        }
    }

    @Override
    public void userEvent(String pool, UserEvent event) {
        for (MembershipListener l : listeners) {
            try {
                l.userEvent(pool, event);
            } catch (RuntimeException e) {
                LOG.error("gossip: membership listener {} failed on user event {}", l, event.name(), e);
            }
        }
    }
}
