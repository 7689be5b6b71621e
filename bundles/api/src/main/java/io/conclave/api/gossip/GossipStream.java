package io.conclave.api.gossip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/** A reliable byte stream with a peer (a TCP connection), bounded by a deadline. */
@ProviderType
public interface GossipStream extends AutoCloseable {

    InetSocketAddress remote();

    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    /** Reads and writes after {@code timeout} from now fail with an IOException (memberlist's TCPTimeout). */
    void deadline(Duration timeout) throws IOException;

    @Override
    void close();
}
