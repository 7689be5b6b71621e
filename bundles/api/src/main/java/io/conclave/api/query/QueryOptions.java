package io.conclave.api.query;

import java.time.Duration;
import java.util.Objects;

/**
 * Options every read endpoint takes.
 *
 * @param datacenter  the datacenter asked for; {@code null} for the agent's own
 * @param minIndex    block until the result's index is above this; 0 answers at once
 * @param maxWait     how long to block at most, already clamped and jittered by the caller
 * @param consistency the consistency mode
 */
public record QueryOptions(String datacenter, long minIndex, Duration maxWait, Consistency consistency) {

    /** Consul's {@code default_query_time}. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** Consul's {@code max_query_time}. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);

    public QueryOptions {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(consistency, "consistency");
        if (minIndex < 0) {
            throw new IllegalArgumentException("minIndex must not be negative");
        }
    }

    /** A non-blocking default-consistency read of the local datacenter. */
    public static QueryOptions now() {
        return new QueryOptions(null, 0, DEFAULT_WAIT, Consistency.DEFAULT);
    }
}
