package io.conclave.agent.internal;

import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The agent's configuration (PID {@code io.conclave.agent}) as the local state reads it: identity, the
 * script-check switches, timing, and the service/check definitions from config files.
 *
 * @param nodeMeta         {@code node_meta} ({@code "key:value"} strings in the PID), written to the catalog
 *                         with Consul's {@code consul-network-segment}
 * @param definitions      a JSON string {@code {"services":[...],"checks":[...]}} holding the definitions
 *                         exactly as the user wrote them ("" for none)
 * @param aeInterval       anti-entropy full-sync interval (Consul's 1 minute for clusters up to 128 nodes)
 * @param checkReapInterval how often critical checks with {@code deregister_critical_service_after} are examined
 * @param checkDeregisterIntervalMin the shortest {@code deregister_critical_service_after} honoured
 */
record AgentConfig(AgentIdentity identity, Map<String, String> nodeMeta, boolean enableScriptChecks,
                   boolean enableLocalScriptChecks, Duration checkUpdateInterval, String definitions,
                   Duration aeInterval, Duration checkReapInterval, Duration checkDeregisterIntervalMin) {

    static final Duration DEFAULT_CHECK_UPDATE_INTERVAL = Duration.ofMinutes(5);
    static final Duration DEFAULT_AE_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_REAP_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_DEREGISTER_MIN = Duration.ofMinutes(1);

    static AgentConfig from(Map<String, ?> config, String fallbackNodeId) {
        boolean scripts = bool(config, "enable_script_checks", false);
        return new AgentConfig(identityFrom(config, fallbackNodeId), nodeMeta(config.get("node_meta")),
                scripts,
                // Consul: enable_script_checks implies enable_local_script_checks.
                scripts || bool(config, "enable_local_script_checks", false),
                duration(config, "check_update_interval", DEFAULT_CHECK_UPDATE_INTERVAL),
                string(config, "definitions", ""),
                duration(config, "ae_interval", DEFAULT_AE_INTERVAL),
                duration(config, "check_reap_interval", DEFAULT_REAP_INTERVAL),
                duration(config, "check_deregister_interval_min", DEFAULT_DEREGISTER_MIN));
    }

    private static Map<String, String> nodeMeta(Object value) {
        java.util.List<String> pairs = new java.util.ArrayList<>();
        if (value instanceof String[] a) {
            pairs.addAll(java.util.List.of(a));
        } else if (value instanceof java.util.Collection<?> c) {
            c.forEach(o -> pairs.add(String.valueOf(o)));
        } else if (value != null && !value.toString().isEmpty()) {
            pairs.add(value.toString());
        }
        Map<String, String> meta = new java.util.TreeMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                meta.put(pair.substring(0, colon), pair.substring(colon + 1));
            } else if (!pair.isEmpty()) {
                meta.put(pair, "");
            }
        }
        return Map.copyOf(meta);
    }

    static AgentIdentity identityFrom(Map<String, ?> config, String fallbackNodeId) {
        return AgentIdentity.fromConfig(config, fallbackNodeId);
    }

    private static String string(Map<String, ?> config, String key, String def) {
        Object v = config.get(key);
        return v == null || v.toString().isEmpty() ? def : v.toString();
    }

    private static boolean bool(Map<String, ?> config, String key, boolean def) {
        Object v = config.get(key);
        return v == null ? def : Boolean.parseBoolean(v.toString());
    }

    private static int integer(Map<String, ?> config, String key, int def) {
        Object v = config.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null ? def : Integer.parseInt(v.toString());
    }

    private static Duration duration(Map<String, ?> config, String key, Duration def) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return def;
        }
        if (v instanceof Number n) {
            return Duration.ofSeconds(n.longValue());
        }
        try {
            Duration d = GoDuration.parse(v.toString().trim());
            if (!d.isNegative()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        LoggerFactory.getLogger("agent").warn("Ignoring an invalid {}: \"{}\" (using {})", key, v, GoDuration.format(def));
        return def;
    }
}
