package io.conclave.http.internal;

import io.conclave.api.query.QueryMeta;
import jakarta.ws.rs.core.Response;

/** Consul's {@code setMeta}: the headers a blocking read answers with, on 200 and 404 alike. */
public final class Meta {

    private Meta() {
    }

    public static Response.ResponseBuilder apply(Response.ResponseBuilder r, QueryMeta meta, ReadOptions options) {
        return r.header("X-Consul-Index", Long.toUnsignedString(Math.max(1, meta.index())))
                .header("X-Consul-KnownLeader", meta.knownLeader() ? "true" : "false")
                .header("X-Consul-LastContact", Long.toString(Math.max(0, meta.lastContactMillis())))
                .header("X-Consul-Effective-Consistency", options.effectiveConsistency());
    }

    /** A JSON answer: {@code application/json}, indented when asked. */
    public static Response.ResponseBuilder json(Response.ResponseBuilder r, Object body, boolean pretty) {
        return r.entity(Json.write(body, pretty)).type("application/json");
    }
}
