package io.conclave.dns.internal;

import static io.conclave.api.config.ConfigValues.bool;
import static io.conclave.api.config.ConfigValues.duration;
import static io.conclave.api.config.ConfigValues.number;
import static io.conclave.api.config.ConfigValues.string;

import io.conclave.api.config.ConfigValues;
import io.conclave.api.time.GoDuration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The DNS interface's configuration, PID {@code io.conclave.dns}: Consul's {@code domain},
 * {@code alt_domain}, {@code recursors}, {@code ports.dns} and {@code dns_config.*} under the same key
 * names. Values come from ConfigAdmin as strings, numbers, booleans, arrays or lists depending on who
 * wrote them, so each is read leniently and rejected with a message naming the key when it makes no sense.
 *
 * <p>Keys (default): {@code address} (127.0.0.1), {@code port} (8600; -1 disables, 0 picks one),
 * {@code domain} ({@code consul.}), {@code alt_domain} (none), {@code recursors} ({@code ip} or
 * {@code ip:port}, port 53 by default), {@code recursor_timeout} (2s), {@code node_ttl} (0s),
 * {@code service_ttl} ({@code name=duration}, {@code prefix*=duration}), {@code udp_answer_limit} (3),
 * {@code a_record_limit} (0 = no limit), {@code only_passing} (false), {@code enable_truncate} (true: a
 * deliberate change of Consul's default, so clients retry trimmed answers over TCP), {@code allow_stale}
 * (true), {@code disable_compression} (false), {@code soa_refresh} (3600), {@code soa_retry} (600),
 * {@code soa_expire} (86400), {@code soa_min_ttl} (0), {@code enable_additional_node_meta_txt} (true).
 * Conclave's own: {@code query_timeout} (3s, how long one lookup may wait for the catalog),
 * {@code udp_workers} (8), {@code tcp_max_connections} (64), {@code tcp_idle_timeout} (8s).
 */
record DnsSettings(String address, int port, Name domain, Name altDomain, List<InetSocketAddress> recursors,
                   Duration recursorTimeout, Duration nodeTtl, ServiceTtls serviceTtls, int udpAnswerLimit,
                   int aRecordLimit, boolean onlyPassing, boolean enableTruncate, boolean allowStale,
                   boolean disableCompression, long soaRefresh, long soaRetry, long soaExpire, long soaMinTtl,
                   boolean nodeMetaTxt, Duration queryTimeout, int udpWorkers, int tcpMaxConnections,
                   Duration tcpIdleTimeout) {

    static final String ADDRESS = "address";
    static final String PORT = "port";
    static final String DOMAIN = "domain";
    static final String ALT_DOMAIN = "alt_domain";
    static final String RECURSORS = "recursors";
    static final String RECURSOR_TIMEOUT = "recursor_timeout";
    static final String NODE_TTL = "node_ttl";
    static final String SERVICE_TTL = "service_ttl";
    static final String UDP_ANSWER_LIMIT = "udp_answer_limit";
    static final String A_RECORD_LIMIT = "a_record_limit";
    static final String ONLY_PASSING = "only_passing";
    static final String ENABLE_TRUNCATE = "enable_truncate";
    static final String ALLOW_STALE = "allow_stale";
    static final String DISABLE_COMPRESSION = "disable_compression";
    static final String SOA_REFRESH = "soa_refresh";
    static final String SOA_RETRY = "soa_retry";
    static final String SOA_EXPIRE = "soa_expire";
    static final String SOA_MIN_TTL = "soa_min_ttl";
    static final String NODE_META_TXT = "enable_additional_node_meta_txt";
    static final String QUERY_TIMEOUT = "query_timeout";
    static final String UDP_WORKERS = "udp_workers";
    static final String TCP_MAX_CONNECTIONS = "tcp_max_connections";
    static final String TCP_IDLE_TIMEOUT = "tcp_idle_timeout";

    static final DnsSettings DEFAULTS = new DnsSettings("127.0.0.1", 8600, Name.fromConstantString("consul."), null,
            List.of(), Duration.ofSeconds(2), Duration.ZERO, ServiceTtls.NONE, 3, 0, false, true, true, false,
            3600, 600, 86400, 0, true, Duration.ofSeconds(3), 8, 64, Duration.ofSeconds(8));

    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    DnsSettings {
        Objects.requireNonNull(address, ADDRESS);
        Objects.requireNonNull(domain, DOMAIN);
        recursors = List.copyOf(recursors);
        Objects.requireNonNull(serviceTtls, SERVICE_TTL);
        if (IpLiterals.parse(address) == null) {
            throw new IllegalArgumentException(ADDRESS + " must be an IP address, not \"" + address + "\"");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(PORT + " must be between -1 and 65535, not " + port);
        }
        if (!domain.isAbsolute() || domain.labels() < 2) {
            throw new IllegalArgumentException(DOMAIN + " must name a zone below the root");
        }
        if (altDomain != null && altDomain.equals(domain)) {
            altDomain = null;
        }
        positive(recursorTimeout, RECURSOR_TIMEOUT);
        notNegative(nodeTtl, NODE_TTL);
        positive(queryTimeout, QUERY_TIMEOUT);
        positive(tcpIdleTimeout, TCP_IDLE_TIMEOUT);
        if (udpAnswerLimit < 1) {
            throw new IllegalArgumentException(UDP_ANSWER_LIMIT + " must be at least 1, not " + udpAnswerLimit);
        }
        if (aRecordLimit < 0) {
            throw new IllegalArgumentException(A_RECORD_LIMIT + " must not be negative");
        }
        uint32(soaRefresh, SOA_REFRESH);
        uint32(soaRetry, SOA_RETRY);
        uint32(soaExpire, SOA_EXPIRE);
        uint32(soaMinTtl, SOA_MIN_TTL);
        if (udpWorkers < 1 || udpWorkers > 256) {
            throw new IllegalArgumentException(UDP_WORKERS + " must be between 1 and 256");
        }
        if (tcpMaxConnections < 1 || tcpMaxConnections > 4096) {
            throw new IllegalArgumentException(TCP_MAX_CONNECTIONS + " must be between 1 and 4096");
        }
    }

    /** Reads a component configuration; absent keys keep their {@link #DEFAULTS}. */
    static DnsSettings from(Map<String, ?> config) {
        DnsSettings d = DEFAULTS;
        String alt = string(config, ALT_DOMAIN, "");
        return new DnsSettings(
                string(config, ADDRESS, d.address()),
                (int) number(config, PORT, d.port()),
                zone(DOMAIN, string(config, DOMAIN, d.domain().toString())),
                alt.isEmpty() ? null : zone(ALT_DOMAIN, alt),
                recursors(strings(config, RECURSORS)),
                duration(config, RECURSOR_TIMEOUT, d.recursorTimeout()),
                duration(config, NODE_TTL, d.nodeTtl()),
                config.get(SERVICE_TTL) == null ? d.serviceTtls() : ServiceTtls.parse(strings(config, SERVICE_TTL)),
                (int) number(config, UDP_ANSWER_LIMIT, d.udpAnswerLimit()),
                (int) number(config, A_RECORD_LIMIT, d.aRecordLimit()),
                bool(config, ONLY_PASSING, d.onlyPassing()),
                bool(config, ENABLE_TRUNCATE, d.enableTruncate()),
                bool(config, ALLOW_STALE, d.allowStale()),
                bool(config, DISABLE_COMPRESSION, d.disableCompression()),
                number(config, SOA_REFRESH, d.soaRefresh()),
                number(config, SOA_RETRY, d.soaRetry()),
                number(config, SOA_EXPIRE, d.soaExpire()),
                number(config, SOA_MIN_TTL, d.soaMinTtl()),
                bool(config, NODE_META_TXT, d.nodeMetaTxt()),
                duration(config, QUERY_TIMEOUT, d.queryTimeout()),
                (int) number(config, UDP_WORKERS, d.udpWorkers()),
                (int) number(config, TCP_MAX_CONNECTIONS, d.tcpMaxConnections()),
                duration(config, TCP_IDLE_TIMEOUT, d.tcpIdleTimeout()));
    }

    /** Whether the listeners must be rebuilt to apply {@code next}; everything else is swapped in place. */
    boolean sameListeners(DnsSettings next) {
        return address.equals(next.address) && port == next.port && udpWorkers == next.udpWorkers
                && tcpMaxConnections == next.tcpMaxConnections && tcpIdleTimeout.equals(next.tcpIdleTimeout);
    }

    DnsSettings withPort(int newPort) {
        return new DnsSettings(address, newPort, domain, altDomain, recursors, recursorTimeout, nodeTtl, serviceTtls,
                udpAnswerLimit, aRecordLimit, onlyPassing, enableTruncate, allowStale, disableCompression, soaRefresh,
                soaRetry, soaExpire, soaMinTtl, nodeMetaTxt, queryTimeout, udpWorkers, tcpMaxConnections,
                tcpIdleTimeout);
    }

    long nodeTtlSeconds() {
        return nodeTtl.getSeconds();
    }

    static Name zone(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
        if (!t.endsWith(".")) {
            t = t + ".";
        }
        try {
            return Name.fromString(t);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(key + " \"" + text + "\" is not a DNS name: " + e.getMessage());
        }
    }

    /** {@code ip}, {@code ip:port}, {@code [v6]:port} or a bare IPv6 address; port 53 when absent. */
    static List<InetSocketAddress> recursors(List<String> entries) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : entries) {
            String r = raw.trim();
            if (r.isEmpty()) {
                continue;
            }
            String host = r;
            int port = 53;
            if (r.startsWith("[")) {
                int close = r.indexOf(']');
                if (close < 0) {
                    throw badRecursor(raw);
                }
                host = r.substring(1, close);
                String rest = r.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw badRecursor(raw);
                    }
                    port = parsePort(rest.substring(1), raw);
                }
            } else if (r.indexOf(':') == r.lastIndexOf(':') && r.indexOf(':') >= 0) {
                host = r.substring(0, r.indexOf(':'));
                port = parsePort(r.substring(r.indexOf(':') + 1), raw);
            }
            InetAddress ip = IpLiterals.parse(host);
            if (ip == null) {
                throw badRecursor(raw);
            }
            out.add(new InetSocketAddress(ip, port));
        }
        return out;
    }

    private static int parsePort(String text, String raw) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw badRecursor(raw);
            }
            return p;
        } catch (NumberFormatException e) {
            throw badRecursor(raw);
        }
    }

    private static IllegalArgumentException badRecursor(String raw) {
        return new IllegalArgumentException(RECURSORS + ": \"" + raw + "\" is not ip or ip:port");
    }

    private static void positive(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
    }

    private static void notNegative(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + " must not be negative");
        }
    }

    private static void uint32(long v, String key) {
        if (v < 0 || v > UINT32_MAX) {
            throw new IllegalArgumentException(key + " must be between 0 and " + UINT32_MAX);
        }
    }

    static List<String> strings(Map<String, ?> config, String key) {
        return ConfigValues.strings(config, key);
    }
}
