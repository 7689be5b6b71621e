package io.conclave.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand blocking reads parked on one agent at once, from a hundred source addresses (so the
 * default 200-per-client limit holds), all woken by one write. The clients run in a child JVM: server
 * and clients together would need more file descriptors than one process may have here.
 */
class ManyParkedReadsTest {

    private static final int COUNT = Integer.getInteger("conclave.http.parkedReads", 10_000);
    private static final int PER_IP = 100;
    private static final long BOUND_SECONDS = 90;

    @Test
    void tenThousandParkedReadsAreAllWokenByOneWrite() throws Exception {
        try (Harness h = new Harness(Settings.DEFAULTS.withPort(0), bound -> 0)) {
            h.put("/v1/kv/tenk/k", "before");
            long index = Long.parseLong(h.get("/v1/kv/tenk/k").headers().firstValue("X-Consul-Index").orElseThrow());

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                    ParkedClients.class.getName(), Integer.toString(h.server.port()), Integer.toString(COUNT),
                    Integer.toString(PER_IP), "/v1/kv/tenk/k?index=" + index + "&wait=5m", Long.toString(index),
                    Long.toString(BOUND_SECONDS))
                    .redirectErrorStream(true).start();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    lines.add("READ FAILED " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                String ready = next(lines, "READY");
                assertEquals("READY " + COUNT, ready);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
                while (h.agent.kv.parked() < COUNT) {
                    assertTrue(System.nanoTime() < deadline, "only " + h.agent.kv.parked() + " of " + COUNT + " parked");
                    Thread.sleep(20);
                }

                h.put("/v1/kv/tenk/k", "after");
                String done = next(lines, "DONE");
                assertEquals("DONE ok=" + COUNT + " bad=0 missing=0", done);
                assertTrue(child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static String next(LinkedBlockingQueue<String> lines, String prefix) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
            if (line.startsWith("FAILED")) {
                break;
            }
        }
        throw new AssertionError("no " + prefix + " line from the client process; it said:\n" + seen);
    }
}
