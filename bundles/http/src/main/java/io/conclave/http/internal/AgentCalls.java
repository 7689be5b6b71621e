package io.conclave.http.internal;

import com.fasterxml.jackson.core.JacksonException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * What the agent's local-state endpoints share: the decoded path and query, request bodies decoded as
 * Consul decodes them, Go's {@code strconv.ParseBool}, and the {@code Agent} contract's exceptions
 * turned into Consul's answers (400 with the message, 404 for an unknown ID, 500 otherwise).
 */
final class AgentCalls {

    /** The largest service or check definition read (Consul sets no limit of its own here). */
    static final long MAX_BODY = 1024 * 1024;

    private AgentCalls() {
    }

    static GoQuery query(ContainerRequest request) {
        return StatusResource.query(request);
    }

    /** The percent-decoded request path. */
    static String path(ContainerRequest request) {
        Object path = request.getProperty(RoutingFilter.PATH);
        return path != null ? path.toString() : RoutingFilter.decodePath(RoutingFilter.rawPath(request));
    }

    /** The path after {@code prefix} (Consul's {@code strings.TrimPrefix}). */
    static String after(ContainerRequest request, String prefix) {
        String path = path(request);
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    /** Runs an agent call, answering its refusals as Consul does. */
    static void run(Runnable call) {
        get(() -> {
            call.run();
            return null;
        });
    }

    static <T> T get(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, message(e));
        } catch (NoSuchElementException e) {
            throw new HttpError(404, message(e));
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new HttpError(500, message(e));
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * A JSON object body, read within {@link #MAX_BODY}: an absent body is Go's {@code EOF}, {@code null}
     * decodes to nothing set, anything but an object is a decode failure.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(ContainerRequest request, String goType) throws IOException {
        byte[] bytes;
        try {
            bytes = Bodies.read(request.getEntityStream(), request.getLength(), MAX_BODY);
        } catch (Bodies.TooLarge e) {
            throw new HttpError(413, "Request body(" + e.size() + " bytes) too large, max size: " + MAX_BODY + " bytes");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw HttpError.badRequest("Request decode failed: EOF");
        }
        Object value;
        try {
            value = Json.mapper().readValue(bytes, Object.class);
        } catch (JacksonException e) {
            throw HttpError.badRequest("Request decode failed: " + e.getOriginalMessage());
        }
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?> map)) {
            String kind = value instanceof java.util.List ? "array" : value instanceof String ? "string"
                    : value instanceof Boolean ? "bool" : "number";
            throw HttpError.badRequest("Request decode failed: json: cannot unmarshal " + kind
                    + " into Go value of type " + goType);
        }
        return (Map<String, Object>) map;
    }

    /** A case-insensitive field of a decoded body, as Go's decoder matches struct fields. */
    static Object field(Map<String, Object> body, String name) {
        Object found = null;
        for (Map.Entry<String, Object> e : body.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                found = e.getValue();
            }
        }
        return found;
    }

    /** Go's {@code strconv.ParseBool}; null when {@code s} is not one of its spellings. */
    static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Consul's {@code enable} parameter of the maintenance endpoints. */
    static boolean enable(GoQuery query) {
        if (!query.has("enable")) {
            throw HttpError.badRequest("Missing value for enable");
        }
        String raw = query.get("enable");
        Boolean enable = parseBool(raw);
        if (enable == null) {
            throw HttpError.badRequest("Invalid value for enable: " + GoText.quote(raw));
        }
        return enable;
    }

    /** The empty 200 Consul answers a successful write with. */
    static Response ok() {
        return Response.ok().build();
    }
}
