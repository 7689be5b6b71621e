package io.conclave.check.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCheckTypeTest {

    /** What the server saw of one request. */
    record Seen(String method, String path, Headers headers, String body) {
    }

    private final HttpCheckType type = new HttpCheckType();
    private final CountDownLatch release = new CountDownLatch(1);
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        type.deactivate();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body));
        try {
            switch (ex.getRequestURI().getPath()) {
                case "/ok" -> reply(ex, 200, "ok");
                case "/created" -> reply(ex, 201, "");
                case "/busy" -> reply(ex, 429, "slow down");
                case "/fail" -> reply(ex, 500, "boom");
                case "/teapot" -> reply(ex, 418, "short and stout");
                case "/big" -> reply(ex, 200, "a".repeat(100_000));
                case "/redirect" -> {
                    ex.getResponseHeaders().add("Location", "/ok");
                    reply(ex, 302, "moved");
                }
                case "/slow" -> {
                    release.await(30, TimeUnit.SECONDS);
                    reply(ex, 200, "late");
                }
                case "/slowbody" -> {
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("part".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    release.await(30, TimeUnit.SECONDS);
                    out.close();
                }
                default -> reply(ex, 404, "no such page");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static CheckSpec spec(Map<String, Object> params, Duration timeout, int outputMaxSize) {
        return new CheckSpec("c1", "http", Duration.ofSeconds(10), timeout, params, outputMaxSize);
    }

    static CheckSpec get(String url) {
        return spec(Map.of("http", url), Duration.ZERO, 0);
    }

    CheckResult run(CheckSpec spec) throws Exception {
        return type.run(spec).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredsArePassingWithConsulsOutput() throws Exception {
        assertEquals(CheckResult.passing("HTTP GET " + base + "/ok: 200 OK Output: ok"), run(get(base + "/ok")));
        assertEquals(CheckResult.passing("HTTP GET " + base + "/created: 201 Created Output: "), run(get(base + "/created")));
    }

    @Test
    void tooManyRequestsIsWarning() throws Exception {
        assertEquals(CheckResult.warning("HTTP GET " + base + "/busy: 429 Too Many Requests Output: slow down"), run(get(base + "/busy")));
    }

    @Test
    void anyOtherStatusIsCritical() throws Exception {
        assertEquals(CheckResult.critical("HTTP GET " + base + "/fail: 500 Internal Server Error Output: boom"), run(get(base + "/fail")));
        assertEquals(CheckResult.critical("HTTP GET " + base + "/nope: 404 Not Found Output: no such page"), run(get(base + "/nope")));
        assertEquals(CheckResult.critical("HTTP GET " + base + "/teapot: 418 I'm a teapot Output: short and stout"), run(get(base + "/teapot")));
    }

    @Test
    void sendsConsulsUserAgentAndAcceptByDefault() throws Exception {
        run(get(base + "/ok"));
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertEquals("GET", s.method());
        assertEquals("Consul Health Check", s.headers().getFirst("User-Agent"));
        assertEquals("text/plain, text/*, */*", s.headers().getFirst("Accept"));
        assertEquals("", s.body());
    }

    @Test
    void sendsTheDefinitionsMethodHeadersAndBody() throws Exception {
        Map<String, Object> params = Map.of("http", base + "/ok?x=1", "method", "PUT", "body", "{\"probe\":true}",
                "header", Map.of("X-Check", List.of("a", "b"), "User-Agent", List.of("probe/1"), "Content-Type", "application/json"));
        assertEquals(CheckResult.passing("HTTP PUT " + base + "/ok?x=1: 200 OK Output: ok"), run(spec(params, Duration.ZERO, 0)));
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertEquals("PUT", s.method());
        assertEquals("/ok?x=1", s.path());
        assertEquals(List.of("a", "b"), s.headers().get("X-Check"));
        assertEquals("probe/1", s.headers().getFirst("User-Agent"));
        assertEquals("application/json", s.headers().getFirst("Content-Type"));
        assertEquals("text/plain, text/*, */*", s.headers().getFirst("Accept"));
        assertEquals("{\"probe\":true}", s.body());
    }

    @Test
    void plainHttpIsHttp11WithoutAnH2cUpgrade() throws Exception {
        run(get(base + "/ok"));
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertEquals(null, s.headers().getFirst("Upgrade"));
        assertEquals(null, s.headers().getFirst("HTTP2-Settings"));
    }

    @Test
    void redirectsAreFollowedUnlessDisabled() throws Exception {
        assertEquals(CheckResult.passing("HTTP GET " + base + "/redirect: 200 OK Output: ok"), run(get(base + "/redirect")));
        CheckSpec noRedirects = spec(Map.of("http", base + "/redirect", "disable_redirects", true), Duration.ZERO, 0);
        assertEquals(CheckResult.critical("HTTP GET " + base + "/redirect: 302 Found Output: moved"), run(noRedirects));
    }

    @Test
    void theBodyIsCutSoTheOutputFitsOutputMaxSize() throws Exception {
        String head = "HTTP GET " + base + "/big: 200 OK Output: ";
        CheckResult r = run(spec(Map.of("http", base + "/big"), Duration.ZERO, head.length() + 16));
        assertEquals(CheckResult.passing(head + "a".repeat(16)), r);
        r = run(get(base + "/big"));
        assertEquals(head + "a".repeat(4096 - head.length()), r.output());
        r = run(spec(Map.of("http", base + "/big"), Duration.ZERO, 10));
        assertEquals(head, r.output());
    }

    @Test
    void aCharacterCutInTwoIsDropped() {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, HttpCheckType.whole(new byte[] {'a', e[0]}));
        assertEquals(3, HttpCheckType.whole(new byte[] {'a', e[0], e[1]}));
        assertEquals(1, HttpCheckType.whole(new byte[] {'a', euro[0], euro[1]}));
        assertEquals(4, HttpCheckType.whole(new byte[] {'a', euro[0], euro[1], euro[2]}));
        assertEquals(0, HttpCheckType.whole(new byte[0]));
    }

    @Test
    void aRefusedConnectionIsCriticalWithGosError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/health";
        assertEquals(CheckResult.critical("Get \"" + url + "\": dial tcp 127.0.0.1:" + port + ": connect: connection refused"),
                run(get(url)));
        CheckSpec post = spec(Map.of("http", url, "method", "POST"), Duration.ZERO, 0);
        assertTrue(run(post).output().startsWith("Post \"" + url + "\": dial tcp"), run(post).output());
    }

    @Test
    void anUnknownHostIsCritical() throws Exception {
        CheckResult r = run(spec(Map.of("http", "http://nosuch.invalid/health"), Duration.ofSeconds(15), 0));
        assertEquals(CheckResult.critical("Get \"http://nosuch.invalid/health\": dial tcp: lookup nosuch.invalid: no such host"), r);
    }

    @Test
    void noAnswerWithinTheTimeoutIsCritical() throws Exception {
        long start = System.nanoTime();
        CheckResult r = run(spec(Map.of("http", base + "/slow"), Duration.ofMillis(300), 0));
        assertEquals(CheckResult.critical("Get \"" + base + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"), r);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aBodyStillArrivingAtTheTimeoutIsCritical() throws Exception {
        CheckResult r = run(spec(Map.of("http", base + "/slowbody"), Duration.ofMillis(500), 0));
        assertEquals(CheckResult.critical("Get \"" + base + "/slowbody\": context deadline exceeded "
                + "(Client.Timeout or context cancellation while reading body)"), r);
    }

    @Test
    void aHostOverrideNeedsTheJvmFlagAndSaysSo() throws Exception {
        CheckSpec spec = spec(Map.of("http", base + "/ok", "header", Map.of("Host", List.of("web.example"))), Duration.ZERO, 0);
        assertEquals(CheckResult.critical(Probe.HOST_RESTRICTED), run(spec));
    }

    @Test
    void headersTheClientOwnsAreLeftToIt() throws Exception {
        CheckSpec spec = spec(Map.of("http", base + "/ok",
                "header", Map.of("Connection", List.of("close"), "Content-Length", List.of("3"))), Duration.ZERO, 0);
        assertEquals("passing", run(spec).status());
    }

    @Test
    void cancellingOrDeactivatingEndsARunInFlight() throws Exception {
        CompletableFuture<CheckResult> first = type.run(spec(Map.of("http", base + "/slow"), Duration.ofSeconds(30), 0)).toCompletableFuture();
        assertTrue(first.cancel(true));
        CompletableFuture<CheckResult> second = type.run(spec(Map.of("http", base + "/slow"), Duration.ofSeconds(30), 0)).toCompletableFuture();
        type.deactivate();
        assertTrue(second.isCancelled());
        assertEquals("critical", run(get(base + "/ok")).status());
    }

    @Test
    void validateNeedsAnHttpUrlAndAnInterval() {
        type.validate(get("http://127.0.0.1:8080/health"));
        type.validate(get("https://[::1]:8443/"));
        type.validate(get("HTTPS://example.com"));
        for (String bad : List.of("", "127.0.0.1:8080/health", "ftp://example.com/", "http://", "http://exa mple.com/", "/health")) {
            assertThrows(IllegalArgumentException.class, () -> type.validate(get(bad)), bad);
        }
        Map<String, Object> badMethod = new HashMap<>(Map.of("http", "http://a/", "method", "GE T"));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(badMethod, Duration.ZERO, 0)));
        Map<String, Object> badHeader = new HashMap<>(Map.of("http", "http://a/", "header", List.of("X: y")));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(badHeader, Duration.ZERO, 0)));
        Map<String, Object> badSni = new HashMap<>(Map.of("http", "http://a/", "tls_server_name", "bad name"));
        assertThrows(IllegalArgumentException.class, () -> type.validate(spec(badSni, Duration.ZERO, 0)));
        CheckSpec noInterval = new CheckSpec("c1", "http", Duration.ZERO, Duration.ZERO, Map.of("http", "http://a/"), 0);
        assertEquals(HttpCheckType.INTERVAL_REQUIRED,
                assertThrows(IllegalArgumentException.class, () -> type.validate(noInterval)).getMessage());
    }

    @Test
    void statusTextIsGos() {
        assertEquals("200 OK", StatusText.status(200));
        assertEquals("503 Service Unavailable", StatusText.status(503));
        assertEquals("599", StatusText.status(599));
    }
}
