package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random methods, paths, query strings and bodies under {@code /v1/} never get a 5xx other than the
 * ones Consul documents, never an HTML page or a stack trace, and always an answer within a bound.
 */
class ApiFuzzPropertyTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static Harness h;

    @BeforeContainer
    static void start() throws Exception {
        h = new Harness();
        h.put("/v1/kv/fuzz/a", "1");
        h.put("/v1/kv/fuzz/b/c", "2");
    }

    @AfterContainer
    static void stop() {
        h.close();
    }

    record Call(String method, String target, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + (body == null ? "" : " (" + body.length + " bytes)");
        }
    }

    @Property(tries = 600, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void neverAnUndocumented5xxAndAlwaysInTime(@ForAll("calls") Call call) throws Exception {
        RawHttp.Reply r = RawHttp.exchange(h.server.port(), call.method(), call.target(), call.body(), BOUND);
        String text = r.text();
        if (r.status() >= 500) {
            assertTrue(r.status() == 500 && (text.equals("No path to datacenter") || text.equals("missing session")
                    || text.startsWith("invalid session \"")), call + " -> " + r.status() + " " + text);
        }
        assertTrue(r.status() >= 200, call + " -> " + r.status());
        assertFalse(text.contains("<html") || text.contains("<HTML"), call + " answered HTML: " + text);
        assertFalse(text.contains("\tat ") || text.contains("Exception"), call + " leaked: " + text);
        if (r.status() >= 400 && !text.isEmpty()) {
            assertTrue(r.header("Content-Type").startsWith("text/plain"), call + " -> " + r.header("Content-Type"));
        }
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("GET")),
                net.jqwik.api.Tuple.of(4, Arbitraries.just("PUT")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("DELETE")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("POST", "HEAD", "OPTIONS", "PATCH", "TRACE")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(8)));
        Arbitrary<List<String>> params = param().list().ofMaxSize(6);
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just((byte[]) null)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(2048)));
        return Combinators.combine(method, path(), params, body).as((m, p, ps, b) -> new Call(m, target(p, ps), b));
    }

    /** Joins the pairs; a read that would block gets a short wait first, since the first value is the one used. */
    private static String target(String path, List<String> params) {
        List<String> all = new ArrayList<>(params);
        try {
            GoQuery q = GoQuery.parse(String.join("&", all));
            String index = q.get("index");
            if (!index.isEmpty() && index.chars().allMatch(Character::isDigit) && !index.matches("0+")) {
                all.add(0, "wait=20ms");
            }
        } catch (HttpError undecodable) {
            // answered 400 before anything could block
        }
        return all.isEmpty() ? path : path + "?" + String.join("&", all);
    }

    private static Arbitrary<String> path() {
        Arbitrary<String> keyPart = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars('-', '_', '.', '/').ofMaxLength(12),
                Arbitraries.of("%2F", "%25", "%20", "+", ";", "%C3%A9", "..", "//", "fuzz/", "fuzz/a", "%2e%2e", "%00",
                        "\"", "|", "{x}", "%", "%zz", "?", "#", "~"));
        Arbitrary<String> key = keyPart.list().ofMaxSize(4).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(
                key.map(k -> "/v1/kv/" + k),
                Arbitraries.of("/v1/kv", "/v1/status/leader", "/v1/status/peers", "/v1/agent/self", "/v1/agent/leave",
                        "/v1/", "/v1/status/", "/v1/agent/self/x", "/v1/catalog/nodes", "/", "/v1//kv/x", "/v1/kv/../status/leader"),
                key.map(k -> "/v1/" + k));
    }

    private static Arbitrary<String> param() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("index", "wait", "stale", "consistent", "recurse", "keys", "raw", "separator", "seperator",
                        "cas", "flags", "acquire", "release", "pretty", "cached", "max_stale", "leader", "dc", "token",
                        "filter", "near", "ns"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("%zz", "%", "a;b", "%2F", "+", "=", ""));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.just(""),
                Arbitraries.longs().between(0, 50).map(n -> Long.toString(n)),
                Arbitraries.of("18446744073709551615", "18446744073709551616", "99999999999999999999999999", "-1", "+5",
                        "1e3", "0x10", " 7", "%31", "007"),
                Arbitraries.of("5s", "1m", "0", "-1s", "1.5h", "3000ms", "20ms", "10m", "2h", "1us", "9.87s", "1h1m1s",
                        "s", "5", "5x", "..5s"),
                Arbitraries.of("dc1", "DC1", "dc2", "true", "false"),
                Arbitraries.strings().ascii().ofMaxLength(10).map(ApiFuzzPropertyTest::percentEncode),
                Arbitraries.of("%zz", "%", "%4", "a;b", "%E2%82", "%C3%A9", "+++"));
        return Combinators.combine(name, value).as((n, v) -> v == null ? n : n + "=" + v);
    }

    /** Keeps the request line legal: everything outside unreserved characters is escaped. */
    private static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
