package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conclave.api.consensus.NotLeaderException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consul's KV endpoint over a real listener; each test works under its own key prefix. */
class KvApiTest {

    private static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static void assertMeta(HttpResponse<?> r) {
        assertTrue(Long.parseLong(header(r, "X-Consul-Index")) >= 1, "X-Consul-Index");
        assertEquals("true", header(r, "X-Consul-KnownLeader"));
        assertEquals("0", header(r, "X-Consul-LastContact"));
        assertEquals("leader", header(r, "X-Consul-Effective-Consistency"));
        assertEquals("allow", header(r, "X-Consul-Default-ACL-Policy"));
    }

    @Test
    void putThenGetAnswersConsulsDirEntry() throws Exception {
        HttpResponse<String> put = h.put("/v1/kv/rt/color?flags=42", "blue");
        assertEquals(200, put.statusCode());
        assertEquals("true", put.body());
        assertEquals("application/json", header(put, "Content-Type"));

        HttpResponse<String> get = h.get("/v1/kv/rt/color");
        assertEquals(200, get.statusCode());
        assertMeta(get);
        long index = Long.parseLong(header(get, "X-Consul-Index"));
        assertEquals("[{\"LockIndex\":0,\"Key\":\"rt/color\",\"Flags\":42,\"Value\":\"Ymx1ZQ==\",\"CreateIndex\":" + index
                + ",\"ModifyIndex\":" + index + "}]", get.body());
        assertEquals("application/json", header(get, "Content-Type"));
    }

    @Test
    void anEmptyBodyStoresANullValue() throws Exception {
        assertEquals("true", h.put("/v1/kv/empty/k", "").body());
        JsonNode entry = Json.mapper().readTree(h.get("/v1/kv/empty/k").body()).get(0);
        assertTrue(entry.get("Value").isNull());
        HttpResponse<String> raw = h.get("/v1/kv/empty/k?raw");
        assertEquals(200, raw.statusCode());
        assertEquals("", raw.body());
    }

    @Test
    void rawAnswersTheBytesAsInertText() throws Exception {
        byte[] value = {0, 1, (byte) 0xff, '<', 's', '>', '\n'};
        assertEquals(200, h.send("PUT", "/v1/kv/raw/bin", value).statusCode());
        HttpResponse<byte[]> raw = h.client.send(HttpRequest.newBuilder(URI.create(h.base() + "/v1/kv/raw/bin?raw"))
                .timeout(Harness.BOUND).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, raw.statusCode());
        assertArrayEquals(value, raw.body());
        assertEquals("text/plain", header(raw, "Content-Type"));
        assertEquals("nosniff", header(raw, "X-Content-Type-Options"));
        assertEquals("sandbox", header(raw, "Content-Security-Policy"));
        assertMeta(raw);
    }

    @Test
    void flagsCoverTheWholeUint64Range() throws Exception {
        assertEquals(200, h.put("/v1/kv/flags/max?flags=18446744073709551615", "x").statusCode());
        assertTrue(h.get("/v1/kv/flags/max").body().contains("\"Flags\":18446744073709551615,"));
    }

    @Test
    void recurseListsThePrefixInKeyOrderAndRawIsIgnoredThere() throws Exception {
        h.put("/v1/kv/rec/b", "2");
        h.put("/v1/kv/rec/a", "1");
        h.put("/v1/kv/rec/a/deeper", "3");
        h.put("/v1/kv/recx", "other");
        HttpResponse<String> list = h.get("/v1/kv/rec/?recurse&raw");
        assertEquals(200, list.statusCode());
        JsonNode entries = Json.mapper().readTree(list.body());
        assertEquals(3, entries.size());
        assertEquals("rec/a", entries.get(0).get("Key").asText());
        assertEquals("rec/a/deeper", entries.get(1).get("Key").asText());
        assertEquals("rec/b", entries.get(2).get("Key").asText());
        long max = 0;
        for (JsonNode e : entries) {
            max = Math.max(max, e.get("ModifyIndex").asLong());
        }
        assertEquals(Long.toString(max), header(list, "X-Consul-Index"));
    }

    @Test
    void missingKeysAndEmptyPrefixesAre404WithTheIndex() throws Exception {
        for (String path : new String[]{"/v1/kv/absent/key", "/v1/kv/absent/?recurse", "/v1/kv/absent/?keys"}) {
            HttpResponse<String> r = h.get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("", r.body(), path);
            assertMeta(r);
        }
    }

    @Test
    void keysCutAtTheSeparatorAndAcceptConsulsOldSpelling() throws Exception {
        h.put("/v1/kv/keys/a", "1");
        h.put("/v1/kv/keys/b/c", "2");
        h.put("/v1/kv/keys/b/d", "3");
        assertEquals("[\"keys/a\",\"keys/b/c\",\"keys/b/d\"]", h.get("/v1/kv/keys/?keys").body());
        assertEquals("[\"keys/a\",\"keys/b/\"]", h.get("/v1/kv/keys/?keys&separator=/").body());
        assertEquals("[\"keys/a\",\"keys/b/\"]", h.get("/v1/kv/keys/?keys&seperator=%2F").body());
        assertEquals("[\"keys/a\",\"keys/b/c\",\"keys/b/d\"]", h.get("/v1/kv/keys/?keys&seperator=/&separator=").body());
        // keys wins over recurse
        assertEquals("[\"keys/a\",\"keys/b/\"]", h.get("/v1/kv/keys/?recurse&keys&separator=/").body());
    }

    @Test
    void keysOfAnEmptyRootIsAnEmptyListNot404() throws Exception {
        try (Harness empty = new Harness()) {
            HttpResponse<String> r = empty.get("/v1/kv/?keys");
            assertEquals(200, r.statusCode());
            assertEquals("[]", r.body());
            assertEquals("1", header(r, "X-Consul-Index"));
            assertEquals(404, empty.get("/v1/kv/?recurse").statusCode());
        }
    }

    @Test
    void casCreatesOnlyWhenAbsentAndUpdatesOnlyAtTheRightIndex() throws Exception {
        assertEquals("true", h.put("/v1/kv/cas/k?cas=0", "v1").body());
        assertEquals("false", h.put("/v1/kv/cas/k?cas=0", "v2").body());
        long modify = Json.mapper().readTree(h.get("/v1/kv/cas/k").body()).get(0).get("ModifyIndex").asLong();
        assertEquals("false", h.put("/v1/kv/cas/k?cas=" + (modify + 100), "v3").body());
        assertEquals("true", h.put("/v1/kv/cas/k?cas=" + modify, "v4").body());
        assertEquals("v4", h.get("/v1/kv/cas/k?raw").body());
    }

    @Test
    void deleteDeleteCasAndDeleteTree() throws Exception {
        h.put("/v1/kv/del/a", "1");
        h.put("/v1/kv/del/b", "2");
        h.put("/v1/kv/del/c/d", "3");
        assertEquals("true", h.send("DELETE", "/v1/kv/del/a").body());
        assertEquals(404, h.get("/v1/kv/del/a").statusCode());
        assertEquals("true", h.send("DELETE", "/v1/kv/del/never-there").body());

        long modify = Json.mapper().readTree(h.get("/v1/kv/del/b").body()).get(0).get("ModifyIndex").asLong();
        assertEquals("false", h.send("DELETE", "/v1/kv/del/b?cas=" + (modify + 1)).body());
        assertEquals("true", h.send("DELETE", "/v1/kv/del/b?cas=" + modify).body());

        assertEquals("true", h.send("DELETE", "/v1/kv/del/?recurse").body());
        assertEquals(404, h.get("/v1/kv/del/?recurse").statusCode());
    }

    @Test
    void keysArePercentDecodedAndKeepEverySlash() throws Exception {
        assertEquals(200, h.put("/v1/kv/enc/a%2Fb%20c%25d%3Fe", "1").statusCode());
        assertEquals(200, h.put("/v1/kv/enc/semi;colon", "2").statusCode());
        assertEquals(200, h.put("/v1/kv/enc/double//slash", "3").statusCode());
        assertEquals(200, h.put("/v1/kv/enc/plus+sign", "4").statusCode());
        JsonNode list = Json.mapper().readTree(h.get("/v1/kv/enc/?recurse").body());
        assertEquals("enc/a/b c%d?e", list.get(0).get("Key").asText());
        assertEquals("enc/double//slash", list.get(1).get("Key").asText());
        assertEquals("enc/plus+sign", list.get(2).get("Key").asText());
        assertEquals("enc/semi;colon", list.get(3).get("Key").asText());
        assertEquals("1", h.get("/v1/kv/enc/a/b%20c%25d%3Fe?raw").body());
    }

    @Test
    void jsonEscapesLikeGo() throws Exception {
        h.put("/v1/kv/esc/%3Ca%26b%3E", "1");
        assertTrue(h.get("/v1/kv/esc/?recurse").body().contains("\"Key\":\"esc/\\u003ca\\u0026b\\u003e\""));
    }

    @Test
    void prettyIndentsWithFourSpacesAndATrailingNewline() throws Exception {
        assertEquals("true\n", h.put("/v1/kv/pretty/k?pretty", "v").body());
        String body = h.get("/v1/kv/pretty/?keys&pretty").body();
        assertEquals("[\n    \"pretty/k\"\n]\n", body);
        assertTrue(h.get("/v1/kv/pretty/k?pretty").body().startsWith("[\n    {\n        \"LockIndex\": 0,\n        \"Key\": \"pretty/k\","));
    }

    @Test
    void badRequestsAre400WithConsulsText() throws Exception {
        String[][] cases = {
                {"GET", "/v1/kv/", "Missing key name"},
                {"PUT", "/v1/kv/", "Missing key name"},
                {"DELETE", "/v1/kv/", "Missing key name"},
                {"GET", "/v1/kv/k?index=abc", "Invalid index"},
                {"GET", "/v1/kv/k?wait=forever", "Invalid wait time"},
                {"PUT", "/v1/kv/k?index=-1", "Invalid index"},
                {"GET", "/v1/kv/k?stale&consistent", "Cannot specify ?stale with ?consistent, conflicting semantics."},
                {"PUT", "/v1/kv/k?flags=x", "strconv.ParseUint: parsing \"x\": invalid syntax"},
                {"PUT", "/v1/kv/k?flags=-1", "strconv.ParseUint: parsing \"-1\": invalid syntax"},
                {"PUT", "/v1/kv/k?cas=18446744073709551616", "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
                {"DELETE", "/v1/kv/k?cas=x", "strconv.ParseUint: parsing \"x\": invalid syntax"},
                {"PUT", "/v1/kv/k?cas=1&acquire=s", "Conflicting flags: acquire=s&cas=1"},
                {"PUT", "/v1/kv/k?release=s&acquire=t&flags=1", "Conflicting flags: acquire=t&flags=1&release=s"},
                {"DELETE", "/v1/kv/k?recurse&cas=1", "Conflicting flags: cas=1&recurse="},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = h.send(c[0], c[1], c[0].equals("PUT") ? "v" : null);
            assertEquals(400, r.statusCode(), c[0] + " " + c[1]);
            assertEquals(c[2], r.body(), c[0] + " " + c[1]);
            assertEquals("text/plain;charset=utf-8", header(r, "Content-Type").replace(" ", ""));
            assertEquals("allow", header(r, "X-Consul-Default-ACL-Policy"));
        }
    }

    @Test
    void undecodableQueriesAre400() throws Exception {
        RawHttp.Reply r = RawHttp.exchange(h.server.port(), "GET", "/v1/kv/k?a=%zz&b=1", null, Harness.BOUND);
        assertEquals(400, r.status());
        assertEquals("invalid URL escape \"%zz\"", r.text());
        RawHttp.Reply semi = RawHttp.exchange(h.server.port(), "GET", "/v1/kv/k?a=1;b=2", null, Harness.BOUND);
        assertEquals(400, semi.status());
        assertEquals("invalid semicolon separator in query", semi.text());
    }

    @Test
    void malformedRequestsGetGoStylePlainTextNotHtml() throws Exception {
        RawHttp.Reply badPath = RawHttp.exchange(h.server.port(), "GET", "/v1/kv/%zz", null, Harness.BOUND);
        assertEquals(400, badPath.status());
        assertEquals("400 Bad Request", badPath.text());
        assertTrue(badPath.header("content-type").startsWith("text/plain"));
        RawHttp.Reply badMethod = RawHttp.exchange(h.server.port(), "G\u0001T", "/v1/kv/k", null, Harness.BOUND);
        assertEquals(400, badMethod.status());
        assertFalse(badMethod.text().contains("<"), badMethod.text());
    }

    @Test
    void otherDatacentersHaveNoPath() throws Exception {
        assertEquals(200, h.put("/v1/kv/dc/k?dc=dc1", "v").statusCode());
        assertEquals(200, h.get("/v1/kv/dc/k?dc=dc1").statusCode());
        for (String[] c : new String[][]{{"GET", "/v1/kv/dc/k?dc=dc2"}, {"PUT", "/v1/kv/dc/k?dc=dc2"},
                {"DELETE", "/v1/kv/dc/k?dc=dc2"}, {"GET", "/v1/kv/dc/?keys&dc=DC1"}}) {
            HttpResponse<String> r = h.send(c[0], c[1], c[0].equals("PUT") ? "v" : null);
            assertEquals(500, r.statusCode(), c[1]);
            assertEquals("No path to datacenter", r.body());
        }
    }

    @Test
    void locksAnswerAsConsulDoesForAnUnknownSession() throws Exception {
        HttpResponse<String> acquire = h.put("/v1/kv/lock/k?acquire=4ca8e74b-6350-7587-addf-a18084928f3c", "v");
        assertEquals(500, acquire.statusCode());
        assertEquals("invalid session \"4ca8e74b-6350-7587-addf-a18084928f3c\"", acquire.body());
        HttpResponse<String> missing = h.put("/v1/kv/lock/k?acquire", "v");
        assertEquals(500, missing.statusCode());
        assertEquals("missing session", missing.body());
        HttpResponse<String> release = h.put("/v1/kv/lock/k?release=4ca8e74b-6350-7587-addf-a18084928f3c", "v");
        assertEquals(200, release.statusCode());
        assertEquals("false", release.body());
        assertEquals(404, h.get("/v1/kv/lock/k").statusCode());
    }

    @Test
    void noLeaderIs500NoClusterLeader() throws Exception {
        h.agent.kv.failWith = new NotLeaderException();
        try {
            HttpResponse<String> r = h.put("/v1/kv/noleader/k", "v");
            assertEquals(500, r.statusCode());
            assertEquals("No cluster leader", r.body());
            HttpResponse<String> g = h.get("/v1/kv/noleader/k");
            assertEquals(500, g.statusCode());
            assertEquals("No cluster leader", g.body());
        } finally {
            h.agent.kv.failWith = null;
        }
    }

    @Test
    void unexpectedFailuresAre500WithTheirMessageAndNoStackTrace() throws Exception {
        h.agent.kv.failWith = new IllegalStateException("raft: log is on fire");
        try {
            HttpResponse<String> r = h.put("/v1/kv/fire/k", "v");
            assertEquals(500, r.statusCode());
            assertEquals("raft: log is on fire", r.body());
        } finally {
            h.agent.kv.failWith = null;
        }
    }

    @Test
    void aValueOfExactlyTheLimitIsAcceptedAndOneByteMoreIs413() throws Exception {
        byte[] max = new byte[512 * 1024];
        java.util.Arrays.fill(max, (byte) 'x');
        HttpResponse<String> ok = h.send("PUT", "/v1/kv/size/max", max);
        assertEquals(200, ok.statusCode());
        assertEquals(max.length, h.get("/v1/kv/size/max?raw").body().length());

        byte[] over = new byte[512 * 1024 + 1];
        HttpResponse<String> tooLarge = h.send("PUT", "/v1/kv/size/over", over);
        assertEquals(413, tooLarge.statusCode());
        assertEquals("Request body(524289 bytes) too large, max size: 524288 bytes. "
                + "See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.", tooLarge.body());
        assertEquals(404, h.get("/v1/kv/size/over").statusCode());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() throws Exception {
        byte[] over = new byte[600 * 1024];
        HttpRequest req = HttpRequest.newBuilder(URI.create(h.base() + "/v1/kv/size/chunked")).timeout(Harness.BOUND)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(over))).build();
        HttpResponse<String> r = h.client.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertTrue(r.body().startsWith("Request body("), r.body());
        assertTrue(r.body().contains("too large, max size: 524288 bytes."), r.body());
    }

    @Test
    void wrongMethodsAre405WithAllow() throws Exception {
        String[][] cases = {
                {"POST", "/v1/kv/k", "OPTIONS,GET,PUT,DELETE"},
                {"PATCH", "/v1/kv/k", "OPTIONS,GET,PUT,DELETE"},
                {"HEAD", "/v1/kv/k", "OPTIONS,GET,PUT,DELETE"},
                {"POST", "/v1/status/leader", "OPTIONS,GET"},
                {"DELETE", "/v1/status/peers", "OPTIONS,GET"},
                {"PUT", "/v1/agent/self", "OPTIONS,GET"},
                {"GET", "/v1/agent/leave", "OPTIONS,PUT"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = h.send(c[0], c[1]);
            assertEquals(405, r.statusCode(), c[0] + " " + c[1]);
            assertEquals(c[2], header(r, "Allow"), c[0] + " " + c[1]);
            if (!c[0].equals("HEAD")) {
                assertEquals("method " + c[0] + " not allowed", r.body());
            }
        }
        HttpResponse<String> options = h.send("OPTIONS", "/v1/kv/k");
        assertEquals(200, options.statusCode());
        assertEquals("OPTIONS,GET,PUT,DELETE", header(options, "Allow"));
        assertEquals("", options.body());
    }

    @Test
    void unknownPathsAre404WithConsulsText() throws Exception {
        HttpResponse<String> api = h.get("/v1/no-such-endpoint/nodes");
        assertEquals(404, api.statusCode());
        assertEquals("Invalid URL path: not a recognized HTTP API endpoint\n", api.body());
        assertFalse(api.headers().firstValue("X-Consul-Default-ACL-Policy").isPresent());
        assertEquals(404, h.get("/v1/status/leader/extra").statusCode());
        HttpResponse<String> other = h.get("/favicon.ico");
        assertEquals("Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n", other.body());
        HttpResponse<String> root = h.get("/");
        assertEquals(200, root.statusCode());
        assertTrue(root.body().startsWith("Consul Agent"));
        HttpResponse<String> subtree = h.get("/v1/kv?recurse");
        assertEquals(301, subtree.statusCode());
        assertEquals(Optional.of("/v1/kv/?recurse"), subtree.headers().firstValue("Location"));
    }

    @Test
    void bodiesWithCurlsFormContentTypeAreStillRawValues() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(h.base() + "/v1/kv/form/k")).timeout(Harness.BOUND)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("a=b&c=d")).build();
        assertEquals("true", h.client.send(req, HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("a=b&c=d", h.get("/v1/kv/form/k?raw").body());
        String value = Json.mapper().readTree(h.get("/v1/kv/form/k").body()).get(0).get("Value").asText();
        assertEquals("a=b&c=d", new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }

    @Test
    void theAcceptHeaderDoesNotMatter() throws Exception {
        h.put("/v1/kv/accept/k", "v");
        HttpRequest req = HttpRequest.newBuilder(URI.create(h.base() + "/v1/kv/accept/k")).timeout(Harness.BOUND)
                .header("Accept", "text/html").GET().build();
        HttpResponse<String> r = h.client.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
    }

    @Test
    void aTrailingSlashIsPartOfTheKey() throws Exception {
        assertEquals("true", h.put("/v1/kv/folder/", "").body());
        assertEquals("[\"folder/\"]", h.get("/v1/kv/folder/?keys").body());
        assertEquals(200, h.get("/v1/kv/folder/").statusCode());
        assertEquals(404, h.get("/v1/kv/folder").statusCode());
    }
}
