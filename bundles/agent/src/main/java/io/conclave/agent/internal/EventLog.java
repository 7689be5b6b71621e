package io.conclave.agent.internal;

import io.conclave.api.catalog.NodeService;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user events this agent received, as Consul's agent keeps them ({@code agent/user_event.go}): events are
 * filtered on arrival ({@code shouldProcessUserEvent}: node filter against this node's name, service filter
 * against the local services, tag filter against that service's tags), the last {@value #CAPACITY} kept, and
 * {@code /v1/event/list} readers parked until the list changes ({@code agent/event_endpoint.go}).
 *
 * <p>Consul's event index is not monotonic: it is derived from the newest event's random ID, so a read blocks
 * only while the index <em>equals</em> the one asked for. Parked reads hold no thread: a future and a timer each.
 */
final class EventLog {

    private static final Logger LOG = LoggerFactory.getLogger("agent");

    /** Consul's {@code eventBuf} size. */
    static final int CAPACITY = 256;
    /** Consul's {@code userEventMaxVersion}. */
    static final int MAX_VERSION = UserEvent.VERSION;
    /** Consul's {@code remoteExecName}: remote exec, which Conclave (like Consul by default) does not run. */
    static final String REMOTE_EXEC = "_rexec";

    private static final class Waiter {
        final String name;
        final long minIndex;
        final CompletableFuture<QueryResult<List<UserEvent>>> done = new CompletableFuture<>();
        Scheduler.Cancellable timer;

        Waiter(String name, long minIndex) {
            this.name = name;
            this.minIndex = minIndex;
        }
    }

    private final Scheduler scheduler;
    private final ArrayDeque<UserEvent> events = new ArrayDeque<>(CAPACITY);
    private final List<Waiter> parked = new ArrayList<>();
    private boolean closed;

    EventLog(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Keeps {@code event} if it passes this agent's filters, and wakes the reads it changes.
     *
     * @return whether it was kept
     */
    boolean ingest(UserEvent event, String nodeName, Collection<NodeService> services) {
        if (!shouldProcess(event, nodeName, services)) {
            return false;
        }
        if (REMOTE_EXEC.equals(event.name())) {
            LOG.info("ignoring remote exec event, disabled.: event_name={} event_id={}", event.name(), event.id());
            return false;
        }
        LOG.debug("new event: event_name={} event_id={}", event.name(), event.id());
        List<Waiter> woken = new ArrayList<>();
        List<QueryResult<List<UserEvent>>> answers = new ArrayList<>();
        synchronized (this) {
            if (events.size() == CAPACITY) {
                events.removeFirst();
            }
            events.addLast(event);
            for (Iterator<Waiter> it = parked.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                QueryResult<List<UserEvent>> now = snapshotLocked(w.name);
                if (now.meta().index() != w.minIndex) {
                    it.remove();
                    woken.add(w);
                    answers.add(now);
                }
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            finish(woken.get(i), answers.get(i));
        }
        return true;
    }

    /**
     * The kept events named {@code name} (all when it is empty), oldest first. With a non-zero
     * {@code options.minIndex()} equal to the list's index, completes when that index changes or after
     * {@code options.maxWait()} (10 minutes when not positive, as Consul's event list), whichever is first.
     * Cancelling the stage abandons the read at once.
     */
    CompletionStage<QueryResult<List<UserEvent>>> list(String name, QueryOptions options) {
        String filter = name == null ? "" : name;
        Waiter waiter;
        synchronized (this) {
            QueryResult<List<UserEvent>> now = snapshotLocked(filter);
            if (closed || options.minIndex() == 0 || now.meta().index() != options.minIndex()) {
                return CompletableFuture.completedFuture(now);
            }
            waiter = new Waiter(filter, options.minIndex());
            parked.add(waiter);
            Duration wait = options.maxWait().toNanos() > 0 ? options.maxWait() : QueryOptions.MAX_WAIT;
            waiter.timer = scheduler.schedule(wait, () -> expire(waiter));
        }
        waiter.done.whenComplete((r, e) -> {
            if (waiter.done.isCancelled()) {
                synchronized (this) {
                    parked.remove(waiter);
                }
                waiter.timer.cancel();
            }
        });
        return waiter.done;
    }

    synchronized int parked() {
        return parked.size();
    }

    synchronized List<UserEvent> all() {
        return List.copyOf(events);
    }

    /** Answers every parked read with what is kept now; later reads answer at once. */
    void close() {
        List<Waiter> woken;
        List<QueryResult<List<UserEvent>>> answers = new ArrayList<>();
        synchronized (this) {
            closed = true;
            woken = new ArrayList<>(parked);
            parked.clear();
            for (Waiter w : woken) {
                answers.add(snapshotLocked(w.name));
            }
        }
        for (int i = 0; i < woken.size(); i++) {
            finish(woken.get(i), answers.get(i));
        }
    }

    private void expire(Waiter w) {
        QueryResult<List<UserEvent>> now;
        synchronized (this) {
            if (!parked.remove(w)) {
                return;
            }
            now = snapshotLocked(w.name);
        }
        w.done.complete(now);
    }

    private static void finish(Waiter w, QueryResult<List<UserEvent>> answer) {
        w.timer.cancel();
        w.done.complete(answer);
    }

    private QueryResult<List<UserEvent>> snapshotLocked(String name) {
        List<UserEvent> out = new ArrayList<>(events.size());
        for (UserEvent e : events) {
            if (name.isEmpty() || e.name().equals(name)) {
                out.add(e);
            }
        }
        return new QueryResult<>(List.copyOf(out), new QueryMeta(index(out), true, 0));
    }

    /**
     * Consul's event list index: 1 for no events, else {@link #uuidToUint64} of the newest event's ID. A
     * {@link QueryMeta} index is a signed long, so this is its low 63 bits (HTTP prints the full value from the
     * ID). An ID that is not a UUID (a plain Serf event has none) gets a stable stand-in from its name and time.
     */
    static long index(List<UserEvent> events) {
        if (events.isEmpty()) {
            return 1;
        }
        UserEvent last = events.get(events.size() - 1);
        long full;
        try {
            full = uuidToUint64(last.id());
        } catch (IllegalArgumentException notUuid) {
            full = (last.name().hashCode() * 0x9E3779B97F4A7C15L) ^ last.ltime();
        }
        long index = full & Long.MAX_VALUE;
        return index == 0 ? 1 : index;
    }

    /**
     * Consul's {@code uuidToUint64}: the UUID's first 16 hex digits XOR its last 16, as an unsigned 64-bit value
     * in a long's bits.
     *
     * @throws IllegalArgumentException when {@code uuid} is not in the 8-4-4-4-12 hex form
     */
    static long uuidToUint64(String uuid) {
        if (uuid == null || uuid.length() != 36 || uuid.charAt(8) != '-' || uuid.charAt(13) != '-'
                || uuid.charAt(18) != '-' || uuid.charAt(23) != '-') {
            throw new IllegalArgumentException("not a UUID: " + uuid);
        }
        String lower = uuid.substring(0, 8) + uuid.substring(9, 13) + uuid.substring(14, 18);
        String upper = uuid.substring(19, 23) + uuid.substring(24, 36);
        try {
            return Long.parseUnsignedLong(lower, 16) ^ Long.parseUnsignedLong(upper, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a UUID: " + uuid, e);
        }
    }

    // ---- Consul's filters ----

    /**
     * Consul's {@code validateUserEventParams}, with its messages.
     *
     * @throws IllegalArgumentException for a missing name, a tag filter without a service filter, or a filter
     *                                  that is not a regular expression
     */
    static void validate(String name, String nodeFilter, String serviceFilter, String tagFilter) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("User event missing name");
        }
        if (!tagFilter.isEmpty() && serviceFilter.isEmpty()) {
            throw new IllegalArgumentException("Cannot provide tag filter without service filter");
        }
        compile("node", nodeFilter);
        compile("service", serviceFilter);
        compile("tag", tagFilter);
    }

    private static Pattern compile(String what, String filter) {
        if (filter.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Invalid " + what + " filter: error parsing regexp: "
                    + e.getDescription() + ": `" + filter + "`");
        }
    }

    /**
     * Consul's {@code shouldProcessUserEvent}. Filters are unanchored (Go's {@code MatchString}). The service
     * filter is matched against each local service's ID (the key Consul matches) and its name (what Consul's
     * documentation promises); with a tag filter, that service must also have a matching tag.
     */
    static boolean shouldProcess(UserEvent e, String nodeName, Collection<NodeService> services) {
        if (e.version() > MAX_VERSION) {
            LOG.warn("Event version may have unsupported features: version={} event={}", e.version(), e.name());
        }
        Pattern node;
        Pattern service;
        Pattern tag;
        try {
            node = compile("node", nullToEmpty(e.nodeFilter()));
            service = compile("service", nullToEmpty(e.serviceFilter()));
            tag = compile("tag", nullToEmpty(e.tagFilter()));
        } catch (IllegalArgumentException bad) {
            LOG.error("Failed to parse the filters of an event: event={} error={}", e.name(), bad.getMessage());
            return false;
        }
        if (node != null && !node.matcher(nodeName).find()) {
            return false;
        }
        if (service == null) {
            return true;
        }
        for (NodeService s : services) {
            if (!service.matcher(s.id()).find() && !service.matcher(s.service()).find()) {
                continue;
            }
            if (tag == null) {
                return true;
            }
            for (String t : s.tags()) {
                if (tag.matcher(t).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
