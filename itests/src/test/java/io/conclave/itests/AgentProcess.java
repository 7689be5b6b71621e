package io.conclave.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Conclave agent started from the built distribution as a separate process, with its output
 * captured, and the CLI run against it.
 */
final class AgentProcess implements AutoCloseable {

    static Path home() {
        String dir = System.getProperty("conclave.distribution.dir");
        if (dir == null) {
            throw new IllegalStateException("system property conclave.distribution.dir is not set: run through Maven failsafe");
        }
        Path home = Path.of(dir);
        if (!Files.isExecutable(home.resolve("bin/conclave"))) {
            throw new IllegalStateException("distribution not built: " + home.resolve("bin/conclave") + " is missing");
        }
        return home;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    final String httpHost;
    final int httpPort;
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    private AgentProcess(String httpHost, int httpPort, Process process) {
        this.httpHost = httpHost;
        this.httpPort = httpPort;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "agent-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A dev agent on 127.0.0.1 with every port free-chosen (HTTP, server RPC, LAN and WAN gossip), so dev agents
     * of different tests never collide.
     */
    static AgentProcess startDev(String node, String... extraArgs) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("-dev", "-node=" + node, "-http-port=" + port,
                "-server-port=" + freePort(), "-serf-lan-port=" + freePort(), "-serf-wan-port=" + freePort()));
        args.addAll(List.of(extraArgs));
        return start("127.0.0.1", port, args);
    }

    /** {@code conclave agent ARGS}, waiting until it prints that it runs; its HTTP API is at {@code httpHost:httpPort}. */
    static AgentProcess start(String httpHost, int httpPort, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/conclave").toString(), "agent"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        AgentProcess agent = new AgentProcess(httpHost, httpPort, p);
        try {
            Await.until(Duration.ofSeconds(60), "'Conclave agent running!' in the agent's output",
                    () -> agent.output.stream().anyMatch(l -> l.contains("Conclave agent running!")) || !p.isAlive());
        } catch (AssertionError e) {
            agent.close();
            throw new AssertionError(e.getMessage() + "\n" + String.join("\n", agent.output), e);
        }
        if (!p.isAlive()) {
            throw new AssertionError("agent exited with " + p.exitValue() + ":\n" + String.join("\n", agent.output));
        }
        return agent;
    }

    String httpAddr() {
        return httpHost + ":" + httpPort;
    }

    String url(String path) {
        return "http://" + httpAddr() + path;
    }

    /** The agent's output so far, for assertion messages. */
    String log() {
        return String.join("\n", output);
    }

    /** Ends the process at once (SIGKILL): no leave, as a crashed machine would. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Runs {@code conclave ARGS} against this agent and returns exit code and combined output. */
    Result cli(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin/conclave").toString());
        cmd.addAll(List.of(args));
        return run(cmd, Map.of("CONSUL_HTTP_ADDR", httpAddr()), stdin, Duration.ofSeconds(60));
    }

    /**
     * Runs a command to its end, at most {@code bound} (then it is killed and the test fails). Output goes through a file,
     * so a command that leaves a child holding its output open cannot hang the reader.
     */
    static Result run(List<String> cmd, Map<String, String> env, String stdin, Duration bound) throws Exception {
        Path log = Files.createTempFile("conclave-run", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish:\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    record Result(int exit, String out) {
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
