package io.conclave.gossip.internal.serf;

/**
 * Tunables of the serf core, named after serf's {@code Config} (serf 0.9.4 {@code config.go}).
 * Durations are milliseconds of the clock the runtime passes in.
 * <pre>
 *                          serf default   Consul
 * reconnectTimeout         24 h           72 h (reconnect_timeout; reconnect_timeout_wan 72 h)
 * tombstoneTimeout         24 h           24 h
 * recentIntentTimeout      5 min          5 min
 * reapInterval             15 s           15 s
 * flapTimeout              60 s           60 s
 * eventBuffer              512            512
 * queryBuffer              512            512
 * userEventSizeLimit       512 bytes      512 bytes (serf's sane limit is 9 KiB)
 * </pre>
 */
public record SerfConfig(
        long reconnectTimeoutMillis,
        long tombstoneTimeoutMillis,
        long recentIntentTimeoutMillis,
        long reapIntervalMillis,
        long flapTimeoutMillis,
        int eventBuffer,
        int queryBuffer,
        int userEventSizeLimit) {

    /** serf's hard ceiling on a user event, whatever the configuration ({@code UserEventSizeLimit}). */
    public static final int USER_EVENT_SANE_LIMIT = 9 * 1024;

    private static final long HOUR = 3_600_000L;

    public SerfConfig {
        if (reconnectTimeoutMillis <= 0 || tombstoneTimeoutMillis <= 0 || recentIntentTimeoutMillis <= 0
                || reapIntervalMillis <= 0 || flapTimeoutMillis < 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (eventBuffer < 1 || queryBuffer < 1 || userEventSizeLimit < 1) {
            throw new IllegalArgumentException("buffers and limits must be >= 1");
        }
    }

    /** serf {@code DefaultConfig}. */
    public static SerfConfig serf() {
        return new SerfConfig(24 * HOUR, 24 * HOUR, 5 * 60_000L, 15_000, 60_000, 512, 512, 512);
    }

    /** Consul's agent: serf defaults with {@code reconnect_timeout} 72 h. */
    public static SerfConfig consul() {
        return serf().withReconnectTimeout(72 * HOUR);
    }

    public SerfConfig withReconnectTimeout(long millis) {
        return new SerfConfig(millis, tombstoneTimeoutMillis, recentIntentTimeoutMillis, reapIntervalMillis,
                flapTimeoutMillis, eventBuffer, queryBuffer, userEventSizeLimit);
    }

    public SerfConfig withTombstoneTimeout(long millis) {
        return new SerfConfig(reconnectTimeoutMillis, millis, recentIntentTimeoutMillis, reapIntervalMillis,
                flapTimeoutMillis, eventBuffer, queryBuffer, userEventSizeLimit);
    }

    public SerfConfig withEventBuffer(int slots) {
        return new SerfConfig(reconnectTimeoutMillis, tombstoneTimeoutMillis, recentIntentTimeoutMillis,
                reapIntervalMillis, flapTimeoutMillis, slots, queryBuffer, userEventSizeLimit);
    }
}
