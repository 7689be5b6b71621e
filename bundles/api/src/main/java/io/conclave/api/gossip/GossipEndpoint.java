package io.conclave.api.gossip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/** One pool's bound UDP socket and TCP listener. Closing it releases both and every open stream. */
@ProviderType
public interface GossipEndpoint extends AutoCloseable {

    /** The bound address (the actual port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** Sends one datagram; never blocks on the network. Payloads above {@link #MAX_PACKET} are refused. */
    void sendPacket(InetSocketAddress to, byte[] payload) throws IOException;

    /** Opens a stream to a peer, failing after {@code timeout} if it cannot connect. */
    GossipStream openStream(InetSocketAddress to, Duration timeout) throws IOException;

    @Override
    void close();

    /** memberlist's UDP buffer size: larger datagrams are not sent. */
    int MAX_PACKET = 65_507;
}
