package io.conclave.api.gossip;

import java.net.InetSocketAddress;

/** Receives a pool's datagrams. */
@FunctionalInterface
public interface PacketHandler {
    /** @param receivedNanos {@link System#nanoTime()} at receipt, for RTT measurements */
    void onPacket(InetSocketAddress from, byte[] payload, long receivedNanos);
}
