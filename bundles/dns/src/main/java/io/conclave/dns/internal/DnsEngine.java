package io.conclave.dns.internal;

import io.conclave.api.agent.Agent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS interface without OSGi: a {@link Responder} behind a UDP and a TCP listener on the same
 * address and port. {@link #update} swaps the answering configuration in place; the listeners stay.
 */
final class DnsEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");

    private final Supplier<Agent> agents;
    private final Responder responder;
    private UdpListener udp;
    private TcpListener tcp;

    DnsEngine(Supplier<Agent> agents, DnsSettings settings) {
        this.agents = agents;
        this.responder = new Responder(config(agents, settings));
    }

    private static Responder.Config config(Supplier<Agent> agents, DnsSettings s) {
        Recursor recursor = new Recursor(s.recursors(), s.recursorTimeout());
        ConsulZone zone = new ConsulZone(agents, s, recursor, () -> System.currentTimeMillis() / 1000);
        return new Responder.Config(s, zone, recursor);
    }

    /** Binds UDP, then TCP on the port UDP got (so port 0 gives one port for both). */
    DnsEngine start() throws IOException {
        DnsSettings s = responder.config().settings();
        if (s.port() < 0) {
            LOG.info("DNS server disabled (port -1)");
            return this;
        }
        IOException last = null;
        for (int attempt = 0; attempt < (s.port() == 0 ? 5 : 1); attempt++) {
            InetSocketAddress bind = new InetSocketAddress(IpLiterals.parse(s.address()), s.port());
            UdpListener u = new UdpListener(bind, responder, s.udpWorkers());
            try {
                tcp = new TcpListener(new InetSocketAddress(bind.getAddress(), u.port()), responder,
                        s.tcpMaxConnections(), s.tcpIdleTimeout());
                udp = u;
                break;
            } catch (BindException e) {
                // port 0: UDP's port may be taken for TCP; try another pair
                u.close();
                last = e;
            } catch (IOException | RuntimeException e) {
                u.close();
                throw e;
            }
        }
        if (udp == null) {
            throw last;
        }
        LOG.info("Started DNS server: address={} network=udp", IpLiterals.hostPort(s.address(), udp.port()));
        LOG.info("Started DNS server: address={} network=tcp", IpLiterals.hostPort(s.address(), tcp.port()));
        return this;
    }

    void update(DnsSettings next) {
        responder.update(config(agents, next));
    }

    DnsSettings settings() {
        return responder.config().settings();
    }

    /** The bound port, or -1 when disabled. */
    int port() {
        return udp == null ? -1 : udp.port();
    }

    Responder responder() {
        return responder;
    }

    @Override
    public void close() {
        DnsSettings s = responder.config().settings();
        if (udp != null) {
            LOG.info("Stopping server: protocol=DNS address={} network=udp", IpLiterals.hostPort(s.address(), udp.port()));
            udp.close();
            udp = null;
        }
        if (tcp != null) {
            LOG.info("Stopping server: protocol=DNS address={} network=tcp", IpLiterals.hostPort(s.address(), tcp.port()));
            tcp.close();
            tcp = null;
        }
    }
}
