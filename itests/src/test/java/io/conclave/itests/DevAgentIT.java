package io.conclave.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Boots the real dev-agent bundle set (features {@code core} + {@code dev-agent}) in Felix and
 * drives it the ways an operator does: HTTP, the Gogo commands, and hot deploy through FileInstall.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DevAgentIT {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String DEPLOY_DIR = DevAgentOptions.DEPLOY_DIR;

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] config() throws IOException {
        return DevAgentOptions.options("");
    }

    private String baseUrl() throws Exception {
        ServiceReference<?>[] refs = null;
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (refs == null && System.nanoTime() < deadline) {
            refs = context.getAllServiceReferences("io.conclave.api.agent.HttpListener", null);
            if (refs == null) {
                Thread.sleep(20);
            }
        }
        if (refs == null) {
            throw new AssertionError("the HTTP bundle never registered its HttpListener; bundles: " + bundleStates());
        }
        return "http://" + refs[0].getProperty("address") + ":" + refs[0].getProperty("port");
    }

    private String bundleStates() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            sb.append('\n').append(b.getSymbolicName()).append(' ').append(b.getState());
        }
        return sb.toString();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void kvRoundTripOverHttp() throws Exception {
        String base = baseUrl();
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/itest/color?flags=42"))
                .PUT(HttpRequest.BodyPublishers.ofString("blue")).build());
        assertEquals(200, put.statusCode());
        assertEquals("true", put.body().trim());

        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/itest/color")).build());
        assertEquals(200, get.statusCode());
        String index = get.headers().firstValue("X-Consul-Index").orElseThrow();
        assertTrue(Long.parseLong(index) > 0);
        assertTrue(get.body(), get.body().contains("\"Key\":\"itest/color\""));
        assertTrue(get.body(), get.body().contains("\"Flags\":42"));
        assertTrue(get.body(), get.body().contains(Base64.getEncoder().encodeToString("blue".getBytes(StandardCharsets.UTF_8))));

        HttpResponse<String> raw = send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/itest/color?raw")).build());
        assertEquals("blue", raw.body());

        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/itest/color")).DELETE().build());
        assertEquals("true", delete.body().trim());

        HttpResponse<String> missing = send(HttpRequest.newBuilder(URI.create(base + "/v1/kv/itest/color")).build());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("X-Consul-Index").isPresent());

        HttpResponse<String> leader = send(HttpRequest.newBuilder(URI.create(base + "/v1/status/leader")).build());
        assertEquals("\"127.0.0.1:8300\"", leader.body().trim());
    }

    @Test
    public void shellCommandsReadAndWriteKv() throws Exception {
        baseUrl();
        assertEquals("Success! Data written to: shell/greeting", run("conclave:kv-put shell/greeting hello"));
        assertEquals("hello", run("conclave:kv-get shell/greeting"));
        assertTrue(run("conclave:kv-list shell/").contains("shell/greeting"));
        assertEquals("Success! Deleted key: shell/greeting", run("conclave:kv-delete shell/greeting"));
        String members = run("conclave:members");
        assertTrue(members, members.startsWith("Node") && members.contains("itest") && members.contains("alive"));
        Await.until(BOUND, "the server to register itself in the catalog", () -> {
            try {
                return run("conclave:catalog-services").contains("consul");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(run("conclave:catalog-nodes").contains("itest"));
        assertTrue(run("conclave:check-types").contains("http"));
        String bundles = run("conclave:bundles");
        assertTrue(bundles, bundles.contains("io.conclave.http") && bundles.contains("Active"));
    }

    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(System.in, print, print);
        try {
            Object result = session.execute(line);
            return result == null ? "" : String.valueOf(result).trim();
        } finally {
            session.close();
        }
    }

    @Test
    public void hotDeployedBundleStartsAndUninstallsWhileHttpKeepsAnswering() throws Exception {
        String base = baseUrl();
        Path deploy = Path.of(context.getProperty(DEPLOY_DIR));
        String name = "io.conclave.itest.hotdeploy";

        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        HttpClient client = HttpClient.newHttpClient();
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/status/leader"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        failures.add("status " + r.statusCode());
                    }
                    answered.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        poller.start();
        try {
            Path staged = Files.createTempFile("hotdeploy", ".jar");
            writeBundle(staged, name);
            Path target = deploy.resolve("hotdeploy.jar");
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            Await.until(BOUND, name + " to start", () -> state(name) == Bundle.ACTIVE);

            Files.delete(target);
            Await.until(BOUND, name + " to be uninstalled", () -> state(name) == 0);
            int before = answered.get();
            Await.until(BOUND, "HTTP answers after the undeploy", () -> answered.get() > before + 2);
        } finally {
            polling.set(false);
            poller.join(10_000);
        }
        assertTrue("HTTP failed during hot deploy: " + failures, failures.isEmpty());
    }

    private int state(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b.getState();
            }
        }
        return 0;
    }

    private static void writeBundle(Path jar, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "io.conclave.api.agent;version=\"[1.0,2)\"");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.flush();
        }
    }
}
