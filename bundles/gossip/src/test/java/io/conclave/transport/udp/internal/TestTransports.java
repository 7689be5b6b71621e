package io.conclave.transport.udp.internal;

import io.conclave.api.gossip.GossipTransport;

/** Starts and stops the real UDP/TCP transport outside OSGi, for the gossip runtime's tests. */
public final class TestTransports {
    private TestTransports() {
    }

    public static GossipTransport start() {
        UdpTransport t = new UdpTransport();
        t.start();
        return t;
    }

    public static void stop(GossipTransport t) {
        ((UdpTransport) t).deactivate();
    }
}
