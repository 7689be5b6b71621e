package io.conclave.gossip.internal.serf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * serf's {@code QueryResponse} bookkeeping on the querying node ({@code queryResponse} map and
 * {@code handleQueryResponse}): open queries by LTime, each collecting acks and responses by
 * sender until its deadline. Duplicates (a response arriving directly and through relays, the
 * {@code RelayFactor}) count once. Replies for unknown LTimes, mismatched IDs or finished queries
 * are dropped. Time is passed in; {@link #expire} closes and forgets queries past their deadline.
 */
public final class QueryResponses {

    /** One response ({@code NodeResponse}). */
    public record Response(String from, byte[] payload) {
        public Response {
            payload = payload == null ? new byte[0] : payload.clone();
        }
    }

    /** Result of handing a reply to the collector. */
    public enum Outcome { ACK, RESPONSE, DUPLICATE, UNKNOWN_QUERY, ID_MISMATCH, FINISHED }

    /** What a query gathered. */
    public record Collected(Query query, List<String> acks, List<Response> responses, boolean closed) {}

    private static final class Open {
        final Query query;
        final Set<String> acks = new LinkedHashSet<>();
        final Map<String, Response> responses = new java.util.LinkedHashMap<>();
        boolean closed;

        Open(Query query) {
            this.query = query;
        }

        boolean finished(long now) {
            return closed || now > query.deadlineMillis();
        }

        Collected collected() {
            return new Collected(query, List.copyOf(acks), List.copyOf(responses.values()), closed);
        }
    }

    private final Map<Long, Open> open = new HashMap<>();

    /** serf {@code registerQueryResponse}: a newer query at the same LTime replaces the old one. */
    public void register(Query query) {
        open.put(query.ltime(), new Open(query));
    }

    /** serf {@code handleQueryResponse}. {@code flags} is the response's Flags ({@link Query#FLAG_ACK}). */
    public Outcome handle(long ltime, long id, String from, int flags, byte[] payload, long nowMillis) {
        Open q = open.get(ltime);
        if (q == null) {
            return Outcome.UNKNOWN_QUERY;
        }
        if (q.query.id() != id) {
            return Outcome.ID_MISMATCH;
        }
        if (q.finished(nowMillis)) {
            return Outcome.FINISHED;
        }
        if ((flags & Query.FLAG_ACK) != 0) {
            return q.acks.add(from) ? Outcome.ACK : Outcome.DUPLICATE;
        }
        if (q.responses.containsKey(from)) {
            return Outcome.DUPLICATE;
        }
        q.responses.put(from, new Response(from, payload));
        return Outcome.RESPONSE;
    }

    /** serf {@code QueryResponse.Close}: stop collecting before the deadline. */
    public void close(long ltime) {
        Open q = open.get(ltime);
        if (q != null) {
            q.closed = true;
        }
    }

    public Optional<Collected> collected(long ltime) {
        Open q = open.get(ltime);
        return q == null ? Optional.empty() : Optional.of(q.collected());
    }

    /** Forgets queries past their deadline (serf's timer closing and deleting them); returns what each gathered. */
    public List<Collected> expire(long nowMillis) {
        List<Collected> done = new ArrayList<>();
        open.values().removeIf(q -> {
            if (nowMillis > q.query.deadlineMillis()) {
                q.closed = true;
                done.add(q.collected());
                return true;
            }
            return false;
        });
        done.sort(java.util.Comparator.comparingLong(c -> c.query().ltime()));
        return done;
    }

    public int openCount() {
        return open.size();
    }
}
