package io.conclave.gossip.internal.runtime;

import io.conclave.gossip.internal.serf.SerfConfig;
import io.conclave.gossip.internal.swim.SwimConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one pool needs to run, read once from the agent's configuration.
 *
 * @param pool             {@code lan} or {@code wan}
 * @param nodeName         the member name ({@code NODE.DC} in the WAN pool)
 * @param bind             where to bind UDP and TCP (port 0 = any free port)
 * @param advertise        the address other members reach us at (the bound one when it is the wildcard)
 * @param advertisePort    the port to advertise; 0 = the port actually bound
 * @param keys             the keyring, primary first; empty = no encryption
 * @param keyringFile      where the keyring is persisted (serf's keyring file), null = not persisted
 * @param verifyIncoming   memberlist GossipVerifyIncoming: refuse plaintext when encrypting
 * @param verifyOutgoing   memberlist GossipVerifyOutgoing: encrypt what we send
 * @param tcpTimeout       memberlist TCPTimeout (LAN 10 s, WAN 30 s)
 * @param leavePropagateDelay serf LeavePropagateDelay: how long a leaving member keeps answering
 * @param snapshotPath     serf SnapshotPath: where members and clocks are recorded to rejoin after a
 *                         restart (Consul's {@code data_dir/serf/local.snapshot}, {@code remote.snapshot});
 *                         null = none (dev agents)
 * @param rejoinAfterLeave serf RejoinAfterLeave: a graceful leave recorded in the snapshot does not stop
 *                         the next start from rejoining
 */
public record PoolConfig(String pool, String nodeName, String datacenter, InetSocketAddress bind, InetAddress advertise,
                         int advertisePort, Map<String, String> tags, SwimConfig swim, SerfConfig serf,
                         List<byte[]> keys, Path keyringFile, boolean verifyIncoming, boolean verifyOutgoing,
                         Duration tcpTimeout, Duration leavePropagateDelay, Path snapshotPath,
                         boolean rejoinAfterLeave) {

    /** memberlist's version range [pmin, pmax, pcur] and serf's delegate range as Consul speaks them. */
    public static final byte[] VSN = {1, 5, 2, 2, 5, 4};

    public PoolConfig {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(bind, "bind");
        tags = Map.copyOf(tags);
        keys = keys.stream().map(byte[]::clone).toList();
    }

    /** A pool without a snapshot. */
    public PoolConfig(String pool, String nodeName, String datacenter, InetSocketAddress bind, InetAddress advertise,
                      int advertisePort, Map<String, String> tags, SwimConfig swim, SerfConfig serf,
                      List<byte[]> keys, Path keyringFile, boolean verifyIncoming, boolean verifyOutgoing,
                      Duration tcpTimeout, Duration leavePropagateDelay) {
        this(pool, nodeName, datacenter, bind, advertise, advertisePort, tags, swim, serf, keys, keyringFile,
                verifyIncoming, verifyOutgoing, tcpTimeout, leavePropagateDelay, null, false);
    }

    public boolean wan() {
        return "wan".equals(pool);
    }

    /** The name logs use for the pool, as Consul's do: {@code LAN} or {@code WAN}. */
    public String label() {
        return wan() ? "WAN" : "LAN";
    }

    public PoolConfig withKeys(List<byte[]> newKeys) {
        return new PoolConfig(pool, nodeName, datacenter, bind, advertise, advertisePort, tags, swim, serf, newKeys,
                keyringFile, verifyIncoming, verifyOutgoing, tcpTimeout, leavePropagateDelay, snapshotPath,
                rejoinAfterLeave);
    }

    public PoolConfig withSnapshot(Path path, boolean rejoin) {
        return new PoolConfig(pool, nodeName, datacenter, bind, advertise, advertisePort, tags, swim, serf, keys,
                keyringFile, verifyIncoming, verifyOutgoing, tcpTimeout, leavePropagateDelay, path, rejoin);
    }


    /** The settings that need a restart when they change (a configuration update that leaves them alone keeps the pool). */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        sb.append(pool).append('|').append(nodeName).append('|').append(datacenter).append('|').append(bind)
                .append('|').append(advertise).append('|').append(advertisePort).append('|').append(tags)
                .append('|').append(swim).append('|').append(serf).append('|').append(keyringFile).append('|')
                .append(verifyIncoming).append(verifyOutgoing).append('|').append(tcpTimeout).append('|')
                .append(keys.isEmpty() ? "plaintext" : "encrypted").append('|').append(snapshotPath);
        // The keys themselves are left out: they rotate at run time (keyring queries) and live in the keyring file.
        // rejoinAfterLeave too: a pool takes it when it starts, so a change waits for the next start.
        return sb.toString();
    }
}
