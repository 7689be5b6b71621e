package io.conclave.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A stock {@code serf agent} (Debian's serf 0.9.4) on a loopback address, with its log captured. */
final class SerfProcess implements AutoCloseable {

    final String node;
    final String bind;
    final String rpc;
    final Process process;
    final List<String> log = new CopyOnWriteArrayList<>();

    private SerfProcess(String node, String bind, String rpc, Process process) {
        this.node = node;
        this.bind = bind;
        this.rpc = rpc;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // ended
            }
        }, "serf-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code serf agent -node=NODE -bind=IP:7946 -rpc-addr=IP:7373 EXTRA...}, once its RPC answers. */
    static SerfProcess start(String node, String ip, String... extra) throws Exception {
        String bind = ip + ":7946";
        String rpc = ip + ":7373";
        List<String> cmd = new ArrayList<>(List.of("serf", "agent", "-node=" + node, "-bind=" + bind, "-rpc-addr=" + rpc,
                "-log-level=debug"));
        cmd.addAll(List.of(extra));
        SerfProcess serf = new SerfProcess(node, bind, rpc, new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            Await.until(Duration.ofSeconds(20), "serf " + node + " answering RPC", () -> {
                try {
                    return serf.run("members").contains(node);
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            serf.close();
            throw new AssertionError(e.getMessage() + "\n" + String.join("\n", serf.log), e);
        }
        return serf;
    }

    /** {@code serf VERB -rpc-addr=... ARGS}: its combined output. */
    String run(String verb, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("serf", verb, "-rpc-addr=" + rpc));
        cmd.addAll(List.of(args));
        return AgentProcess.run(cmd, java.util.Map.of(), null, Duration.ofSeconds(20)).out();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
