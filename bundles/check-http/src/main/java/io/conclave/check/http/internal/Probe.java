package io.conclave.check.http.internal;

import io.conclave.api.check.CheckSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;

/**
 * One http check definition, read and checked: {@code http}, {@code method} (GET), {@code header}
 * ({@code {"Name": ["value", ...]}}), {@code body}, {@code tls_skip_verify}, {@code tls_server_name},
 * {@code disable_redirects}.
 */
record Probe(String url, URI uri, String method, Map<String, List<String>> headers, String body,
             ClientKey client) {

    static final String USER_AGENT = "Consul Health Check";
    static final String ACCEPT = "text/plain, text/*, */*";
    static final String HOST_RESTRICTED = "header Host cannot be set: this JVM's HTTP client forbids it; "
            + "start the agent with -Djdk.httpclient.allowRestrictedHeaders=host";

    /** Which client a probe needs: clients differ only in TLS trust, SNI name and redirect policy. */
    record ClientKey(boolean skipVerify, String serverName, boolean followRedirects) {
        static final ClientKey DEFAULT = new ClientKey(false, "", true);
    }

    static Probe of(CheckSpec spec) {
        String url = spec.string("http", "");
        if (url.isEmpty()) {
            throw new IllegalArgumentException("an http check needs http, the URL to request");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("http: \"" + url + "\" is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("http: \"" + url + "\" is not an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("http: \"" + url + "\" has no host");
        }
        String method = spec.string("method", "");
        if (method.isEmpty()) {
            method = "GET";
        }
        if (!token(method)) {
            throw new IllegalArgumentException("method: \"" + method + "\" is not a valid HTTP method");
        }
        String serverName = spec.string("tls_server_name", "");
        if (!serverName.isEmpty()) {
            try {
                new SNIHostName(serverName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tls_server_name: \"" + serverName + "\" is not a host name: " + e.getMessage(), e);
            }
        }
        ClientKey key = new ClientKey(spec.bool("tls_skip_verify"), serverName, !spec.bool("disable_redirects"));
        return new Probe(url, uri, method, headers(spec.params().get("header")), spec.string("body", ""), key);
    }

    private static Map<String, List<String>> headers(Object header) {
        if (header == null) {
            return Map.of();
        }
        if (!(header instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("header must be an object of header names to lists of values");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!token(name)) {
                throw new IllegalArgumentException("header: \"" + name + "\" is not a valid header name");
            }
            List<String> values = new ArrayList<>();
            if (e.getValue() instanceof List<?> list) {
                list.forEach(v -> values.add(String.valueOf(v)));
            } else if (e.getValue() != null) {
                values.add(e.getValue().toString());
            }
            for (String v : values) {
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header: the value of " + name + " contains a line break");
                }
            }
            out.put(name, Collections.unmodifiableList(values));
        }
        return Collections.unmodifiableMap(out);
    }

    /** RFC 9110 token, what Go accepts as a method or header name. */
    static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The request Consul sends: the definition's headers, {@code User-Agent: Consul Health Check} and
     * {@code Accept: text/plain, text/*, *}{@code /*} unless given; HTTP/1.1 for {@code http://} (as Go;
     * no h2c upgrade), HTTP/2 offered over TLS. Headers the client owns ({@code Connection},
     * {@code Content-Length}, {@code Upgrade}) are left to it; {@code Expect: 100-continue} is honoured.
     *
     * @throws IllegalArgumentException when a header cannot be sent (a {@code Host} override where the
     *                                  JVM forbids it)
     */
    HttpRequest request(Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(timeout);
        if (uri.getScheme().equalsIgnoreCase("http")) {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        boolean userAgent = false;
        boolean accept = false;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            String name = h.getKey();
            List<String> values = h.getValue();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "connection", "content-length", "upgrade" -> {
                }
                case "expect" -> b.expectContinue(values.stream().anyMatch(v -> v.equalsIgnoreCase("100-continue")));
                case "host" -> {
                    if (!values.isEmpty()) {
                        try {
                            b.setHeader("Host", values.get(0));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(HOST_RESTRICTED, e);
                        }
                    }
                }
                default -> {
                    userAgent |= name.equalsIgnoreCase("User-Agent") && !values.isEmpty();
                    accept |= name.equalsIgnoreCase("Accept") && !values.isEmpty();
                    for (String v : values) {
                        b.header(name, v);
                    }
                }
            }
        }
        if (!userAgent) {
            b.header("User-Agent", USER_AGENT);
        }
        if (!accept) {
            b.header("Accept", ACCEPT);
        }
        return b.build();
    }

    /** Go's {@code url.Error} prefix: {@code Get "<url>": }. */
    String prefix() {
        return op() + " \"" + url + "\": ";
    }

    /** Go's {@code url.Error} operation: the method with only its first letter upper case ("Get"). */
    String op() {
        return method.substring(0, 1).toUpperCase(Locale.ROOT) + method.substring(1).toLowerCase(Locale.ROOT);
    }
}
