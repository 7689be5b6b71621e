package io.conclave.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.conclave.api.agent.Agent;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

/**
 * The example Redis check type, deployed by an operator through {@code deploy/} while the agent runs:
 * its checks wait critical for a provider, pass once it is deployed, and pass again after it is
 * removed and redeployed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleCheckDeployIT {

    private static final String EXAMPLE_JAR = "conclave.itest.example.redis.jar";
    private static final String SYMBOLIC_NAME = "io.conclave.check-redis";
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Inject
    private BundleContext context;

    @Inject
    private Agent agent;

    @Configuration
    public Option[] config() throws IOException {
        String jar = System.getProperty(EXAMPLE_JAR);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("example bundle not built: " + jar);
        }
        return DevAgentOptions.options("", frameworkProperty(EXAMPLE_JAR).value(jar));
    }

    @Test
    public void deployRemoveAndRedeployTheRedisCheckType() throws Exception {
        try (ServerSocket redis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serveRedis(redis), "fake-redis");
            server.setDaemon(true);
            server.start();

            agent.registerService(Map.of("name", "cache", "port", redis.getLocalPort(),
                    "check", Map.of("type", "redis", "redis", "127.0.0.1:" + redis.getLocalPort(), "interval", "1s")), false);
            HealthCheck waiting = check();
            assertEquals(Health.CRITICAL, waiting.status());
            assertTrue(waiting.output(), waiting.output().contains("redis"));

            Path deploy = Path.of(context.getProperty(DevAgentOptions.DEPLOY_DIR));
            Path example = Path.of(context.getProperty(EXAMPLE_JAR));
            Path deployed = deploy.resolve("check-redis.jar");

            copyInto(example, deployed);
            Await.until(BOUND, "the redis check to pass after deploy", () -> Health.PASSING.equals(check().status()));

            Files.delete(deployed);
            Await.until(BOUND, "the example bundle to be uninstalled", () -> state() == 0);

            copyInto(example, deployed);
            Await.until(BOUND, "the example bundle to start again", () -> state() == Bundle.ACTIVE);
            Await.until(BOUND, "the redis check to pass after redeploy", () -> Health.PASSING.equals(check().status()));
        }
    }

    private static void copyInto(Path jar, Path target) throws IOException {
        Path staged = Files.createTempFile("check-redis", ".jar");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private HealthCheck check() {
        return agent.checks().values().stream().filter(c -> c.serviceId().equals("cache")).findFirst()
                .orElseThrow(() -> new AssertionError("no check for service cache: " + agent.checks().keySet()));
    }

    private int state() {
        for (Bundle b : context.getBundles()) {
            if (SYMBOLIC_NAME.equals(b.getSymbolicName())) {
                return b.getState();
            }
        }
        return 0;
    }

    /** Answers every RESP command with +PONG, enough for a PING check. */
    private static void serveRedis(ServerSocket redis) {
        while (!redis.isClosed()) {
            try {
                Socket s = redis.accept();
                Thread t = new Thread(() -> {
                    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                        OutputStream out = s.getOutputStream();
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.equalsIgnoreCase("PING")) {
                                out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        }
                    } catch (IOException ignored) {
                        // client went away
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
