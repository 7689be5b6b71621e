package io.conclave.launcher.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.conclave.launcher.Cli;
import io.conclave.launcher.cli.Ui;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kv verbs against a tiny fake of the agent's KV endpoint. */
class KvCommandsTest {

    private HttpServer server;
    private final TreeMap<String, byte[]> store = new TreeMap<>();
    private final Map<String, Long> flags = new TreeMap<>();
    private final List<String> requests = new ArrayList<>();
    private long index = 4;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String stdin = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/kv/", ex -> {
            String key = ex.getRequestURI().getPath().substring("/v1/kv/".length());
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] body = ex.getRequestBody().readAllBytes();
            String answer = null;
            int status = 200;
            switch (ex.getRequestMethod()) {
                case "PUT" -> {
                    if (query.contains("cas=") && !query.contains("cas=" + index)) {
                        answer = "false";
                    } else {
                        store.put(key, body);
                        flags.put(key, query.contains("flags=") ? Long.parseLong(query.replaceAll(".*flags=(\\d+).*", "$1")) : 0L);
                        index++;
                        answer = "true";
                    }
                }
                case "DELETE" -> {
                    if (query.contains("recurse")) {
                        store.keySet().removeIf(k -> k.startsWith(key));
                    } else {
                        store.remove(key);
                    }
                    answer = "true";
                }
                default -> {
                    List<String> matches = store.keySet().stream()
                            .filter(k -> query.contains("recurse") || query.contains("keys") ? k.startsWith(key) : k.equals(key))
                            .toList();
                    if (matches.isEmpty()) {
                        status = 404;
                        answer = "";
                    } else if (query.contains("keys")) {
                        answer = "[" + String.join(",", matches.stream().map(k -> "\"" + k + "\"").toList()) + "]";
                    } else {
                        List<String> items = new ArrayList<>();
                        for (String k : matches) {
                            items.add("{\"LockIndex\":0,\"Key\":\"" + k + "\",\"Flags\":" + flags.get(k) + ",\"Value\":"
                                    + (store.get(k).length == 0 ? "null" : "\"" + Base64.getEncoder().encodeToString(store.get(k)) + "\"")
                                    + ",\"CreateIndex\":5,\"ModifyIndex\":" + index + "}");
                        }
                        answer = "[" + String.join(",", items) + "]";
                    }
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Ui ui = new Ui(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:" + server.getAddress().getPort());
        return new Cli(ui, env).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetPrintsTheRawValue() {
        assertEquals(0, run("kv", "put", "redis/config/connections", "5"));
        assertEquals("Success! Data written to: redis/config/connections\n", out());
        assertEquals(0, run("kv", "get", "redis/config/connections"));
        assertEquals("5\n", out());
        assertEquals(0, run("kv", "get", "/redis/config/connections"));
        assertEquals("5\n", out());
    }

    @Test
    void missingKeyIsAnError() {
        assertEquals(1, run("kv", "get", "nope"));
        assertEquals("Error! No key exists at: nope\n", err());
        assertEquals(1, run("kv", "get"));
        assertEquals("Error! Missing KEY argument\n", err());
    }

    @Test
    void detailedOutputIsTabwriterAligned() {
        run("kv", "put", "-flags=42", "foo", "bar");
        assertEquals(0, run("kv", "get", "-detailed", "foo"));
        assertEquals("CreateIndex      5\n"
                + "Flags            42\n"
                + "Key              foo\n"
                + "LockIndex        0\n"
                + "ModifyIndex      5\n"
                + "Session          -\n"
                + "Value            bar\n", out());
        assertTrue(requests.contains("PUT /v1/kv/foo?flags=42"), requests.toString());
    }

    @Test
    void recurseKeysAndBase64() {
        run("kv", "put", "app/a", "1");
        run("kv", "put", "app/b", "2");
        assertEquals(0, run("kv", "get", "-recurse", "app"));
        assertEquals("app/a:1\napp/b:2\n", out());
        assertEquals(0, run("kv", "get", "-keys", "app/"));
        assertEquals("app/a\napp/b\n", out());
        assertTrue(requests.contains("GET /v1/kv/app/?keys&separator=%2F"), requests.toString());
        assertEquals(0, run("kv", "get", "-base64", "-recurse", "app/a"));
        assertEquals("app/a:MQ==\n", out());
        assertEquals(0, run("kv", "get", "-recurse", "none"));
        assertEquals("", out());
    }

    @Test
    void casFailureAndSuccess() {
        run("kv", "put", "k", "v1");
        assertEquals(1, run("kv", "put", "-cas", "-modify-index=2", "k", "v2"));
        assertEquals("Error! Did not write to k: CAS failed\n", err());
        assertEquals(0, run("kv", "put", "-cas", "-modify-index=5", "k", "v2"));
        assertEquals("Success! Data written to: k\n", out());
        assertEquals(1, run("kv", "put", "-cas", "k", "v3"));
        assertEquals("Must specify -modify-index with -cas!\n", err());
    }

    @Test
    void putReadsStdinAndFilesAndBase64() throws Exception {
        stdin = "from stdin";
        assertEquals(0, run("kv", "put", "s", "-"));
        assertArrayEquals("from stdin".getBytes(StandardCharsets.UTF_8), store.get("s"));
        assertEquals(0, run("kv", "put", "-base64", "b", "aGVsbG8="));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), store.get("b"));
        assertEquals(1, run("kv", "put", "f", "@/nonexistent/file"));
        assertTrue(err().startsWith("Error! Failed to read file: "), err());
        assertEquals(0, run("kv", "put", "empty"));
        assertArrayEquals(new byte[0], store.get("empty"));
    }

    @Test
    void deleteMessages() {
        run("kv", "put", "a/b", "1");
        run("kv", "put", "a/c", "1");
        assertEquals(0, run("kv", "delete", "a/b"));
        assertEquals("Success! Deleted key: a/b\n", out());
        assertEquals(0, run("kv", "delete", "-recurse", "a"));
        assertEquals("Success! Deleted keys with prefix: a\n", out());
        assertTrue(store.isEmpty());
        assertEquals(1, run("kv", "delete", "-cas", "-recurse", "-modify-index=1", "x"));
        assertEquals("Cannot specify both -cas and -recurse!\n", err());
    }

    @Test
    void exportAndImportRoundTrip() {
        run("kv", "put", "-flags=3", "cfg/a", "<x>");
        run("kv", "put", "cfg/b", "");
        assertEquals(0, run("kv", "export", "cfg"));
        String exported = out();
        assertEquals("[\n"
                + "\t{\n\t\t\"key\": \"cfg/a\",\n\t\t\"flags\": 3,\n\t\t\"value\": \"PHg+\"\n\t},\n"
                + "\t{\n\t\t\"key\": \"cfg/b\",\n\t\t\"flags\": 0,\n\t\t\"value\": \"\"\n\t}\n"
                + "]\n", exported);
        store.clear();
        stdin = exported;
        assertEquals(0, run("kv", "import", "-"));
        assertEquals("Imported: cfg/a\nImported: cfg/b\n", out());
        assertArrayEquals("<x>".getBytes(StandardCharsets.UTF_8), store.get("cfg/a"));
        assertEquals(3L, flags.get("cfg/a"));
        assertEquals(0, run("kv", "export", "nothing"));
        assertEquals("[]\n", out());
        assertEquals(1, run("kv", "import", "{\"key\":1}"));
        assertTrue(err().startsWith("Cannot unmarshal data: "), err());
    }

    @Test
    void unreachableAgentReadsLikeConsul() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        out.reset();
        err.reset();
        Ui ui = new Ui(new PrintStream(out, true), new PrintStream(err, true), new ByteArrayInputStream(new byte[0]));
        int code = new Cli(ui, Map.of()).run(new String[] {"kv", "get", "-http-addr=127.0.0.1:" + port, "foo"});
        assertEquals(1, code);
        assertEquals("Error querying Conclave agent: Get \"http://127.0.0.1:" + port
                + "/v1/kv/foo\": dial tcp 127.0.0.1:" + port + ": connect: connection refused\n", err());
    }

    @Test
    void prettyPairWithSessionAndBase64() {
        KvPair p = new KvPair("k", 1, 2, 3, 0, "v".getBytes(StandardCharsets.UTF_8), "abc");
        assertEquals("CreateIndex      1\nFlags            0\nKey              k\nLockIndex        3\n"
                + "ModifyIndex      2\nSession          abc\nValue            dg==",
                new String(KvCommands.prettyKvPair(p, true), StandardCharsets.UTF_8));
    }
}
