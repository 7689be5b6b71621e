package io.conclave.launcher.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's check that the agent's addresses are free: real sockets on 127.0.0.1 hold a port
 * and the check must report it with Consul's wording, or find every address free.
 */
class PortCheckTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String IN_USE = ": bind: address already in use";

    @TempDir
    Path dir;

    private final List<Closeable> occupied = new ArrayList<>();

    @AfterEach
    void release() throws IOException {
        for (Closeable c : occupied) {
            c.close();
        }
    }

    /** A listening TCP socket on 127.0.0.1 (a free port), held until the test ends. */
    private int occupyTcp() throws IOException {
        ServerSocket s = new ServerSocket();
        occupied.add(s);
        s.bind(new InetSocketAddress(LOOPBACK, 0));
        return s.getLocalPort();
    }

    /** A UDP socket on 127.0.0.1 at {@code port} (0: a free one), held until the test ends. */
    private int occupyUdp(int port) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        occupied.add(s);
        s.bind(new InetSocketAddress(LOOPBACK, port));
        return s.getLocalPort();
    }

    /** A port that was free for TCP and UDP on 127.0.0.1 a moment ago. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (IOException udpTaken) {
                    // that port is used for UDP: try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1 in 20 attempts");
    }

    private AgentConfig dev(int server, int lan, int wan, int http, int dns) throws Exception {
        return build("-dev", "-server-port=" + server, "-serf-lan-port=" + lan, "-serf-wan-port=" + wan,
                "-http-port=" + http, "-dns-port=" + dns);
    }

    private AgentConfig build(String... args) throws Exception {
        Flags f = AgentCommand.flags();
        f.parse(List.of(args));
        return ConfigBuilder.build(f, new ConfigBuilder.Options(ConfigBuilder.Mode.RUN, () -> "host-1", null,
                () -> List.of("10.1.2.3")));
    }

    @Test
    void freeAddressesPass() throws Exception {
        assertEquals(Optional.empty(), PortCheck.firstConflict(
                dev(freePort(), freePort(), freePort(), freePort(), freePort())));
    }

    @Test
    void aTakenRpcPortFailsAsConsulsServerDoes() throws Exception {
        int port = occupyTcp();
        assertEquals(Optional.of("Failed to start Consul server: Failed to start RPC layer: listen tcp 127.0.0.1:"
                + port + IN_USE), PortCheck.firstConflict(dev(port, 0, 0, 0, 0)));
    }

    @Test
    void aTakenLanPortFailsThroughMemberlistForTcpAndForUdp() throws Exception {
        int tcp = occupyTcp();
        assertEquals(Optional.of("Failed to start Consul server: Failed to start LAN Serf: Failed to create "
                + "memberlist: Could not set up network transport: failed to obtain an address: Failed to start TCP "
                + "listener on \"127.0.0.1\" port " + tcp + ": listen tcp 127.0.0.1:" + tcp + IN_USE),
                PortCheck.firstConflict(dev(0, tcp, 0, 0, 0)));
        int udp = occupyUdp(0);
        assertEquals(Optional.of("Failed to start Consul server: Failed to start LAN Serf: Failed to create "
                + "memberlist: Could not set up network transport: failed to obtain an address: Failed to start UDP "
                + "listener on \"127.0.0.1\" port " + udp + ": listen udp 127.0.0.1:" + udp + IN_USE),
                PortCheck.firstConflict(dev(0, udp, 0, 0, 0)));
    }

    @Test
    void aClientChecksItsLanPortAndNotTheServersPorts() throws Exception {
        int lan = occupyTcp();
        int taken = occupyTcp();
        AgentConfig client = build("-data-dir", dir.toString(), "-bind=127.0.0.1", "-serf-lan-port=" + lan,
                "-server-port=" + taken, "-serf-wan-port=" + taken, "-http-port=0", "-dns-port=-1");
        assertEquals(Optional.of("Failed to start Consul client: Failed to start lan serf: Failed to create "
                + "memberlist: Could not set up network transport: failed to obtain an address: Failed to start TCP "
                + "listener on \"127.0.0.1\" port " + lan + ": listen tcp 127.0.0.1:" + lan + IN_USE),
                PortCheck.firstConflict(client));
        AgentConfig clientWithFreeLan = build("-data-dir", dir.toString(), "-bind=127.0.0.1", "-serf-lan-port=0",
                "-server-port=" + taken, "-serf-wan-port=" + taken, "-http-port=0", "-dns-port=-1");
        assertEquals(Optional.empty(), PortCheck.firstConflict(clientWithFreeLan));
    }

    @Test
    void aTakenWanPortFailsWithTheTransportsOwnError() throws Exception {
        int port = occupyTcp();
        assertEquals(Optional.of("Failed to start Consul server: Failed to start WAN Serf: Failed to start TCP "
                + "listener on \"127.0.0.1\" port " + port + ": listen tcp 127.0.0.1:" + port + IN_USE),
                PortCheck.firstConflict(dev(0, 0, port, 0, 0)));
    }

    @Test
    void dnsReportsEveryTakenSocketAsAMultierror() throws Exception {
        int udp = occupyUdp(0);
        assertEquals(Optional.of("1 error occurred:\n\t* listen udp 127.0.0.1:" + udp + IN_USE + "\n\n"),
                PortCheck.firstConflict(dev(0, 0, 0, 0, udp)));
        int both = occupyTcp();
        occupyUdp(both);
        assertEquals(Optional.of("2 errors occurred:\n\t* listen tcp 127.0.0.1:" + both + IN_USE
                + "\n\t* listen udp 127.0.0.1:" + both + IN_USE + "\n\n"),
                PortCheck.firstConflict(dev(0, 0, 0, 0, both)));
        assertEquals(Optional.empty(), PortCheck.firstConflict(dev(0, 0, 0, 0, -1)), "-dns-port=-1 disables DNS");
    }

    @Test
    void aTakenHttpPortFailsWithGosListenError() throws Exception {
        int port = occupyTcp();
        assertEquals(Optional.of("listen tcp 127.0.0.1:" + port + IN_USE),
                PortCheck.firstConflict(dev(0, 0, 0, port, 0)));
    }

    @Test
    void twoListenersConfiguredOnOnePortClash() throws Exception {
        int port = freePort();
        assertEquals(Optional.of("listen tcp 127.0.0.1:" + port + IN_USE),
                PortCheck.firstConflict(dev(port, 0, 0, port, 0)));
        assertEquals(Optional.empty(), PortCheck.firstConflict(dev(port, 0, 0, 0, 0)), "the probes were released");
    }

    @Test
    void aPortWhoseClosedConnectionLingersIsFree() throws Exception {
        int port;
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            port = listener.getLocalPort();
            try (Socket client = new Socket(LOOPBACK, port); Socket accepted = listener.accept()) {
                accepted.close(); // the listener's side closes first, so its end of the connection lingers
            }
        }
        assertEquals(Optional.empty(), PortCheck.firstConflict(dev(0, 0, 0, port, 0)));
    }

    @Test
    void theAgentVerbStopsWithConsulsErrorBeforeStartingAnything() throws Exception {
        int port = occupyTcp();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Ui ui = new Ui(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        AgentConfig config = dev(port, 0, 0, 0, 0);
        int code = new FrameworkRunner(config, dir.resolve("no-such-home"), ui, new Reloader(List.of(), config)).run();
        assertEquals(1, code);
        assertEquals("==> Starting Conclave agent...\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("==> Error starting agent: Failed to start Consul server: Failed to start RPC layer: listen tcp "
                + "127.0.0.1:" + port + IN_USE + "\n", err.toString(StandardCharsets.UTF_8));
    }
}
