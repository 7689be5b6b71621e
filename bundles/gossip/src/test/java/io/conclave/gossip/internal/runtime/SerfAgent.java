package io.conclave.gossip.internal.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * A stock {@code serf agent} process (Debian package serf) on 127.0.0.1 with a tag, an event handler
 * that appends each user event to a file, and its log kept for inspection. Driven through the serf CLI
 * over its RPC port.
 */
final class SerfAgent implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern MEMBER = Pattern.compile(
            "\"name\":\\s*\"([^\"]+)\".*?\"status\":\\s*\"([^\"]+)\"", Pattern.DOTALL);

    final String node;
    final int port;
    final int rpcPort;
    final Path events;
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private SerfAgent(String node, int port, int rpcPort, Path events, Process process) {
        this.node = node;
        this.port = port;
        this.rpcPort = rpcPort;
        this.events = events;
        this.process = process;
    }

    /** @param key base64 gossip key or null; @param join "host:port" to join at start or null */
    static SerfAgent start(String node, String key, String join, Path dir) throws Exception {
        int port = freeTcpAndUdpPort();
        int rpc;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            rpc = s.getLocalPort();
        }
        Path events = dir.resolve(node + ".events");
        Path handler = dir.resolve(node + "-handler.sh");
        Files.writeString(handler, "#!/bin/sh\nprintf '%s %s\\n' \"$SERF_USER_EVENT\" \"$(cat)\" >> '" + events + "'\n");
        Files.setPosixFilePermissions(handler, PosixFilePermissions.fromString("rwx------"));
        List<String> cmd = new ArrayList<>(List.of("serf", "agent", "-node=" + node, "-bind=127.0.0.1:" + port,
                "-rpc-addr=127.0.0.1:" + rpc, "-log-level=debug", "-tag", "role=serf-" + node,
                "-event-handler=user=" + handler));
        if (key != null) {
            cmd.add("-encrypt=" + key);
        }
        if (join != null) {
            cmd.add("-join=" + join);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        SerfAgent agent = new SerfAgent(node, port, rpc, events, p);
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    agent.log.add(line);
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
        if (!running.await(20, TimeUnit.SECONDS)) {
            agent.close();
            throw new IllegalStateException("serf agent did not start: " + agent.log);
        }
        return agent;
    }

    static int freeTcpAndUdpPort() throws IOException {
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

    String address() {
        return "127.0.0.1:" + port;
    }

    List<String> log() {
        return List.copyOf(log);
    }

    List<String> logLinesAbout(String text) {
        return log.stream().filter(l -> l.contains(text)).toList();
    }

    /** Runs a serf CLI command against this agent's RPC port; returns its output (bounded to 20 s). */
    String cli(String... args) throws Exception {
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

    /** name → status as {@code serf members} reports them. */
    Map<String, String> members() {
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

    String eventsSeen() {
        try {
            // Our events carry Consul's msgpack payload: bytes, not UTF-8.
            return Files.exists(events) ? Files.readString(events, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
