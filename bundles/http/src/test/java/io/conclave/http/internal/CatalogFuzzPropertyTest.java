package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Random catalog and health calls (paths, node-meta, tags, passing, filters, register and deregister
 * bodies) never get a 5xx but the catalog's documented refusals, never HTML or a stack trace, and always
 * an answer in time.
 */
class CatalogFuzzPropertyTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final List<String> REFUSALS = List.of("No path to datacenter", "Must provide node",
            "failed inserting check: Missing service registration");
    private static Harness h;

    @BeforeContainer
    static void start() throws Exception {
        h = new Harness();
        h.put("/v1/catalog/register", CatalogApiTest.tutorialRegistration("fuzz-node", ""));
    }

    @AfterContainer
    static void stop() {
        h.close();
        h.agent.catalog.close();
    }

    record Call(String method, String target, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 500, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void onlyDocumentedAnswers(@ForAll("calls") Call call) throws Exception {
        RawHttp.Reply r = RawHttp.exchange(h.server.port(), call.method(), call.target(), call.body(), BOUND);
        String text = r.text();
        if (r.status() >= 500) {
            assertTrue(r.status() == 500 && REFUSALS.contains(text), call + " -> " + r.status() + " " + text);
        }
        assertFalse(text.contains("<html") || text.contains("\tat ") || text.contains("Exception"), call + " leaked: " + text);
        if (r.status() >= 400 && !text.isEmpty()) {
            assertTrue(r.header("Content-Type").startsWith("text/plain"), call + " -> " + r.header("Content-Type"));
        }
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("web", "fuzz-node", "nope", "", "a%2Fb", "%zz", "WEB",
                "critical", "passing", "any", "bogus"), Arbitraries.strings().alpha().numeric().ofMaxLength(8));
        Arbitrary<String> path = Combinators.combine(Arbitraries.of("/v1/catalog/service/", "/v1/catalog/node/",
                "/v1/health/node/", "/v1/health/checks/", "/v1/health/service/", "/v1/health/state/", "/v1/catalog/nodes",
                "/v1/catalog/services", "/v1/catalog/datacenters"), name).as((p, n) -> p.endsWith("/") ? p + n : p);
        Arbitrary<String> filter = Arbitraries.oneOf(
                Arbitraries.of("Node == web", "Service.Tags contains java", "Checks.Status != passing", "Meta.x is empty",
                        "Status == critical", "ServiceTags is empty", "Bogus == 1", "(((", "\"", "not not ServicePort == 1"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> param = Arbitraries.oneOf(
                filter.map(f -> "filter=" + enc(f)),
                Arbitraries.of("node-meta=consul-network-segment:", "node-meta=a:b", "node-meta=", "node-meta=x",
                        "tag=java", "tag=", "tag=a&tag=b", "passing", "passing=1", "passing=false", "passing=nope",
                        "pretty", "stale", "consistent", "dc=dc1", "dc=dc2", "index=1&wait=20ms", "index=x", "wait=x"));
        Arbitrary<Call> reads = Combinators.combine(path, param.list().ofMaxSize(4))
                .as((p, ps) -> new Call("GET", ps.isEmpty() ? p : p + "?" + String.join("&", ps), null));
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.of("", "{}", "null", "[]", "\"x\"", "{", "{\"Node\":\"n\",\"Address\":\"1\"}",
                        "{\"Node\":\"n\",\"Address\":\"1\",\"Service\":{\"Service\":\"s\",\"Port\":\"x\"}}",
                        "{\"Node\":\"n\",\"Address\":\"1\",\"Check\":{\"Name\":\"c\",\"ServiceID\":\"nope\"}}",
                        "{\"Node\":\"n\",\"Address\":\"1\",\"Checks\":[null,{\"Name\":\"c\"}],\"NodeMeta\":{\"a\":1}}",
                        "{\"node\":\"n\",\"address\":\"1\",\"check\":{\"definition\":{\"interval\":\"nope\"}}}",
                        "{\"Node\":\"n\",\"Datacenter\":\"dc2\",\"Address\":\"1\"}",
                        "{\"Node\":\"n\",\"Address\":\"1\",\"Service\":{\"Service\":\"s\",\"Port\":99999999999}}"),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<Call> writes = Combinators.combine(Arbitraries.of("/v1/catalog/register", "/v1/catalog/deregister"), body)
                .as((p, b) -> new Call("PUT", p, b.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(reads, writes);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
