package io.conclave.gossip.internal.serf;

/**
 * serf's {@code MemberStatus}, with its numeric codes (they appear in serf's RPC and Consul's
 * {@code /v1/agent/members} as {@code Status}). memberlist only knows alive/suspect/dead; serf adds
 * the difference between a graceful leave and a failure, which memberlist cannot see: a member is
 * {@link #LEAVING} once its leave intent arrived and becomes {@link #LEFT} when memberlist then
 * reports it gone, while a member that disappears without an intent is {@link #FAILED} and will be
 * retried by the reconnect loop until {@code reconnect_timeout} reaps it.
 */
public enum MemberStatus {
    NONE(0), ALIVE(1), LEAVING(2), LEFT(3), FAILED(4);

    private final int code;

    MemberStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** serf's {@code MemberStatus.String()}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
