package io.conclave.api.gossip;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Carries memberlist's two channels for one gossip pool on one address: unreliable packets (UDP:
 * probes and piggy-backed gossip) and reliable streams (TCP: push-pull, fallback pings, user
 * messages), on the same port as memberlist does (8301 LAN, 8302 WAN).
 *
 * <p>The gossip bundle binds to this service dynamically: when a transport goes away it keeps its
 * member list, and when one comes back it calls {@link #open} again for each pool.
 */
@ProviderType
public interface GossipTransport {

    /**
     * Binds a pool's UDP socket and TCP listener on {@code bind} (port 0 picks a free port, the same for
     * both). Handlers are called on the transport's threads and must not block for long.
     *
     * @throws IOException when the address cannot be bound (e.g. the port is in use)
     */
    GossipEndpoint open(String pool, InetSocketAddress bind, PacketHandler packets, StreamHandler streams)
            throws IOException;
}
