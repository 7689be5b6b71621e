package io.conclave.check.http.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Consul's HTTP check ({@code CheckHTTP} in {@code agent/checks/check.go}): one request to {@code http};
 * 2xx is passing, 429 warning, anything else critical, all with the output
 * {@code HTTP <method> <url>: <code> <status text> Output: <body>}, the body cut so that the whole
 * output fits {@code outputMaxSize} bytes (Consul cuts the body alone at that size). A request that fails is critical with Go's error wording where it
 * matters ({@code Get "<url>": dial tcp <host:port>: connect: connection refused}, {@code ... context
 * deadline exceeded (Client.Timeout exceeded while awaiting headers)}). The whole exchange, body
 * included, must finish within {@code timeout} (default 10s); unlike Consul a body that is still
 * arriving then makes the check critical (hashicorp/consul#5440).
 *
 * <p>Redirects are followed (from https to http too, as Go does) unless {@code disable_redirects}; Java's
 * client follows at most 5 where Go follows 10. Clients are shared: one per combination of
 * {@code tls_skip_verify}, {@code tls_server_name} and redirect policy, all on one executor. Known
 * limits of Java's client: {@code tls_server_name} sets the SNI name and the verified name only when
 * the URL's host is an IP address (for a host name the client uses that name); a {@code Host} header
 * needs the JVM flag {@code -Djdk.httpclient.allowRestrictedHeaders=host}, and without it the check is
 * critical saying so; {@code HTTP_PROXY} from the environment is not used.
 */
@Component(service = CheckType.class, property = CheckType.TYPE + "=" + HttpCheckType.TYPE)
@Capability(namespace = "osgi.service", uses = CheckType.class,
        attribute = {"objectClass:List<String>=io.conclave.api.check.CheckType", CheckType.TYPE + "=" + HttpCheckType.TYPE})
public final class HttpCheckType implements CheckType {

    static final String TYPE = "http";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String INTERVAL_REQUIRED = "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";

    private final ExecutorService executor;
    private final ConcurrentMap<Probe.ClientKey, HttpClient> clients = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<CheckResult>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Activate
    public HttpCheckType() {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "conclave-check-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        client(Probe.ClientKey.DEFAULT);
    }

    @Deactivate
    public void deactivate() {
        closed = true;
        for (CompletableFuture<CheckResult> run : List.copyOf(running)) {
            run.cancel(true);
        }
        for (HttpClient c : clients.values()) {
            if (c instanceof AutoCloseable closeable) { // Java 21+
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing is best effort; the executor below stops either way
                }
            }
        }
        clients.clear();
        executor.shutdownNow();
    }

    @Override
    public void validate(CheckSpec spec) {
        Probe.of(spec);
        if (spec.interval().compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException(INTERVAL_REQUIRED);
        }
    }

    @Override
    public CompletionStage<CheckResult> run(CheckSpec spec) {
        Duration timeout = spec.timeout().compareTo(Duration.ZERO) > 0 ? spec.timeout() : DEFAULT_TIMEOUT;
        Probe probe;
        HttpRequest request;
        HttpClient client;
        try {
            probe = Probe.of(spec);
            request = probe.request(timeout);
            client = client(probe.client());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return CompletableFuture.completedFuture(CheckResult.critical(e.getMessage()));
        }

        CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        AtomicBoolean headersRead = new AtomicBoolean();
        int max = spec.outputMaxSize();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request, info -> {
            headersRead.set(true);
            return new CappedBody(Math.max(0, max - utf8Length(head(probe, info.statusCode()))));
        });
        running.add(answer);
        answer.whenComplete((r, e) -> {
            running.remove(answer);
            if (!sent.isDone()) {
                sent.cancel(true);
            }
        });
        onTimeout(answer, timeout, () -> answer.complete(CheckResult.critical(deadline(probe, headersRead.get()))));
        sent.whenComplete((response, err) -> {
            if (err == null) {
                answer.complete(verdict(probe, response.statusCode(), response.body()));
            } else if (unwrap(err) instanceof ConnectException && !answer.isDone()) {
                InetSocketAddress address = new InetSocketAddress(probe.uri().getHost().replaceAll("^\\[|\\]$", ""), port(probe));
                if (address.isUnresolved()) {
                    answer.complete(CheckResult.critical(probe.prefix() + "dial tcp: lookup " + address.getHostString() + ": no such host"));
                } else {
                    CompletableFuture<String> why = Redial.reason(address);
                    answer.whenComplete((r, e) -> why.complete(Redial.UNKNOWN)); // a timeout or cancel closes the redial
                    why.thenAccept(reason -> answer.complete(CheckResult.critical(
                            probe.prefix() + "dial tcp " + hostPort(probe) + ": connect: " + reason)));
                }
            } else {
                answer.complete(CheckResult.critical(failure(probe, err, headersRead.get())));
            }
        });
        return answer;
    }

    /** Consul's output before the body: {@code HTTP GET <url>: 200 OK Output: }. */
    static String head(Probe probe, int code) {
        return "HTTP " + probe.method() + " " + probe.url() + ": " + StatusText.status(code) + " Output: ";
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Consul's output; the body was read up to what {@code outputMaxSize} leaves after the words before
     * it (the {@code CheckResult} contract), and a character it cut in two is dropped.
     */
    static CheckResult verdict(Probe probe, int code, byte[] body) {
        String output = head(probe, code) + new String(body, 0, whole(body), StandardCharsets.UTF_8);
        if (code >= 200 && code <= 299) {
            return CheckResult.passing(output);
        }
        return code == 429 ? CheckResult.warning(output) : CheckResult.critical(output);
    }

    /** The length of {@code b} without a trailing, incomplete UTF-8 sequence. */
    static int whole(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            int lead = b[n - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return back < need ? n - back : n;
        }
        return n;
    }

    static String deadline(Probe probe, boolean headersRead) {
        return probe.prefix() + "context deadline exceeded ("
                + (headersRead ? "Client.Timeout or context cancellation while reading body" : "Client.Timeout exceeded while awaiting headers")
                + ")";
    }

    /** Go's {@code *url.Error} text for a request that failed. */
    static String failure(Probe probe, Throwable err, boolean headersRead) {
        Throwable e = unwrap(err);
        if (e instanceof HttpTimeoutException) {
            return deadline(probe, headersRead);
        }
        if (e instanceof SSLException) {
            return probe.prefix() + tlsText(e);
        }
        return probe.prefix() + goText(e);
    }

    /** Certificate failures in Go's {@code crypto/x509} words, other TLS failures as {@code tls: <reason>}. */
    static String tlsText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException) {
                return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid: " + goText(t);
            }
            if (t instanceof CertificateException) {
                return "tls: failed to verify certificate: x509: " + goText(t);
            }
        }
        return "tls: " + goText(e);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static int port(Probe probe) {
        return probe.uri().getPort() > 0 ? probe.uri().getPort() : probe.uri().getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Go's {@code net.JoinHostPort} of the URL's host and port. */
    static String hostPort(Probe probe) {
        String host = probe.uri().getHost();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port(probe);
    }

    /** The first message in the cause chain, starting lower case as Go's errors do (acronyms kept). */
    static String goText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isEmpty()) {
                boolean word = m.length() < 2 || Character.isLowerCase(m.charAt(1));
                return word ? m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1) : m;
            }
        }
        return e.getClass().getSimpleName();
    }

    HttpClient client(Probe.ClientKey key) {
        if (closed) {
            throw new IllegalStateException("http check type is stopping");
        }
        return clients.computeIfAbsent(key, this::newClient);
    }

    private HttpClient newClient(Probe.ClientKey key) {
        SSLContext tls;
        try {
            tls = key.skipVerify() ? TrustAll.context() : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
        SSLParameters params = tls.getDefaultSSLParameters();
        if (!key.serverName().isEmpty()) {
            params.setServerNames(List.of(new SNIHostName(key.serverName())));
        }
        return HttpClient.newBuilder()
                .executor(executor)
                .followRedirects(key.followRedirects() ? HttpClient.Redirect.ALWAYS : HttpClient.Redirect.NEVER)
                .sslContext(tls)
                .sslParameters(params)
                .build();
    }

    /** Runs {@code action} if {@code f} is still pending after {@code d}; the timer is dropped once {@code f} completes. */
    static void onTimeout(CompletableFuture<?> f, Duration d, Runnable action) {
        CompletableFuture<Void> timer = new CompletableFuture<>();
        timer.orTimeout(d.toNanos(), TimeUnit.NANOSECONDS).whenComplete((v, e) -> {
            if (e != null && !f.isDone()) {
                action.run();
            }
        });
        f.whenComplete((v, e) -> timer.complete(null));
    }

    int clientCount() {
        return clients.size();
    }
}
