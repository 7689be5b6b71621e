package io.conclave.http.internal;

import static io.conclave.api.config.ConfigValues.bool;
import static io.conclave.api.config.ConfigValues.duration;
import static io.conclave.api.config.ConfigValues.number;
import static io.conclave.api.config.ConfigValues.string;

import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP listener's configuration (PID {@code io.conclave.http}). Values arrive from ConfigAdmin as
 * strings, integers or longs depending on who wrote them, so each is parsed leniently here and
 * rejected with a message naming the key when it makes no sense.
 *
 * @param address           the host to bind; never empty (a Jetty connector binds every interface otherwise)
 * @param port              the port; 0 picks a free one
 * @param maxConnsPerClient Consul's {@code limits.http_max_conns_per_client}; 0 turns the limit off
 * @param kvMaxValueSize    Consul's {@code limits.kv_max_value_size}, in bytes
 * @param maxHeaderBytes    the largest request line plus headers accepted, in bytes
 * @param idleTimeout       how long an idle keep-alive connection is kept open
 * @param maxThreads        the size bound of the request thread pool
 * @param devMode           Consul pretty-prints every JSON answer in {@code -dev} mode
 */
public record Settings(String address, int port, int maxConnsPerClient, long kvMaxValueSize, int maxHeaderBytes,
                       Duration idleTimeout, int maxThreads, boolean devMode) {

    public static final String ADDRESS = "address";
    public static final String PORT = "port";
    public static final String MAX_CONNS_PER_CLIENT = "max_conns_per_client";
    public static final String KV_MAX_VALUE_SIZE = "kv_max_value_size";
    public static final String MAX_HEADER_BYTES = "max_header_bytes";
    public static final String IDLE_TIMEOUT = "idle_timeout";
    public static final String MAX_THREADS = "max_threads";
    public static final String DEV_MODE = "dev_mode";

    public static final Settings DEFAULTS = new Settings("127.0.0.1", 8500, 200, 512 * 1024, 16 * 1024,
            Duration.ofSeconds(60), 128, false);

    public Settings {
        Objects.requireNonNull(address, ADDRESS);
        Objects.requireNonNull(idleTimeout, IDLE_TIMEOUT);
        if (address.isBlank()) {
            throw new IllegalArgumentException(ADDRESS + " must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT + " must be between 0 and 65535, not " + port);
        }
        if (maxConnsPerClient < 0) {
            throw new IllegalArgumentException(MAX_CONNS_PER_CLIENT + " must not be negative");
        }
        if (kvMaxValueSize < 0 || kvMaxValueSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(KV_MAX_VALUE_SIZE + " must be between 0 and " + (Integer.MAX_VALUE - 8));
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException(MAX_HEADER_BYTES + " must be at least 1024");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException(IDLE_TIMEOUT + " must be positive");
        }
        if (maxThreads < 8) {
            throw new IllegalArgumentException(MAX_THREADS + " must be at least 8");
        }
    }

    /** Reads a component configuration; absent keys keep their {@link #DEFAULTS}. */
    public static Settings from(Map<String, ?> config) {
        Settings d = DEFAULTS;
        return new Settings(
                string(config, ADDRESS, d.address()),
                (int) number(config, PORT, d.port()),
                (int) number(config, MAX_CONNS_PER_CLIENT, d.maxConnsPerClient()),
                number(config, KV_MAX_VALUE_SIZE, d.kvMaxValueSize()),
                (int) number(config, MAX_HEADER_BYTES, d.maxHeaderBytes()),
                duration(config, IDLE_TIMEOUT, d.idleTimeout()),
                (int) number(config, MAX_THREADS, d.maxThreads()),
                bool(config, DEV_MODE, d.devMode()));
    }

    public Settings withPort(int newPort) {
        return new Settings(address, newPort, maxConnsPerClient, kvMaxValueSize, maxHeaderBytes, idleTimeout,
                maxThreads, devMode);
    }

    public Settings withIdleTimeout(Duration timeout) {
        return new Settings(address, port, maxConnsPerClient, kvMaxValueSize, maxHeaderBytes, timeout, maxThreads,
                devMode);
    }

    public Settings withMaxConnsPerClient(int limit) {
        return new Settings(address, port, limit, kvMaxValueSize, maxHeaderBytes, idleTimeout, maxThreads, devMode);
    }

    public Settings withDevMode(boolean dev) {
        return new Settings(address, port, maxConnsPerClient, kvMaxValueSize, maxHeaderBytes, idleTimeout,
                maxThreads, dev);
    }

}
