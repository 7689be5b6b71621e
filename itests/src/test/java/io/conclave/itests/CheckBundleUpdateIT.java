package io.conclave.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.sun.net.httpserver.HttpServer;
import io.conclave.api.agent.Agent;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Updating a check-type bundle while 200 of its checks run: no check's status flaps, and every
 * check runs again within one interval of the type coming back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CheckBundleUpdateIT {

    private static final int CHECKS = 200;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Scheduling slack on top of the interval: the agent staggers and the 2-core CI box is busy. */
    private static final Duration SLACK = Duration.ofSeconds(1);

    @Inject
    private BundleContext context;

    @Inject
    private Agent agent;

    @Configuration
    public Option[] config() throws Exception {
        // The test's HTTP target uses the JDK's built-in server, which no bundle exports.
        return DevAgentOptions.options("",
                frameworkProperty("org.osgi.framework.bootdelegation").value("com.sun.net.httpserver,com.sun.net.httpserver.*"));
    }

    @Test
    public void updatingTheHttpCheckBundleKeepsStatusAndResumesWithinAnInterval() throws Exception {
        Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        target.createContext("/", exchange -> {
            hits.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try {
            int port = target.getAddress().getPort();
            for (int i = 0; i < CHECKS; i++) {
                agent.registerService(Map.of("name", "hot" + i, "port", 10000 + i,
                        "check", Map.of("http", "http://127.0.0.1:" + port + "/c/" + i, "interval", "1s")), false);
            }
            Await.until(Duration.ofSeconds(60), "all " + CHECKS + " checks passing", () -> passing() == CHECKS);

            AtomicBoolean watching = new AtomicBoolean(true);
            List<String> flaps = Collections.synchronizedList(new ArrayList<>());
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    for (HealthCheck c : ours()) {
                        if (!Health.PASSING.equals(c.status())) {
                            flaps.add(c.checkId() + " " + c.status() + ": " + c.output());
                        }
                    }
                    Thread.onSpinWait();
                }
            }, "flap-watcher");
            watcher.start();
            try {
                Bundle httpType = bundle("io.conclave.check-http");
                httpType.update();
                Await.until(Duration.ofSeconds(30), "check-http active again",
                        () -> httpType.getState() == Bundle.ACTIVE && httpTypeRegistered());

                Map<String, Integer> atReturn = new ConcurrentHashMap<>();
                hits.forEach((path, n) -> atReturn.put(path, n.get()));
                long back = System.nanoTime();
                Await.until(INTERVAL.plus(SLACK).plus(SLACK), "every check to run after the update",
                        () -> atReturn.entrySet().stream().allMatch(e -> hits.get(e.getKey()).get() > e.getValue()));
                long resumedMillis = (System.nanoTime() - back) / 1_000_000;
                System.out.printf("check-http update: all %d checks ran again %d ms after the type returned%n", CHECKS, resumedMillis);
                assertTrue("resumed after " + resumedMillis + " ms, more than one interval plus slack",
                        resumedMillis <= INTERVAL.plus(SLACK).toMillis());
                assertEquals(CHECKS, atReturn.size());
            } finally {
                watching.set(false);
                watcher.join(10_000);
            }
            assertTrue("statuses flapped during the update: " + flaps.subList(0, Math.min(5, flaps.size())), flaps.isEmpty());
        } finally {
            target.stop(0);
        }
    }

    private boolean httpTypeRegistered() {
        try {
            return context.getServiceReferences("io.conclave.api.check.CheckType", "(conclave.check.type=http)") != null;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<HealthCheck> ours() {
        return agent.checks().values().stream().filter(c -> c.serviceId().startsWith("hot")).toList();
    }

    private long passing() {
        return ours().stream().filter(c -> Health.PASSING.equals(c.status())).count();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }
}
