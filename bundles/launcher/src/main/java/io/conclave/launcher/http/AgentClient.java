package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP client of a running agent that every verb but {@code agent} uses, configured as
 * Consul's API client is: {@code -http-addr} or {@code CONSUL_HTTP_ADDR} /
 * {@code CONCLAVE_HTTP_ADDR} (default {@code http://127.0.0.1:8500}, scheme optional),
 * {@code -token} or {@code CONSUL_HTTP_TOKEN}, {@code -datacenter}, {@code -stale}.
 * Failures read like the Go client's, e.g.
 * {@code Get "http://127.0.0.1:8500/v1/kv/a": dial tcp 127.0.0.1:8500: connect: connection refused}.
 */
public final class AgentClient {

    public static final String DEFAULT_ADDR = "http://127.0.0.1:8500";

    /** A failed call; the message is what the CLI prints after its prefix. */
    public static final class AgentException extends Exception {
        private static final long serialVersionUID = 1L;

        public AgentException(String message) {
            super(message);
        }
    }

    /** An answer: status, body and headers (names in lower case). */
    public record Response(int status, byte[] body, Map<String, List<String>> headers) {

        public Response(int status, byte[] body) {
            this(status, body, Map.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of a header, or "" when absent. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? "" : values.get(0);
        }
    }

    private final URI base;
    private final String token;
    private final String datacenter;
    private final boolean stale;
    private final HttpClient http;

    public AgentClient(String address, String token, String datacenter, boolean stale) throws AgentException {
        this.base = parseAddress(address);
        this.token = token == null ? "" : token;
        this.datacenter = datacenter == null ? "" : datacenter;
        this.stale = stale;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** From the flags of {@link Flags#httpClientFlags} and the environment. */
    public static AgentClient fromFlags(Flags flags, Map<String, String> env) throws AgentException {
        String addr = flags.getString("http-addr", "");
        if (addr.isEmpty()) {
            addr = env.getOrDefault("CONSUL_HTTP_ADDR", "");
        }
        if (addr.isEmpty()) {
            addr = env.getOrDefault("CONCLAVE_HTTP_ADDR", "");
        }
        if (addr.isEmpty()) {
            addr = DEFAULT_ADDR;
        }
        String token = flags.getString("token", env.getOrDefault("CONSUL_HTTP_TOKEN", ""));
        return new AgentClient(addr, token, flags.getString("datacenter", ""), flags.getBool("stale"));
    }

    static URI parseAddress(String address) throws AgentException {
        String a = address.strip();
        if (!a.contains("://")) {
            a = "http://" + a;
        }
        try {
            URI uri = new URI(a);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new AgentException("Unknown protocol scheme: " + scheme);
            }
            if (uri.getHost() == null) {
                throw new AgentException("invalid address " + address);
            }
            int port = uri.getPort() > 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
            return new URI(scheme, null, uri.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new AgentException("invalid address " + address + ": " + e.getMessage());
        }
    }

    public URI base() {
        return base;
    }

    /** Whether {@code -stale} was given: reads may add {@code stale}. */
    public boolean stale() {
        return stale;
    }

    public Response get(String path, Map<String, String> query) throws AgentException {
        return call("GET", path, query, null);
    }

    public Response put(String path, Map<String, String> query, byte[] body) throws AgentException {
        return call("PUT", path, query, body);
    }

    public Response delete(String path, Map<String, String> query) throws AgentException {
        return call("DELETE", path, query, null);
    }

    /** Sends one request; any status is returned, only transport failures throw. */
    public Response call(String method, String path, Map<String, String> query, byte[] body)
            throws AgentException {
        return call(method, path, query == null ? List.of() : List.copyOf(query.entrySet()), body);
    }

    /** A GET whose query may repeat a parameter ({@code node-meta=a:1&node-meta=b:2}). */
    public Response get(String path, List<Map.Entry<String, String>> query) throws AgentException {
        return call("GET", path, query, null);
    }

    /** As {@link #call(String, String, Map, byte[])}, with parameters in order and repeatable. */
    public Response call(String method, String path, List<Map.Entry<String, String>> query, byte[] body)
            throws AgentException {
        return call(method, path, query, body, null);
    }

    /**
     * As {@link #call(String, String, List, byte[])}, giving up after {@code timeout} (null: no
     * limit but the agent's own); blocking queries use it so that a silent agent cannot hold the
     * caller for ever.
     */
    public Response call(String method, String path, List<Map.Entry<String, String>> query, byte[] body,
            Duration timeout) throws AgentException {
        List<Map.Entry<String, String>> q = new ArrayList<>();
        if (!datacenter.isEmpty()) {
            q.add(Map.entry("dc", datacenter));
        }
        q.addAll(query);
        String url = base + path + encodeQuery(q);
        HttpRequest.Builder rb;
        try {
            rb = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new AgentException("invalid request URL " + url + ": " + e.getMessage());
        }
        rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!token.isEmpty()) {
            rb.header("X-Consul-Token", token);
        }
        if (timeout != null) {
            rb.timeout(timeout);
        }
        try {
            HttpResponse<byte[]> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> headers = new java.util.HashMap<>();
            resp.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Response(resp.statusCode(), resp.body(), headers);
        } catch (HttpConnectTimeoutException e) {
            throw new AgentException(goMethod(method) + " \"" + url + "\": dial tcp " + hostPort()
                    + ": i/o timeout");
        } catch (ConnectException e) {
            throw new AgentException(goMethod(method) + " \"" + url + "\": dial tcp " + hostPort()
                    + ": connect: connection refused");
        } catch (HttpTimeoutException e) {
            throw new AgentException(goMethod(method) + " \"" + url + "\": timeout");
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new AgentException(goMethod(method) + " \"" + url + "\": " + msg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(goMethod(method) + " \"" + url + "\": interrupted");
        }
    }

    /** {@code r} itself when it is a 200; otherwise {@link #unexpected}, as the Go client's {@code requireOK}. */
    public static Response requireOk(Response r) throws AgentException {
        if (r.status() != 200) {
            throw unexpected(r);
        }
        return r;
    }

    /** The Go client's error for a status other than 200: {@code Unexpected response code: 500 (body)}. */
    public static AgentException unexpected(Response r) {
        return new AgentException("Unexpected response code: " + r.status() + " (" + r.text().strip() + ")");
    }

    private String hostPort() {
        return base.getHost() + ":" + base.getPort();
    }

    private static String goMethod(String method) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Percent-encodes a KV key for the URL path, keeping {@code /}, as Go's URL does. */
    public static String escapePath(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /**
     * Percent-encodes one path segment (a service ID, a node name): unlike {@link #escapePath}
     * a {@code /} is escaped too, as Go's {@code url.PathEscape} does.
     */
    public static String escapeSegment(String segment) {
        return escapePath(segment).replace("/", "%2F");
    }

    static String encodeQuery(Map<String, String> q) {
        return encodeQuery(List.copyOf(q.entrySet()));
    }

    static String encodeQuery(List<Map.Entry<String, String>> q) {
        if (q.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        for (Map.Entry<String, String> e : q) {
            if (sb.length() > 1) {
                sb.append('&');
            }
            sb.append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8));
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                sb.append('=').append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }
}
