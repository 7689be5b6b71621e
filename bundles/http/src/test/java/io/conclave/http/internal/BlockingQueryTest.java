package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Blocking reads over a real listener: parked without a thread, woken by a write, ended by their wait. */
class BlockingQueryTest {

    private static long index(HttpResponse<?> r) {
        return Long.parseLong(r.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(Harness h, String pathAndQuery) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(h.base() + pathAndQuery)).timeout(Harness.BOUND).build();
        return h.client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aParkedReadIsWokenByAWriteToItsKey() throws Exception {
        try (Harness h = new Harness()) {
            long before = index(h.get("/v1/kv/w/k"));
            h.put("/v1/kv/w/k", "one");
            long i = index(h.get("/v1/kv/w/k"));
            assertTrue(i > before);

            CompletableFuture<HttpResponse<String>> parked = getAsync(h, "/v1/kv/w/k?raw&index=" + i + "&wait=30s");
            Harness.await("the read to park", () -> h.agent.kv.parked() == 1);
            assertTrue(!parked.isDone());

            h.put("/v1/kv/w/k", "two");
            HttpResponse<String> woken = parked.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, woken.statusCode());
            assertEquals("two", woken.body());
            assertTrue(index(woken) > i);
        }
    }

    @Test
    void aWatchOnAMissingKeyWakesWhenItIsCreated() throws Exception {
        try (Harness h = new Harness()) {
            HttpResponse<String> missing = h.get("/v1/kv/w/later");
            assertEquals(404, missing.statusCode());
            CompletableFuture<HttpResponse<String>> parked = getAsync(h, "/v1/kv/w/later?index=" + index(missing));
            Harness.await("the read to park", () -> h.agent.kv.parked() == 1);
            h.put("/v1/kv/w/later", "now");
            HttpResponse<String> woken = parked.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, woken.statusCode());
            assertTrue(woken.body().contains("\"Key\":\"w/later\""));
        }
    }

    @Test
    void aReadWhoseWaitEndsAnswers200WithTheSameIndex() throws Exception {
        try (Harness h = new Harness()) {
            h.put("/v1/kv/w/quiet", "v");
            long i = index(h.get("/v1/kv/w/quiet"));
            long start = System.nanoTime();
            HttpResponse<String> r = h.get("/v1/kv/w/quiet?index=" + i + "&wait=300ms");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, r.statusCode());
            assertEquals(i, index(r));
            assertTrue(tookMillis >= 290, "answered after " + tookMillis + "ms");
        }
    }

    @Test
    void theEndpointIsGivenTheClampedAndJitteredWait() throws Exception {
        // Pin the jitter to its maximum: bound - 1 nanoseconds.
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0), bound -> bound - 1)) {
            h.put("/v1/kv/j/k", "v");
            h.put("/v1/kv/j/k", "v2"); // ModifyIndex above 1, so index=1 answers at once

            h.get("/v1/kv/j/k?index=1&wait=1h");
            Duration tenMinutes = Duration.ofMinutes(10);
            assertEquals(tenMinutes.plusNanos(tenMinutes.toNanos() / 16 - 1), h.agent.kv.lastOptions.maxWait());

            h.get("/v1/kv/j/k?index=1");
            Duration five = Duration.ofMinutes(5);
            assertEquals(five.plusNanos(five.toNanos() / 16 - 1), h.agent.kv.lastOptions.maxWait());

            h.get("/v1/kv/j/k?index=1&wait=16s");
            assertEquals(Duration.ofSeconds(17).minusNanos(1), h.agent.kv.lastOptions.maxWait());

            h.get("/v1/kv/j/k?wait=16s");
            assertEquals(Duration.ofSeconds(16), h.agent.kv.lastOptions.maxWait(), "no jitter without an index");
            assertEquals(0, h.agent.kv.lastOptions.minIndex());

            h.get("/v1/kv/j/k?index=1&stale");
            assertEquals(io.conclave.api.query.Consistency.STALE, h.agent.kv.lastOptions.consistency());
        }
    }

    @Test
    void parkedReadsHoldNoThread() throws Exception {
        // More parked reads than the pool has threads: if each held one, nothing else could be served.
        int parkedCount = 300;
        Settings settings = Settings.DEFAULTS.withPort(0).withMaxConnsPerClient(0);
        try (Harness h = new Harness(settings, bound -> 0)) {
            assertTrue(parkedCount > settings.maxThreads());
            h.put("/v1/kv/many/k", "v");
            long i = index(h.get("/v1/kv/many/k"));
            List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
            for (int n = 0; n < parkedCount; n++) {
                parked.add(getAsync(h, "/v1/kv/many/k?index=" + i + "&wait=60s"));
            }
            Harness.await("all reads to park", () -> h.agent.kv.parked() == parkedCount);

            HttpResponse<String> leader = h.get("/v1/status/leader");
            assertEquals(200, leader.statusCode());

            h.put("/v1/kv/many/k", "woken");
            for (CompletableFuture<HttpResponse<String>> f : parked) {
                HttpResponse<String> r = f.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertTrue(index(r) > i);
            }
        }
    }

    @Test
    void aClientThatHangsUpOnAParkedReadFreesItsConnectionAtOnce() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0).withMaxConnsPerClient(1), bound -> 0)) {
            h.put("/v1/kv/gone/k", "v");
            long i = index(h.get("/v1/kv/gone/k"));
            java.net.Socket s = new java.net.Socket();
            s.bind(new java.net.InetSocketAddress("127.0.0.4", 0));
            s.connect(new java.net.InetSocketAddress("127.0.0.1", h.server.port()));
            s.getOutputStream().write(("GET /v1/kv/gone/k?index=" + i + "&wait=60s HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Harness.await("the read to park", () -> h.agent.kv.parked() == 1);
            s.close();
            // The only slot for 127.0.0.4 comes back long before the 60 s wait would end.
            Harness.await("the slot to come back", () -> {
                try {
                    return RawHttp.exchange("127.0.0.4", h.server.port(), "GET", "/v1/status/leader", null,
                            Harness.BOUND).status() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void theConnectionStaysUsableAfterAParkedReadIsAnswered() throws Exception {
        try (Harness h = new Harness();
             java.net.Socket s = new java.net.Socket("127.0.0.1", h.server.port())) {
            h.put("/v1/kv/ka/k", "v");
            long i = index(h.get("/v1/kv/ka/k"));
            s.setSoTimeout((int) Harness.BOUND.toMillis());
            java.io.OutputStream out = s.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());

            out.write(("GET /v1/kv/ka/k?raw&index=" + i + "&wait=200ms HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
            out.flush();
            assertEquals("v", readOne(in));

            out.write("GET /v1/kv/ka/k?raw HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            out.flush();
            assertEquals("v", readOne(in));

            out.write(("GET /v1/kv/ka/k?raw&index=" + i + "&wait=30s HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
            out.flush();
            Harness.await("the read to park", () -> h.agent.kv.parked() == 1);
            h.put("/v1/kv/ka/k", "w");
            assertEquals("w", readOne(in));

            out.write("GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            out.flush();
            assertEquals("\"127.0.0.1:8300\"", readOne(in));
        }
    }

    /** Reads one Content-Length framed response off a kept-alive connection and returns its body. */
    private static String readOne(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed after: " + head);
            }
            head.append((char) c);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
