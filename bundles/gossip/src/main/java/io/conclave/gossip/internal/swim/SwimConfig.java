package io.conclave.gossip.internal.swim;

/**
 * Tunables of the SWIM core, named after memberlist's {@code Config} fields (memberlist 0.2.2
 * {@code config.go}). All durations are milliseconds of the clock the runtime feeds in.
 *
 * <p>{@link #lan()} is memberlist's {@code DefaultLANConfig} (Consul LAN pool), {@link #wan()} its
 * {@code DefaultWANConfig} (Consul WAN pool):
 * <pre>
 *                              LAN      WAN
 * probeInterval / probeTimeout 1000/500 5000/3000
 * indirectChecks               3        3
 * suspicionMult / maxTimeout   4 / 6    6 / 6
 * retransmitMult               4        4
 * gossipInterval / gossipNodes 200 / 3  500 / 4
 * gossipToTheDead              30000    60000
 * pushPullInterval             30000    60000
 * awarenessMaxMultiplier       8        8
 * </pre>
 * {@code reconnectInterval} is not memberlist's but serf's (30 s): every interval one random failed
 * member is sent a push-pull, which is how a healed partition rejoins once the dead have stopped
 * receiving gossip. {@code packetBudgetBytes} approximates {@code UDPBufferSize} (1400) for
 * piggy-backing broadcasts; {@code 0} disables the reconnect loop.
 */
public record SwimConfig(
        long probeIntervalMillis,
        long probeTimeoutMillis,
        int indirectChecks,
        int suspicionMult,
        int suspicionMaxTimeoutMult,
        int retransmitMult,
        long gossipIntervalMillis,
        int gossipNodes,
        long gossipToTheDeadMillis,
        long pushPullIntervalMillis,
        int awarenessMaxMultiplier,
        boolean tcpPings,
        long reconnectIntervalMillis,
        int packetBudgetBytes) {

    public SwimConfig {
        if (probeIntervalMillis <= 0 || probeTimeoutMillis <= 0 || probeTimeoutMillis > probeIntervalMillis) {
            throw new IllegalArgumentException("need 0 < probeTimeout <= probeInterval");
        }
        if (suspicionMult < 1 || suspicionMaxTimeoutMult < 1 || retransmitMult < 1 || awarenessMaxMultiplier < 1) {
            throw new IllegalArgumentException("multipliers must be >= 1");
        }
        if (gossipIntervalMillis <= 0 || gossipNodes < 0 || indirectChecks < 0 || packetBudgetBytes < 64) {
            throw new IllegalArgumentException("bad gossip settings");
        }
    }

    /** memberlist {@code DefaultLANConfig}. */
    public static SwimConfig lan() {
        return new SwimConfig(1_000, 500, 3, 4, 6, 4, 200, 3, 30_000, 30_000, 8, true, 30_000, 1400);
    }

    /** memberlist {@code DefaultWANConfig}. */
    public static SwimConfig wan() {
        return new SwimConfig(5_000, 3_000, 3, 6, 6, 4, 500, 4, 60_000, 60_000, 8, true, 30_000, 1400);
    }

    /** memberlist {@code DefaultLocalConfig}. */
    public static SwimConfig local() {
        return new SwimConfig(1_000, 200, 1, 3, 6, 2, 100, 3, 15_000, 15_000, 8, true, 30_000, 1400);
    }

    public SwimConfig withPushPullInterval(long millis) {
        return new SwimConfig(probeIntervalMillis, probeTimeoutMillis, indirectChecks, suspicionMult,
                suspicionMaxTimeoutMult, retransmitMult, gossipIntervalMillis, gossipNodes, gossipToTheDeadMillis,
                millis, awarenessMaxMultiplier, tcpPings, reconnectIntervalMillis, packetBudgetBytes);
    }

    /** memberlist {@code DisableTcpPings} inverted: false probes over UDP only. */
    public SwimConfig withTcpPings(boolean enabled) {
        return new SwimConfig(probeIntervalMillis, probeTimeoutMillis, indirectChecks, suspicionMult,
                suspicionMaxTimeoutMult, retransmitMult, gossipIntervalMillis, gossipNodes, gossipToTheDeadMillis,
                pushPullIntervalMillis, awarenessMaxMultiplier, enabled, reconnectIntervalMillis, packetBudgetBytes);
    }

    public SwimConfig withReconnectInterval(long millis) {
        return new SwimConfig(probeIntervalMillis, probeTimeoutMillis, indirectChecks, suspicionMult,
                suspicionMaxTimeoutMult, retransmitMult, gossipIntervalMillis, gossipNodes, gossipToTheDeadMillis,
                pushPullIntervalMillis, awarenessMaxMultiplier, tcpPings, millis, packetBudgetBytes);
    }

    /** memberlist {@code suspicionTimeout}: suspicionMult * max(1, log10(max(1, n))) * probeInterval. */
    public long suspicionMinMillis(int n) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        return suspicionMult * (long) (nodeScale * 1000) * probeIntervalMillis / 1000;
    }

    /** memberlist {@code retransmitLimit}: retransmitMult * ceil(log10(n + 1)). */
    public int retransmitLimit(int n) {
        return retransmitMult * (int) Math.ceil(Math.log10(n + 1));
    }

    /** memberlist {@code pushPullScale}: the interval grows with log2(n) beyond 32 nodes. */
    public long pushPullIntervalFor(int n) {
        if (n <= 32) {
            return pushPullIntervalMillis;
        }
        long mult = (long) Math.ceil(Math.log(n) / Math.log(2) - 5.0) + 1;
        return mult * pushPullIntervalMillis;
    }
}
