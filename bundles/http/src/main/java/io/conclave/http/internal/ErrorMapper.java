package io.conclave.http.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.query.DatacenterNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consul's {@code handleErr}: every failure becomes a plain-text answer, never Jersey's or Jetty's own
 * page and never a stack trace. {@link HttpError} carries its status; request bodies that do not decode
 * are 400; anything else is 500 with the exception's message ({@code No cluster leader},
 * {@code No path to datacenter}, …), as Consul answers an RPC error.
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {

    /** What Go's {@code http.DetectContentType} makes of Consul's error texts. */
    public static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger("http");

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable e = unwrap(thrown);
        if (e instanceof HttpError h) {
            Response.ResponseBuilder r = Response.status(h.status())
                    .entity(h.getMessage().getBytes(StandardCharsets.UTF_8)).type(TEXT_PLAIN_UTF8);
            if (!h.allow().isEmpty()) {
                r.header("Allow", String.join(",", h.allow()));
            }
            return r.build();
        }
        if (e instanceof NotLeaderException || e instanceof DatacenterNotFoundException) {
            return plain(500, e.getMessage());
        }
        if (e instanceof JacksonException j) {
            return plain(400, "Request decode failed: " + j.getOriginalMessage());
        }
        if (e instanceof WebApplicationException w) {
            // Only Jersey's own refusals land here (the routing filter answers 404/405 before matching).
            int status = w.getResponse().getStatus();
            Response.StatusType type = Response.Status.fromStatusCode(status);
            String reason = type == null ? "Request failed" : type.getReasonPhrase();
            if (status >= 500) {
                LOG.warn("request failed inside Jersey", e);
            }
            return plain(status, reason);
        }
        LOG.error("request failed", e);
        String message = e.getMessage();
        return plain(500, message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }

    public static Response plain(int status, String text) {
        return Response.status(status).entity(text.getBytes(StandardCharsets.UTF_8)).type(TEXT_PLAIN_UTF8).build();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof jakarta.ws.rs.ProcessingException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
