package io.conclave.api.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the catalog shows of how a check runs, Consul's {@code HealthCheckDefinition} (JSON
 * {@code Definition}; empty fields are omitted, so a script check shows {@code {}}).
 */
public record CheckDefinition(String http, String tlsServerName, boolean tlsSkipVerify,
                              Map<String, List<String>> header, String method, String body, String tcp,
                              Duration interval, Duration timeout, Duration deregisterCriticalServiceAfter) {
    public static final CheckDefinition EMPTY = new CheckDefinition("", "", false, Map.of(), "", "", "",
            Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public CheckDefinition {
        http = http == null ? "" : http;
        tlsServerName = tlsServerName == null ? "" : tlsServerName;
        header = header == null ? Map.of() : Map.copyOf(header);
        method = method == null ? "" : method;
        body = body == null ? "" : body;
        tcp = tcp == null ? "" : tcp;
        interval = interval == null ? Duration.ZERO : interval;
        timeout = timeout == null ? Duration.ZERO : timeout;
        deregisterCriticalServiceAfter = deregisterCriticalServiceAfter == null ? Duration.ZERO : deregisterCriticalServiceAfter;
    }
}
