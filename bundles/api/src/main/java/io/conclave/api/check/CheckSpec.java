package io.conclave.api.check;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One check as its type sees it: the agent keeps status, flap damping and scheduling; the type only
 * runs it.
 *
 * @param params        the definition's type-specific keys in Consul's snake_case ({@code http},
 *                      {@code method}, {@code header} as {@code Map<String, List<String>>}, {@code body},
 *                      {@code tls_skip_verify}, {@code tls_server_name}, {@code tcp}, {@code args} as
 *                      {@code List<String>}, {@code ttl}, or a custom type's own keys); values are
 *                      String, Boolean, Number, List or Map as parsed from JSON
 * @param outputMaxSize the most output to keep, in bytes (Consul's default 4096)
 */
public record CheckSpec(String checkId, String type, Duration interval, Duration timeout, Map<String, Object> params,
                        int outputMaxSize) {

    public static final int DEFAULT_OUTPUT_MAX_SIZE = 4096;

    public CheckSpec {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(type, "type");
        interval = interval == null ? Duration.ZERO : interval;
        timeout = timeout == null ? Duration.ZERO : timeout;
        params = params == null ? Map.of() : Map.copyOf(params);
        outputMaxSize = outputMaxSize <= 0 ? DEFAULT_OUTPUT_MAX_SIZE : outputMaxSize;
    }

    /** A string parameter, or {@code def} when absent. */
    public String string(String key, String def) {
        Object v = params.get(key);
        return v == null ? def : v.toString();
    }

    public boolean bool(String key) {
        Object v = params.get(key);
        return v instanceof Boolean b ? b : v != null && Boolean.parseBoolean(v.toString());
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = params.get(key);
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return v == null ? List.of() : List.of(v.toString());
    }
}
