package io.conclave.gossip.internal.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stock {@code serf agent} process (Debian package serf, installed by ./test) on 127.0.0.1, for the wire
 * tests (as an oracle) and the runtime's interop tests alike: gossip and RPC ports picked free, its log kept
 * for inspection, driven through the serf CLI over its RPC port.
 */
public final class StockSerf implements AutoCloseable {

    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern MEMBER = Pattern.compile(
            "\"name\":\\s*\"([^\"]+)\".*?\"status\":\\s*\"([^\"]+)\"", Pattern.DOTALL);

    public final String node;
    /** The gossip port, TCP and UDP. */
    public final int port;
    public final int rpcPort;
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private StockSerf(String node, int port, int rpcPort, Process process) {
        this.node = node;
        this.port = port;
        this.rpcPort = rpcPort;
        this.process = process;
    }

    /**
     * Starts {@code serf agent -node=NODE -bind=... -rpc-addr=... -log-level=debug FLAGS} and waits, at most
     * {@code startBound}, for its {@code Serf agent running} line; past that the process is killed.
     */
    public static StockSerf start(String node, List<String> flags, Duration startBound) throws Exception {
        int port = freeTcpAndUdpPort();
        int rpc;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            rpc = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("serf", "agent", "-node=" + node, "-bind=127.0.0.1:" + port,
                "-rpc-addr=127.0.0.1:" + rpc, "-log-level=debug"));
        cmd.addAll(flags);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("the stock `serf` agent is needed for these tests; "
                    + "./test installs it (Debian package serf)", e);
        }
        StockSerf serf = new StockSerf(node, port, rpc, p);
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    serf.log.add(line);
                    if (line.contains("Serf agent running")) {
                        running.countDown();
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "serf-log-" + node);
        reader.setDaemon(true);
        reader.start();
        if (!running.await(startBound.toMillis(), TimeUnit.MILLISECONDS)) {
            serf.kill();
            throw new IllegalStateException("serf agent did not start: " + serf.log);
        }
        return serf;
    }

    /** A loopback port free for both TCP and UDP, as serf binds its gossip port for both. */
    private static int freeTcpAndUdpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket u = new DatagramSocket(0, LOOPBACK)) {
                int port = u.getLocalPort();
                try (ServerSocket t = new ServerSocket(port, 1, LOOPBACK)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    /** The gossip address, as {@code serf join} and our pools take it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    public List<String> logLinesAbout(String text) {
        return log.stream().filter(l -> l.contains(text)).toList();
    }

    /** Waits (bounded) for a log line containing {@code text}. */
    public boolean awaitLog(String text, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (log.stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Runs a serf CLI command against this agent's RPC port; returns its output (bounded to 20 s). */
    public String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("serf");
        cmd.add(args[0]);
        cmd.add("-rpc-addr=127.0.0.1:" + rpcPort);
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("serf " + String.join(" ", args) + " did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** name → status as {@code serf members} reports them; none once the agent is gone. */
    public Map<String, String> members() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            Matcher m = MEMBER.matcher(cli("members", "-format=json"));
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        } catch (Exception e) {
            // agent gone: no members
        }
        return out;
    }

    /** kill -9, waiting (bounded) for the process to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then kill -9 if the agent has not ended within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
