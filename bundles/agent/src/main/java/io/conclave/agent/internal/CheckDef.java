package io.conclave.agent.internal;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.check.CheckSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated check definition (Consul's {@code CheckType} plus the check's identity). Two equal
 * definitions describe the same check: a reload or re-registration that hands in an equal one keeps
 * the running check, its status and its schedule.
 *
 * @param id        the check ID ("" until the service or the name assigns one)
 * @param status    the initial status, or "" for Consul's default ({@code critical})
 * @param type      the check type name ({@code script}, {@code http}, {@code tcp}, {@code ttl}, … or a custom one)
 * @param params    what the {@link io.conclave.api.check.CheckType} sees ({@link CheckSpec#params()})
 */
record CheckDef(String id, String name, String notes, String serviceId, String status, String type,
                Duration interval, Duration timeout, Duration ttl, Map<String, Object> params,
                Duration deregisterCriticalServiceAfter, int successBeforePassing, int failuresBeforeWarning,
                int failuresBeforeCritical, int outputMaxSize) {

    /** Consul's {@code checks.MinInterval}: shorter intervals are raised to it. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    static final Set<String> SCRIPT_TYPES = Set.of("script", "docker");

    CheckDef {
        params = Map.copyOf(params);
    }

    boolean ttlScheduled() {
        return ttl.compareTo(Duration.ZERO) > 0;
    }

    boolean isScript() {
        return SCRIPT_TYPES.contains(type);
    }

    /** The interval the scheduler uses: at least {@link #MIN_INTERVAL}, as Consul's check runners enforce. */
    Duration effectiveInterval() {
        return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
    }

    /** Consul's defaults: 30s for script checks, 10s for everything else. */
    Duration effectiveTimeout() {
        if (timeout.compareTo(Duration.ZERO) > 0) {
            return timeout;
        }
        return isScript() ? Duration.ofSeconds(30) : Duration.ofSeconds(10);
    }

    /** Consul keeps the smaller of the agent's limit (4096 bytes) and the check's own. */
    int effectiveOutputMaxSize() {
        return outputMaxSize > 0 && outputMaxSize < CheckSpec.DEFAULT_OUTPUT_MAX_SIZE
                ? outputMaxSize : CheckSpec.DEFAULT_OUTPUT_MAX_SIZE;
    }

    CheckSpec spec() {
        return new CheckSpec(id, type, ttlScheduled() ? Duration.ZERO : effectiveInterval(), effectiveTimeout(),
                params, effectiveOutputMaxSize());
    }

    /** What the catalog shows under {@code Definition}: filled for HTTP and TCP checks, empty ({@code {}}) otherwise. */
    @SuppressWarnings("unchecked")
    CheckDefinition definition() {
        if (!type.equals("http") && !type.equals("tcp")) {
            return CheckDefinition.EMPTY;
        }
        Object header = params.get("header");
        return new CheckDefinition(
                (String) params.getOrDefault("http", ""),
                (String) params.getOrDefault("tls_server_name", ""),
                Boolean.TRUE.equals(params.get("tls_skip_verify")),
                header instanceof Map<?, ?> h ? (Map<String, List<String>>) h : Map.of(),
                (String) params.getOrDefault("method", ""),
                (String) params.getOrDefault("body", ""),
                (String) params.getOrDefault("tcp", ""),
                interval, timeout, deregisterCriticalServiceAfter);
    }

    CheckDef withIdentity(String newId, String newName, String newServiceId) {
        return new CheckDef(newId, newName, notes, newServiceId, status, type, interval, timeout, ttl, params,
                deregisterCriticalServiceAfter, successBeforePassing, failuresBeforeWarning, failuresBeforeCritical,
                outputMaxSize);
    }
}
