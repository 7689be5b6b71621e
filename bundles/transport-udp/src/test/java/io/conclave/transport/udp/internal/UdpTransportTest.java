package io.conclave.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipStream;
import io.conclave.api.gossip.PacketHandler;
import io.conclave.api.gossip.StreamHandler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpTransportTest {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);
    static final StreamHandler NO_STREAMS = GossipStream::close;
    static final PacketHandler NO_PACKETS = (from, payload, nanos) -> { };

    record Packet(InetSocketAddress from, byte[] payload, long nanos) { }

    UdpTransport transport;
    final List<GossipEndpoint> endpoints = new ArrayList<>();

    @BeforeEach
    void start() {
        transport = new UdpTransport();
        transport.start();
    }

    @AfterEach
    void stop() {
        endpoints.forEach(GossipEndpoint::close);
        transport.deactivate();
    }

    GossipEndpoint open(PacketHandler packets, StreamHandler streams) throws IOException {
        return open(ANY_PORT, packets, streams);
    }

    GossipEndpoint open(InetSocketAddress bind, PacketHandler packets, StreamHandler streams) throws IOException {
        GossipEndpoint e = transport.open("lan", bind, packets, streams);
        endpoints.add(e);
        return e;
    }

    static PacketHandler into(BlockingQueue<Packet> queue) {
        return (from, payload, nanos) -> queue.add(new Packet(from, payload, nanos));
    }

    static Packet take(BlockingQueue<Packet> queue) throws InterruptedException {
        Packet p = queue.poll(5, TimeUnit.SECONDS);
        assertNotNull(p, "no packet within 5 s");
        return p;
    }

    @Test
    void packetsFlowBothWaysWithExactBytesAndSourcePort() throws Exception {
        BlockingQueue<Packet> atA = new ArrayBlockingQueue<>(16);
        BlockingQueue<Packet> atB = new ArrayBlockingQueue<>(16);
        GossipEndpoint a = open(into(atA), NO_STREAMS);
        GossipEndpoint b = open(into(atB), NO_STREAMS);

        long before = System.nanoTime();
        a.sendPacket(b.localAddress(), "ping".getBytes(StandardCharsets.UTF_8));
        Packet p = take(atB);
        assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), p.payload());
        assertEquals(a.localAddress(), p.from(), "replies go to the sender's gossip port");
        assertTrue(p.nanos() >= before);

        byte[] big = new byte[GossipEndpoint.MAX_PACKET];
        big[0] = 7;
        big[big.length - 1] = 9;
        b.sendPacket(p.from(), big);
        assertArrayEquals(big, take(atA).payload());

        b.sendPacket(a.localAddress(), new byte[0]);
        assertEquals(0, take(atA).payload().length);
    }

    @Test
    void portZeroBindsUdpAndTcpOnTheSameFreePort() throws Exception {
        BlockingQueue<Packet> packets = new ArrayBlockingQueue<>(4);
        GossipEndpoint e = open(into(packets), NO_STREAMS);
        InetSocketAddress local = e.localAddress();
        assertNotEquals(0, local.getPort());
        assertEquals(LOOPBACK, local.getAddress());

        try (DatagramSocket raw = new DatagramSocket(0, LOOPBACK)) {
            byte[] hi = {1, 2, 3};
            raw.send(new java.net.DatagramPacket(hi, hi.length, local));
            assertArrayEquals(hi, take(packets).payload());
        }
        try (Socket s = new Socket()) {
            s.connect(local, 2000);
            assertTrue(s.isConnected());
        }
    }

    @Test
    void explicitPortInUseFailsWithIOException() throws Exception {
        try (DatagramSocket udpTaken = new DatagramSocket(0, LOOPBACK)) {
            InetSocketAddress taken = new InetSocketAddress(LOOPBACK, udpTaken.getLocalPort());
            assertThrows(IOException.class, () -> open(taken, NO_PACKETS, NO_STREAMS));
        }
        try (ServerSocket tcpTaken = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress taken = new InetSocketAddress(LOOPBACK, tcpTaken.getLocalPort());
            assertThrows(IOException.class, () -> open(taken, NO_PACKETS, NO_STREAMS));
        }
        GossipEndpoint first = open(NO_PACKETS, NO_STREAMS);
        assertThrows(IOException.class, () -> open(first.localAddress(), NO_PACKETS, NO_STREAMS));
        assertEquals(1, transport.openEndpoints());
    }

    @Test
    void oversizePacketIsRefused() throws Exception {
        GossipEndpoint e = open(NO_PACKETS, NO_STREAMS);
        IOException ex = assertThrows(IOException.class,
                () -> e.sendPacket(e.localAddress(), new byte[GossipEndpoint.MAX_PACKET + 1]));
        assertTrue(ex.getMessage().contains("65507"), ex.getMessage());
    }

    /** Echoes one length-prefixed message back with a prefix, then closes. */
    static StreamHandler echo(String prefix) {
        return stream -> {
            try (stream) {
                stream.deadline(Duration.ofSeconds(5));
                DataInputStream in = new DataInputStream(stream.in());
                byte[] msg = new byte[in.readInt()];
                in.readFully(msg);
                byte[] reply = (prefix + new String(msg, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                var out = new java.io.DataOutputStream(stream.out());
                out.writeInt(reply.length);
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    static String roundTrip(GossipEndpoint from, InetSocketAddress to, String msg) throws IOException {
        try (GossipStream s = from.openStream(to, Duration.ofSeconds(2))) {
            s.deadline(Duration.ofSeconds(5));
            byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
            var out = new java.io.DataOutputStream(s.out());
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(s.in());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
            assertEquals(-1, s.in().read(), "the handler closes its stream");
            return new String(reply, StandardCharsets.UTF_8);
        }
    }

    @Test
    void streamsRoundTripInBothDirections() throws Exception {
        GossipEndpoint a = open(NO_PACKETS, echo("a:"));
        GossipEndpoint b = open(NO_PACKETS, echo("b:"));
        assertEquals("b:push-pull", roundTrip(a, b.localAddress(), "push-pull"));
        assertEquals("a:ping", roundTrip(b, a.localAddress(), "ping"));
    }

    @Test
    void deadlineFailsABlockedRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                release.await(10, TimeUnit.SECONDS); // never writes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        try (GossipStream s = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
            s.deadline(Duration.ofMillis(200));
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> s.in().read());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 150 && took < 3000, "took " + took + " ms");
            assertThrows(SocketTimeoutException.class, () -> s.in().read(), "past the deadline reads fail at once");
            assertThrows(SocketTimeoutException.class, () -> s.out().write(1), "and so do writes");
        } finally {
            release.countDown();
        }
    }

    @Test
    void deadlineUnblocksAWriteTheReaderNeverDrains() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                release.await(10, TimeUnit.SECONDS); // never reads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        try (GossipStream s = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
            s.deadline(Duration.ofMillis(300));
            byte[] chunk = new byte[1 << 20];
            long start = System.nanoTime();
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 1024; i++) { // 1 GiB: far more than socket buffers hold
                    s.out().write(chunk);
                }
            });
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 5000, "took " + took + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeReleasesThePortAndUnblocksReaders() throws Exception {
        CountDownLatch accepted = new CountDownLatch(1);
        CompletableFuture<Throwable> serverRead = new CompletableFuture<>();
        GossipEndpoint server = transport.open("lan", ANY_PORT, NO_PACKETS, stream -> {
            accepted.countDown();
            try (stream) {
                stream.in().read();
                serverRead.complete(null);
            } catch (Throwable t) {
                serverRead.complete(t);
            }
        });
        InetSocketAddress addr = server.localAddress();
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        GossipStream outbound = client.openStream(addr, Duration.ofSeconds(2));
        assertTrue(accepted.await(5, TimeUnit.SECONDS));
        CompletableFuture<Object> clientRead = CompletableFuture.supplyAsync(() -> {
            try {
                return outbound.in().read();
            } catch (IOException e) {
                return e;
            }
        });

        server.close();
        Throwable serverSide = serverRead.get(5, TimeUnit.SECONDS);
        assertNotNull(serverSide, "the server's blocked read ends with an exception");
        Object clientSide = clientRead.get(5, TimeUnit.SECONDS);
        assertTrue(clientSide instanceof IOException || Integer.valueOf(-1).equals(clientSide),
                "the peer sees the close: " + clientSide);
        outbound.close();

        BlockingQueue<Packet> again = new ArrayBlockingQueue<>(4);
        GossipEndpoint reopened = open(addr, into(again), NO_STREAMS);
        assertEquals(addr, reopened.localAddress());
        client.sendPacket(addr, new byte[] {42});
        assertArrayEquals(new byte[] {42}, take(again).payload());
        assertThrows(IOException.class, () -> server.sendPacket(addr, new byte[] {1}));
    }

    @Test
    void closeOfAnEndpointClosesItsOutboundStreamsAndUnblocksTheirReaders() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GossipEndpoint client = transport.open("wan", ANY_PORT, NO_PACKETS, NO_STREAMS);
        GossipStream s = client.openStream(server.localAddress(), Duration.ofSeconds(2));
        CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
            try {
                return s.in().read();
            } catch (IOException e) {
                return e;
            }
        });
        client.close();
        Object result = read.get(5, TimeUnit.SECONDS);
        assertTrue(result instanceof IOException || Integer.valueOf(-1).equals(result), "got " + result);
        assertThrows(IOException.class, s::in);
        release.countDown();
    }

    @Test
    void inboundStreamsAreCappedAndRefusedBeyondTheCap() throws Exception {
        int cap = 8;
        transport.maxInboundStreams(cap);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allIn = new CountDownLatch(cap);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                allIn.countDown();
                release.await(10, TimeUnit.SECONDS);
                stream.out().write(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                concurrent.decrementAndGet();
            }
        });
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        List<GossipStream> held = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            held.add(client.openStream(server.localAddress(), Duration.ofSeconds(2)));
        }
        assertTrue(allIn.await(5, TimeUnit.SECONDS), "all streams up to the cap are handled concurrently");

        try (GossipStream refused = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
            refused.deadline(Duration.ofSeconds(5));
            InputStream in = refused.in();
            int r;
            try {
                r = in.read();
            } catch (IOException e) {
                r = -1; // reset is as good as EOF
            }
            assertEquals(-1, r, "a stream beyond the cap is closed without being handled");
        }
        release.countDown();
        for (GossipStream s : held) {
            s.deadline(Duration.ofSeconds(5));
            assertEquals(1, s.in().read());
            s.close();
        }
        assertEquals(cap, peak.get());

        // permits come back once streams close
        GossipEndpoint echoing = open(NO_PACKETS, echo("x:"));
        assertEquals("x:after", roundTrip(client, echoing.localAddress(), "after"));
    }

    @Test
    void manyConcurrentRoundTrips() throws Exception {
        GossipEndpoint server = open(NO_PACKETS, echo("s:"));
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        var clients = java.util.concurrent.Executors.newFixedThreadPool(48);
        try {
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String msg = "m" + i;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return roundTrip(client, server.localAddress(), msg);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, clients));
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals("s:m" + i, all.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void connectToAClosedPortFails() throws Exception {
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            free = s.getLocalPort();
        }
        assertThrows(IOException.class,
                () -> client.openStream(new InetSocketAddress(LOOPBACK, free), Duration.ofSeconds(1)));
    }

    @Test
    void deactivateClosesEveryEndpoint() throws Exception {
        GossipEndpoint a = transport.open("lan", ANY_PORT, NO_PACKETS, NO_STREAMS);
        GossipEndpoint b = transport.open("wan", ANY_PORT, NO_PACKETS, NO_STREAMS);
        transport.deactivate();
        assertEquals(0, transport.openEndpoints());
        assertThrows(IOException.class, () -> a.sendPacket(b.localAddress(), new byte[1]));
        try (DatagramSocket rebound = new DatagramSocket(a.localAddress())) {
            assertEquals(a.localAddress().getPort(), rebound.getLocalPort());
        }
        assertThrows(IOException.class, () -> transport.open("lan", ANY_PORT, NO_PACKETS, NO_STREAMS));
    }

    @Test
    void aPassedDeadlineLeavesAnIdleStreamUsableUnderANewDeadline() throws Exception {
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                stream.deadline(Duration.ofSeconds(5));
                int b = stream.in().read();
                stream.out().write(b + 1);
                stream.out().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        try (GossipStream s = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
            s.deadline(Duration.ofMillis(50));
            assertThrows(SocketTimeoutException.class, () -> s.in().read());
            s.deadline(Duration.ofSeconds(5));
            s.out().write(41);
            s.out().flush();
            assertEquals(42, s.in().read());
        }
    }

    @Test
    void aPacketHandlerMayCloseItsOwnEndpoint() throws Exception {
        CompletableFuture<GossipEndpoint> self = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        GossipEndpoint e = transport.open("lan", ANY_PORT, (from, payload, nanos) -> {
            self.join().close();
            closed.countDown();
        }, NO_STREAMS);
        self.complete(e);
        GossipEndpoint sender = open(NO_PACKETS, NO_STREAMS);
        sender.sendPacket(e.localAddress(), new byte[] {1});
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(1, transport.openEndpoints(), "only the sender is left");
    }

    @Test
    void configurationSetsTheInboundCap() throws Exception {
        transport.deactivate();
        transport = new UdpTransport();
        transport.activate(new UdpTransport.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return UdpTransport.Config.class;
            }

            @Override
            public int maxInboundStreams() {
                return 1;
            }

            @Override
            public int udpReceiveBufferBytes() {
                return 1 << 20;
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch in = new CountDownLatch(1);
        GossipEndpoint server = open(NO_PACKETS, stream -> {
            try (stream) {
                in.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        GossipEndpoint client = open(NO_PACKETS, NO_STREAMS);
        try (GossipStream first = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
            assertTrue(in.await(5, TimeUnit.SECONDS));
            try (GossipStream second = client.openStream(server.localAddress(), Duration.ofSeconds(2))) {
                second.deadline(Duration.ofSeconds(5));
                int r;
                try {
                    r = second.in().read();
                } catch (IOException e) {
                    r = -1;
                }
                assertEquals(-1, r, "the second inbound stream is refused");
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void manifestDeclaresTheComponentAndTheService() throws Exception {
        Path mf = Path.of("target/classes/META-INF/MANIFEST.MF");
        Manifest manifest;
        try (InputStream in = Files.newInputStream(mf)) {
            manifest = new Manifest(in);
        }
        var attrs = manifest.getMainAttributes();
        assertTrue(String.valueOf(attrs.getValue("Service-Component")).contains("UdpTransport"));
        assertTrue(String.valueOf(attrs.getValue("Provide-Capability"))
                .contains("io.conclave.api.gossip.GossipTransport"));
        String exports = attrs.getValue("Export-Package");
        assertTrue(exports == null || !exports.contains("internal"), "internal stays private: " + exports);
    }
}
