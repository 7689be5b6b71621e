package io.conclave.launcher.agent;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks, before the framework starts, that every address the agent's listeners will bind is free.
 * The listeners live in bundles that log a bind failure and leave the agent running without them;
 * Consul instead refuses to start, and so does Conclave: {@link #firstConflict} gives Consul's reason
 * ({@code Error starting agent: <reason>}) for the first listener, in the order Consul opens them,
 * whose address is taken.
 *
 * <ul>
 *   <li>Servers: the RPC port (TCP), then WAN gossip, then LAN gossip (each TCP, then UDP) on
 *       {@code bind_addr}; clients: LAN gossip only. Then DNS (TCP and UDP, both reported, as
 *       Consul's multierror does) and HTTP on their client addresses.</li>
 *   <li>Ports that are 0 (bind a free one) or negative (disabled) are not checked.</li>
 *   <li>TCP probes set {@code SO_REUSEADDR} as the real listeners do, so a port with connections
 *       in TIME_WAIT is free; UDP probes do not, as the real ones do not (on Linux it would let two
 *       sockets share the port, hiding the conflict).</li>
 *   <li>Every probe stays open until the check ends, so two listeners configured on one port clash
 *       here as they would in the agent; all are closed before this returns.</li>
 * </ul>
 */
final class PortCheck {

    private PortCheck() {
    }

    enum Protocol {
        TCP, UDP;

        String goName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One socket a listener will open. */
    record Probe(Protocol protocol, String host, int port) {

        /** Go's {@code net.TCPAddr.String()}: {@code [v6]:port} for IPv6. */
        String hostPort() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Consul's {@code Error starting agent} reason for the first taken address, or empty when all are free. */
    static Optional<String> firstConflict(AgentConfig config) {
        List<Closeable> held = new ArrayList<>();
        try {
            return firstConflict(config, held);
        } finally {
            for (Closeable c : held) {
                try {
                    c.close();
                } catch (IOException e) {
                    // a probe socket: nothing was done with it
                }
            }
        }
    }

    private static Optional<String> firstConflict(AgentConfig config, List<Closeable> held) {
        String bind = unbracket(config.bindAddr());
        if (config.cluster().server()) {
            String server = "Failed to start Consul server: ";
            Optional<String> rpc = bind(new Probe(Protocol.TCP, bind, config.serverPort()), held);
            if (rpc.isPresent()) {
                return Optional.of(server + "Failed to start RPC layer: " + rpc.get());
            }
            // Consul's WAN pool opens memberlist's transport itself, so its error is not wrapped by memberlist.
            Optional<String> wan = gossip(bind, config.serfWanPort(), held);
            if (wan.isPresent()) {
                return Optional.of(server + "Failed to start WAN Serf: " + wan.get());
            }
            Optional<String> lan = gossip(bind, config.serfLanPort(), held);
            if (lan.isPresent()) {
                return Optional.of(server + "Failed to start LAN Serf: " + memberlist(lan.get()));
            }
        } else {
            Optional<String> lan = gossip(bind, config.serfLanPort(), held);
            if (lan.isPresent()) {
                return Optional.of("Failed to start Consul client: Failed to start lan serf: " + memberlist(lan.get()));
            }
        }
        String dnsHost = unbracket(config.dnsAddr());
        List<String> dns = new ArrayList<>();
        bind(new Probe(Protocol.TCP, dnsHost, config.dnsPort()), held).ifPresent(dns::add);
        bind(new Probe(Protocol.UDP, dnsHost, config.dnsPort()), held).ifPresent(dns::add);
        if (!dns.isEmpty()) {
            return Optional.of(multierror(dns));
        }
        return bind(new Probe(Protocol.TCP, unbracket(config.httpAddr()), config.httpPort()), held);
    }

    /** memberlist's {@code NetTransport}: TCP, then UDP on the same port. */
    private static Optional<String> gossip(String host, int port, List<Closeable> held) {
        for (Protocol p : Protocol.values()) {
            Probe probe = new Probe(p, host, port);
            Optional<String> error = bind(probe, held);
            if (error.isPresent()) {
                return Optional.of("Failed to start " + p + " listener on \"" + host + "\" port " + port + ": "
                        + error.get());
            }
        }
        return Optional.empty();
    }

    /** How {@code memberlist.Create} and {@code serf.Create} wrap a transport that could not bind. */
    private static String memberlist(String transportError) {
        return "Failed to create memberlist: Could not set up network transport: failed to obtain an address: "
                + transportError;
    }

    /** hashicorp/go-multierror's format, which Consul's DNS start-up returns. */
    static String multierror(List<String> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " error occurred:" : " errors occurred:");
        for (String e : errors) {
            sb.append("\n\t* ").append(e);
        }
        return sb.append("\n\n").toString();
    }

    /**
     * Binds the probe's socket and keeps it in {@code held}; empty when that worked or the port is
     * not bound at all, otherwise Go's {@code listen tcp 127.0.0.1:8301: bind: address already in use}.
     */
    static Optional<String> bind(Probe probe, List<Closeable> held) {
        if (probe.port() <= 0) {
            return Optional.empty();
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(probe.host()); // an IP literal (the configuration checks it): no lookup
        } catch (UnknownHostException e) {
            return Optional.empty(); // not an IP: the listener reports its own error
        }
        InetSocketAddress address = new InetSocketAddress(ip, probe.port());
        try {
            if (probe.protocol() == Protocol.TCP) {
                ServerSocketChannel tcp = ServerSocketChannel.open();
                held.add(tcp);
                tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(address, 1);
            } else {
                DatagramChannel udp = DatagramChannel.open(ip instanceof Inet6Address ? StandardProtocolFamily.INET6
                        : StandardProtocolFamily.INET);
                held.add(udp);
                udp.setOption(StandardSocketOptions.SO_REUSEADDR, false);
                udp.bind(address);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("listen " + probe.protocol().goName() + " " + probe.hostPort() + ": bind: "
                    + errno(e));
        }
    }

    /** The JDK's message for a failed bind in Go's (errno) words: {@code address already in use}. */
    static String errno(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int note = m.indexOf(" (");
        if (note > 0 && m.endsWith(")")) {
            m = m.substring(0, note); // "Address already in use (Bind failed)" on older JDKs
        }
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
