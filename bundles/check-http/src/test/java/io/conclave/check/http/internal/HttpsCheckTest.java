package io.conclave.check.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTPS server with a self-signed certificate made by the JDK's keytool for this run (no network). */
class HttpsCheckTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Set<String> SNI_SEEN = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static String base;
    private final HttpCheckType type = new HttpCheckType();

    @BeforeAll
    static void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=unrelated.test", "-ext", "SAN=dns:unrelated.test", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters sp = getSSLContext().getDefaultSSLParameters();
                sp.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        SNI_SEEN.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(sp);
            }
        });
        server.createContext("/", ex -> HttpCheckTypeTest.reply(ex, 200, "secure"));
        server.start();
        base = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        SNI_SEEN.clear();
    }

    @AfterEach
    void stop() {
        type.deactivate();
    }

    private CheckResult run(Map<String, Object> params) throws Exception {
        CheckSpec spec = new CheckSpec("c1", "http", Duration.ofSeconds(10), Duration.ZERO, params, 0);
        return type.run(spec).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void anUntrustedCertificateIsCritical() throws Exception {
        assertEquals(CheckResult.critical("Get \"" + base + "/health\": "
                + "tls: failed to verify certificate: x509: certificate signed by unknown authority"), run(Map.of("http", base + "/health")));
    }

    @Test
    void tlsSkipVerifyAcceptsASelfSignedCertificateForAnotherName() throws Exception {
        assertEquals(CheckResult.passing("HTTP GET " + base + "/health: 200 OK Output: secure"),
                run(Map.of("http", base + "/health", "tls_skip_verify", true)));
        String byName = "https://localhost:" + server.getAddress().getPort() + "/health";
        assertEquals(CheckResult.passing("HTTP GET " + byName + ": 200 OK Output: secure"),
                run(Map.of("http", byName, "tls_skip_verify", true)));
    }

    @Test
    void tlsServerNameIsSentAsSniForAnAddressUrl() throws Exception {
        Map<String, Object> params = new HashMap<>(Map.of("http", base + "/health", "tls_skip_verify", true,
                "tls_server_name", "web.service.consul"));
        assertEquals("passing", run(params).status());
        assertEquals(Set.of("web.service.consul"), SNI_SEEN);
    }
}
