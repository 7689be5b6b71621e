package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code max_conns_per_client}: counted per source IP, parked reads included; the next one gets go-connlimit's 429. */
class ConnectionLimitTest {

    private static Socket parkedRead(int port, String sourceIp, long index) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(sourceIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) Harness.BOUND.toMillis());
        s.setSoTimeout((int) Harness.BOUND.toMillis());
        s.getOutputStream().write(("GET /v1/kv/limit/k?index=" + index + "&wait=60s HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void theConnectionOverTheLimitFromOneIpIsRefusedWith429() throws Exception {
        int limit = 3;
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withMaxConnsPerClient(limit), b -> 0)) {
            h.put("/v1/kv/limit/k", "v");
            long index = Long.parseLong(h.get("/v1/kv/limit/k").headers().firstValue("X-Consul-Index").orElseThrow());
            int port = h.server.port();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < limit; i++) {
                    held.add(parkedRead(port, "127.0.0.2", index));
                }
                Harness.await("the reads to park", () -> h.agent.kv.parked() == limit);

                RawHttp.Reply refused = RawHttp.exchange("127.0.0.2", port, "GET", "/v1/status/leader", null, Harness.BOUND);
                assertEquals(429, refused.status());
                assertEquals(PerClientLimit.TOO_MANY, refused.text());
                assertEquals("text/plain", refused.header("Content-Type"));

                RawHttp.Reply otherIp = RawHttp.exchange("127.0.0.3", port, "GET", "/v1/status/leader", null, Harness.BOUND);
                assertEquals(200, otherIp.status());

                held.remove(0).close();
                Harness.await("a slot to free up", () -> {
                    try {
                        return RawHttp.exchange("127.0.0.2", port, "GET", "/v1/status/leader", null, Harness.BOUND).status() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });

                h.put("/v1/kv/limit/k", "wake");
                for (Socket s : held) {
                    InputStream in = s.getInputStream();
                    byte[] head = in.readNBytes(12);
                    assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void zeroTurnsTheLimitOff() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withMaxConnsPerClient(0), b -> 0)) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket s = new Socket("127.0.0.1", h.server.port());
                    open.add(s);
                }
                assertEquals(200, RawHttp.exchange(h.server.port(), "GET", "/v1/status/leader", null, Harness.BOUND).status());
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void keepAliveConnectionsCountOnce() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withMaxConnsPerClient(1), b -> 0)) {
            // java.net.http reuses its one connection: sequential requests never trip a limit of 1.
            for (int i = 0; i < 20; i++) {
                assertEquals(200, h.get("/v1/status/leader").statusCode());
            }
            assertTrue(true);
        }
    }
}
