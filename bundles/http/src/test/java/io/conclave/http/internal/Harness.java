package io.conclave.http.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/** One real server on 127.0.0.1:0 over a {@link FakeAgent}, and an HTTP client for it. */
final class Harness implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(10);

    final FakeAgent agent = new FakeAgent();
    final ApiServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(BOUND).build();

    Harness() throws Exception {
        this(Settings.DEFAULTS.withPort(0), bound -> 0);
    }

    Harness(Settings settings, LongUnaryOperator stagger) throws Exception {
        server = new ApiServer(agent, settings, stagger);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> send(String method, String pathAndQuery) throws IOException, InterruptedException {
        return send(method, pathAndQuery, (byte[]) null);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
        return send(method, pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(BOUND);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery);
    }

    HttpResponse<String> put(String pathAndQuery, String body) throws IOException, InterruptedException {
        return send("PUT", pathAndQuery, body);
    }

    /** Polls {@code condition} until it holds, failing after {@link #BOUND}. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        server.stop();
        agent.kv.close();
        agent.gossip.close();
    }
}
