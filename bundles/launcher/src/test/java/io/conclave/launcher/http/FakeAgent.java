package io.conclave.launcher.http;

import com.sun.net.httpserver.HttpServer;
import io.conclave.launcher.cli.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on 127.0.0.1 standing in for an agent: it answers each {@code METHOD /path}
 * from a queue of canned answers (the last one repeats) and records every request with its body,
 * so a verb's requests and its output can both be checked. A JUnit extension: a test class
 * declares {@code @RegisterExtension final FakeAgent agent = new FakeAgent();} and each test gets
 * a server started before it and stopped after it. {@code GET /v1/agent/self} answers a minimal
 * agent unless a test replaces it.
 */
public final class FakeAgent implements BeforeEachCallback, AfterEachCallback {

    private record Answer(int status, String body, long index) {
    }

    private HttpServer server;
    private final Map<String, Deque<Answer>> answers = new HashMap<>();
    /** Each request as {@code METHOD /path?query}, decoded. */
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Each request's body, in the order of {@link #requests}. */
    public final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    public FakeAgent() {
        answer("GET /v1/agent/self", 200, "{\"Config\":{\"NodeName\":\"n1\"}}", 0);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String target = ex.getRequestMethod() + " " + URLDecoder.decode(ex.getRequestURI().getRawPath(),
                    StandardCharsets.UTF_8);
            String query = ex.getRequestURI().getRawQuery();
            requests.add(target + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8)));
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer a;
            synchronized (answers) {
                Deque<Answer> queue = answers.get(target);
                a = queue == null ? new Answer(404, "404 page not found", 0)
                        : queue.size() > 1 ? queue.poll() : queue.peek();
            }
            if (a.index() > 0) {
                ex.getResponseHeaders().add("X-Consul-Index", Long.toString(a.index()));
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        });
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
    }

    /** Queues an answer for {@code METHOD /path}; the last queued answer is repeated. */
    public FakeAgent answer(String target, int status, String body, long index) {
        synchronized (answers) {
            answers.computeIfAbsent(target, k -> new ArrayDeque<>()).add(new Answer(status, body, index));
        }
        return this;
    }

    /** Makes {@code status, body} the only answer to {@code METHOD /path}. */
    public FakeAgent replace(String target, int status, String body) {
        synchronized (answers) {
            answers.remove(target);
        }
        return answer(target, status, body, 0);
    }

    /** A fresh console for one command; {@link #out} and {@link #err} read what it printed. */
    public Ui ui() {
        out.reset();
        err.reset();
        return new Ui(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
    }

    /** An environment pointing the command at this agent. */
    public Map<String, String> env() {
        return Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:" + server.getAddress().getPort());
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
