package io.conclave.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 10,000 blocking queries parked on one agent at once (Consul's per-client-IP cap is 200, so they
 * come from 50 loopback addresses), the agent still answering other requests meanwhile, and every
 * one of them woken by a single write.
 */
class ParkedQueriesIT {

    private static final int PER_ADDRESS = 200;
    private static final int ADDRESSES = 50;
    private static final int QUERIES = PER_ADDRESS * ADDRESSES;

    @Test
    void tenThousandParkedQueriesAllWakeOnOneWrite() throws Exception {
        try (AgentProcess agent = AgentProcess.startDev("e2e-parked");
             Selector selector = Selector.open()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(agent.url("/v1/kv/park/key")))
                    .PUT(HttpRequest.BodyPublishers.ofString("0")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode());
            long index = Long.parseLong(put.headers().firstValue("X-Consul-Index").orElse("0"));
            if (index == 0) {
                index = Long.parseLong(http.send(HttpRequest.newBuilder(URI.create(agent.url("/v1/kv/park/key"))).build(),
                        HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Consul-Index").orElseThrow());
            }
            byte[] request = ("GET /v1/kv/park/key?index=" + index + "&wait=5m HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);

            Map<SocketChannel, StringBuilder> responses = new HashMap<>();
            List<SocketChannel> channels = new ArrayList<>(QUERIES);
            try {
                for (int a = 0; a < ADDRESSES; a++) {
                    String source = "127.0.1." + (a + 1);
                    for (int i = 0; i < PER_ADDRESS; i++) {
                        SocketChannel ch = SocketChannel.open();
                        channels.add(ch);
                        ch.bind(new InetSocketAddress(source, 0));
                        ch.connect(new InetSocketAddress("127.0.0.1", agent.httpPort));
                        ByteBuffer buf = ByteBuffer.wrap(request);
                        while (buf.hasRemaining()) {
                            ch.write(buf);
                        }
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                        responses.put(ch, new StringBuilder());
                    }
                }

                // While they are parked the agent must keep serving ordinary requests.
                long start = System.nanoTime();
                HttpResponse<String> leader = http.send(HttpRequest.newBuilder(URI.create(agent.url("/v1/status/leader")))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, leader.statusCode());
                assertEquals(0, selector.selectNow(), "a parked query answered before any write");
                System.out.printf("10,000 parked: /v1/status/leader answered in %d ms%n", (System.nanoTime() - start) / 1_000_000);

                http.send(HttpRequest.newBuilder(URI.create(agent.url("/v1/kv/park/key")))
                        .PUT(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.ofString());

                int complete = 0;
                int ok = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (complete < QUERIES && System.nanoTime() < deadline) {
                    selector.select(1000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        buf.clear();
                        int n = ch.read(buf);
                        StringBuilder sb = responses.get(ch);
                        if (n > 0) {
                            sb.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                        }
                        if (sb.indexOf("\r\n\r\n") >= 0 || n < 0) {
                            key.cancel();
                            complete++;
                            if (sb.toString().startsWith("HTTP/1.1 200")) {
                                ok++;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
                assertEquals(QUERIES, complete, "parked queries answered after the write");
                assertEquals(QUERIES, ok, "parked queries answered 200");
            } finally {
                for (SocketChannel ch : channels) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // closing best-effort
                    }
                }
            }
            assertTrue(agent.process.isAlive());
        }
    }
}
