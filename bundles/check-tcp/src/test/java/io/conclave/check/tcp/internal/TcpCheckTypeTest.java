package io.conclave.check.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpCheckTypeTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final TcpCheckType type = new TcpCheckType();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        type.deactivate();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static CheckSpec spec(String tcp, Duration timeout) {
        return new CheckSpec("c1", "tcp", Duration.ofSeconds(10), timeout, Map.of("tcp", tcp), 0);
    }

    private CheckResult run(CheckSpec spec) throws Exception {
        return type.run(spec).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private ServerSocket listening() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
        toClose.add(server);
        return server;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    /** A listener whose accept queue is full: Linux drops further SYNs, so a connect hangs. */
    private ServerSocket saturated() throws IOException {
        ServerSocket server = listening();
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            toClose.add(s);
            try {
                s.connect(server.getLocalSocketAddress(), 300);
            } catch (SocketTimeoutException e) {
                return server;
            }
        }
        throw new IllegalStateException("accept queue never filled up");
    }

    @Test
    void aListeningPortIsPassingWithConsulsOutput() throws Exception {
        int port = listening().getLocalPort();
        assertEquals(CheckResult.passing("TCP connect 127.0.0.1:" + port + ": Success"), run(spec("127.0.0.1:" + port, Duration.ZERO)));
    }

    @Test
    void aClosedPortIsCriticalWithGosDialError() throws Exception {
        int port = closedPort();
        assertEquals(CheckResult.critical("dial tcp 127.0.0.1:" + port + ": connect: connection refused"),
                run(spec("127.0.0.1:" + port, Duration.ZERO)));
    }

    @Test
    void aHostNameIsResolvedAndEachAddressTried() throws Exception {
        int port = listening().getLocalPort();
        // localhost may resolve to ::1 first; the listener is on 127.0.0.1 only, so that needs the fallback
        assertEquals(CheckResult.passing("TCP connect localhost:" + port + ": Success"), run(spec("localhost:" + port, Duration.ZERO)));
    }

    @Test
    void anUnknownHostIsCritical() throws Exception {
        assertEquals(CheckResult.critical("dial tcp: lookup nosuch.invalid: no such host"),
                run(spec("nosuch.invalid:80", Duration.ofSeconds(30))));
    }

    @Test
    void aHangingConnectTimesOutWithGosWords() throws Exception {
        int port = saturated().getLocalPort();
        long start = System.nanoTime();
        CheckResult r = run(spec("127.0.0.1:" + port, Duration.ofMillis(400)));
        assertEquals(CheckResult.critical("dial tcp 127.0.0.1:" + port + ": i/o timeout"), r);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aBadAddressIsCriticalAtRunTime() throws Exception {
        assertEquals(CheckResult.critical("dial tcp: address 127.0.0.1: missing port in address"), run(spec("127.0.0.1", Duration.ZERO)));
    }

    @Test
    void cancellingAndDeactivatingEndPendingConnects() throws Exception {
        int port = saturated().getLocalPort();
        CompletableFuture<CheckResult> first = type.run(spec("127.0.0.1:" + port, Duration.ofSeconds(60))).toCompletableFuture();
        assertTrue(first.cancel(true));
        CompletableFuture<CheckResult> second = type.run(spec("127.0.0.1:" + port, Duration.ofSeconds(60))).toCompletableFuture();
        type.deactivate();
        assertTrue(second.isCancelled());
    }

    @Test
    void validateNeedsAHostPortAndAnInterval() {
        type.validate(spec("127.0.0.1:80", Duration.ZERO));
        type.validate(spec("[::1]:80", Duration.ZERO));
        type.validate(spec("db.example.com:5432", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> type.validate(
                new CheckSpec("c1", "tcp", Duration.ofSeconds(10), Duration.ZERO, Map.of(), 0)));
        assertEquals("tcp: address ::1:80: too many colons in address",
                assertThrows(IllegalArgumentException.class, () -> type.validate(spec("::1:80", Duration.ZERO))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec("db:http", Duration.ZERO)));
        CheckSpec noInterval = new CheckSpec("c1", "tcp", Duration.ZERO, Duration.ZERO, Map.of("tcp", "127.0.0.1:80"), 0);
        assertEquals(TcpCheckType.INTERVAL_REQUIRED,
                assertThrows(IllegalArgumentException.class, () -> type.validate(noInterval)).getMessage());
    }
}
