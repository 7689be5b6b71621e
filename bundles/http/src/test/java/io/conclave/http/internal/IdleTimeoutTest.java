package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code idle_timeout} closes idle keep-alive connections, but never cuts a parked read short. */
class IdleTimeoutTest {

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withIdleTimeout(Duration.ofMillis(300)), b -> 0);
             Socket s = new Socket("127.0.0.1", h.server.port())) {
            s.setSoTimeout((int) Harness.BOUND.toMillis());
            s.getOutputStream().write("GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
            long start = System.nanoTime();
            // Drain the rest of the answer, then wait for the server to hang up.
            while (in.read() >= 0) {
                // keep reading until EOF
            }
            long idleMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(idleMillis >= 200 && idleMillis < Harness.BOUND.toMillis(), "closed after " + idleMillis + "ms");
        }
    }

    @Test
    void aParkedReadOutlivesTheIdleTimeout() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withIdleTimeout(Duration.ofMillis(200)), b -> 0)) {
            h.put("/v1/kv/idle/k", "v");
            String index = h.get("/v1/kv/idle/k").headers().firstValue("X-Consul-Index").orElseThrow();
            long start = System.nanoTime();
            RawHttp.Reply r = RawHttp.exchange(h.server.port(), "GET", "/v1/kv/idle/k?index=" + index + "&wait=1s",
                    null, Harness.BOUND);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, r.status());
            assertEquals(index, r.header("X-Consul-Index"));
            assertTrue(tookMillis >= 950, "answered after " + tookMillis + "ms");
        }
    }
}
