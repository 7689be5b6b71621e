package io.conclave.gossip.internal.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stock {@code serf agent} (Debian package serf 0.9.4, installed by ./test) on 127.0.0.1, the
 * oracle for the wire layer. Its log is kept so tests can look for lines in it.
 */
final class SerfOracle implements AutoCloseable {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final String node;
  final int port;
  private final Process process;
  private final List<String> log = new CopyOnWriteArrayList<>();

  private SerfOracle(String node, int port, Process process) {
    this.node = node;
    this.port = port;
    this.process = process;
  }

  static SerfOracle start(String node, byte[] key) throws Exception {
    int port = freeTcpAndUdpPort();
    int rpc;
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      rpc = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of("serf", "agent", "-node=" + node,
        "-bind=127.0.0.1:" + port, "-rpc-addr=127.0.0.1:" + rpc, "-log-level=debug"));
    if (key != null) {
      cmd.add("-encrypt=" + Base64.getEncoder().encodeToString(key));
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("the stock `serf` agent is needed for the oracle tests; "
          + "./test installs it (Debian package serf)", e);
    }
    SerfOracle oracle = new SerfOracle(node, port, p);
    CountDownLatch running = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          oracle.log.add(line);
          if (line.contains("Serf agent running")) {
            running.countDown();
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "serf-oracle-log");
    reader.setDaemon(true);
    reader.start();
    if (!running.await(30, TimeUnit.SECONDS)) {
      oracle.close();
      throw new IllegalStateException("serf agent did not start: " + oracle.log);
    }
    return oracle;
  }

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

  List<String> log() {
    return List.copyOf(log);
  }

  /** Waits (bounded) for a log line containing {@code text}. */
  boolean awaitLog(String text, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      if (log.stream().anyMatch(l -> l.contains(text))) {
        return true;
      }
      Thread.onSpinWait();
      Thread.sleep(20);
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
