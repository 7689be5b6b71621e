package io.conclave.gossip.internal.serf;

/**
 * The identity and deadline of a serf query ({@code messageQuery}: LTime from the query clock, a
 * random {@code uint32} ID, {@code Timeout}). Responses are matched first by LTime then by ID,
 * since LTimes alone collide across nodes. The flags are serf's {@code queryFlagAck} (ask every
 * recipient to ack at once) and {@code queryFlagNoBroadcast}.
 */
public record Query(long ltime, long id, String name, boolean requestAck, long deadlineMillis) {

    public static final int FLAG_ACK = 1;
    public static final int FLAG_NO_BROADCAST = 2;

    public Query {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("query ID is a uint32: " + id);
        }
    }

    /**
     * serf {@code DefaultQueryTimeout}: {@code GossipInterval × QueryTimeoutMult (16) × ceil(log10(n+1))}.
     */
    public static long defaultTimeoutMillis(long gossipIntervalMillis, int timeoutMult, int members) {
        return gossipIntervalMillis * timeoutMult * (long) Math.ceil(Math.log10(members + 1.0));
    }
}
