package io.conclave.http.internal;

import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * The options Consul's {@code s.parse} reads from every request it forwards to a server, checked in
 * its order ({@code agent/http.go}: {@code parseDC}, {@code parseConsistency},
 * {@code parseCacheControl}, {@code parseWait}), with its 400 texts.
 *
 * @param datacenter  the {@code dc} parameter, {@code ""} when absent
 * @param consistency the consistency mode asked for
 * @param minIndex    {@code index}, 0 when absent
 * @param requestedWait {@code wait}, {@code null} when absent
 */
public record ReadOptions(String datacenter, Consistency consistency, long minIndex, Duration requestedWait) {

    /** Consul's {@code structs.JitterFraction}: jitter is at most 1/16 of the wait. */
    static final int JITTER_FRACTION = 16;

    public static ReadOptions parse(GoQuery query, String cacheControl) {
        String dc = query.get("dc");

        boolean stale = query.has("stale");
        boolean consistent = query.has("consistent");
        boolean cached = query.has("cached");
        String maxStale = query.get("max_stale");
        if (!maxStale.isEmpty()) {
            Duration d;
            try {
                d = GoDuration.parse(maxStale);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("Invalid max_stale value " + GoText.quote(maxStale));
            }
            if (d.toNanos() > 0) {
                stale = true;
            }
        }
        if (stale && consistent) {
            throw HttpError.badRequest("Cannot specify ?stale with ?consistent, conflicting semantics.");
        }
        if (cached && consistent) {
            throw HttpError.badRequest("Cannot specify ?cached with ?consistent, conflicting semantics.");
        }

        checkCacheControl(cacheControl);

        Duration wait = parseWait(query);
        long index = parseIndex(query);
        Consistency mode = consistent ? Consistency.CONSISTENT : stale ? Consistency.STALE : Consistency.DEFAULT;
        return new ReadOptions(dc, mode, index, wait);
    }

    /**
     * The {@code wait} half of Consul's {@code parseWait}, read before {@link #parseIndex}: {@code null} when
     * absent, a 400 {@code Invalid wait time} when it is not a Go duration.
     */
    static Duration parseWait(GoQuery query) {
        String rawWait = query.get("wait");
        if (rawWait.isEmpty()) {
            return null;
        }
        try {
            return GoDuration.parse(rawWait);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("Invalid wait time");
        }
    }

    /** The {@code index} half of Consul's {@code parseWait}: 0 when absent, a 400 {@code Invalid index} if bad. */
    static long parseIndex(GoQuery query) {
        String rawIndex = query.get("index");
        if (rawIndex.isEmpty()) {
            return 0;
        }
        try {
            return GoText.parseUint(rawIndex);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Invalid index");
        }
    }

    /** Consul's {@code parseCacheControl}: only {@code max-age} and {@code stale-if-error} are checked. */
    private static void checkCacheControl(String header) {
        if (header == null || header.isEmpty()) {
            return;
        }
        for (String directive : header.toLowerCase(Locale.ROOT).split(",", -1)) {
            String d = directive.strip();
            if (d.startsWith("max-age=")) {
                atoi(d.substring("max-age=".length()));
            } else if (d.startsWith("stale-if-error=")) {
                atoi(d.substring("stale-if-error=".length()));
            }
        }
    }

    private static void atoi(String s) {
        // Go's strconv.Atoi: an optional sign, then decimal digits that fit in an int64.
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean ok = !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (ok) {
            try {
                Long.parseLong(s.startsWith("+") ? digits : s);
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw HttpError.badRequest("Invalid Cache-Control header.");
        }
    }

    /**
     * The {@link QueryOptions} for the endpoint. A blocking read ({@code index > 0}) gets Consul's server
     * treatment ({@code agent/consul/rpc.go blockingQuery}): no or a non-positive wait means the default
     * 5 minutes, more than 10 minutes is cut to 10, then up to wait/16 of random jitter is added so that
     * many watchers of one key do not all come back at once.
     *
     * @param stagger given a bound in nanoseconds (at least 1), returns a random value in [0, bound)
     */
    public QueryOptions toQueryOptions(LongUnaryOperator stagger) {
        return new QueryOptions(null, minIndex, effectiveWait(stagger), consistency);
    }

    Duration effectiveWait(LongUnaryOperator stagger) {
        if (minIndex == 0) {
            return requestedWait != null && requestedWait.toNanos() > 0 ? requestedWait : QueryOptions.DEFAULT_WAIT;
        }
        Duration w = requestedWait == null ? Duration.ZERO : requestedWait;
        if (w.compareTo(QueryOptions.MAX_WAIT) > 0) {
            w = QueryOptions.MAX_WAIT;
        } else if (w.toNanos() <= 0) {
            w = QueryOptions.DEFAULT_WAIT;
        }
        long bound = w.toNanos() / JITTER_FRACTION;
        return bound <= 0 ? w : w.plusNanos(stagger.applyAsLong(bound));
    }

    /** The value of {@code X-Consul-Effective-Consistency}. */
    public String effectiveConsistency() {
        return switch (consistency) {
            case CONSISTENT -> "consistent";
            case STALE -> "stale";
            case DEFAULT -> "leader";
        };
    }

    /** The largest wait a blocking read can be given, jitter included. */
    public static Duration longestWait() {
        return QueryOptions.MAX_WAIT.plus(QueryOptions.MAX_WAIT.dividedBy(JITTER_FRACTION));
    }
}
