package io.conclave.gossip.internal.runtime;

import io.conclave.api.gossip.GossipTransport;
import io.conclave.transport.udp.internal.TestTransports;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Pools on fresh loopback transports, all stopped together when a test ends. */
final class PoolRig implements AutoCloseable {

    final List<Pool> pools = new ArrayList<>();
    /** In start order: the i-th pool's transport is the i-th, unless a test swapped it. */
    final List<GossipTransport> transports = new ArrayList<>();

    Pool start(PoolConfig config, Recorder recorder) throws IOException {
        GossipTransport t = TestTransports.start();
        transports.add(t);
        Pool p = new Pool(config, recorder);
        pools.add(p);
        p.attach(t);
        return p;
    }

    @Override
    public void close() {
        pools.forEach(Pool::close);
        transports.forEach(TestTransports::stop);
    }
}
