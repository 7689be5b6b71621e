package io.conclave.http.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (a malformed request line, headers over the limit, a bad URI) come out
 * as Go's {@code net/http} writes them: {@code text/plain}, body {@code "<code> <reason>"}, whatever
 * the client's Accept header says, never HTML and never a stack trace.
 */
final class PlainErrors {

    private PlainErrors() {
    }

    static String text(int code) {
        String reason = HttpStatus.getMessage(code);
        return code + " " + (reason == null ? "Error" : reason);
    }

    /** For errors outside any context (the server's own). */
    static final class Server extends org.eclipse.jetty.server.handler.ErrorHandler {
        Server() {
            setShowStacks(false);
            setShowCauses(false);
            setShowMessageInTitle(false);
            setCacheControl(null);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) throws IOException {
            if (!generateAcceptableResponse(request, response, callback, "text/plain",
                    List.of(StandardCharsets.UTF_8), code, message, cause)) {
                callback.succeeded();
            }
        }

        @Override
        protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(text(code));
        }
    }

    /** For {@code sendError} inside the servlet context (Jersey's, should it ever use it). */
    static final class Context extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        Context() {
            setShowStacks(false);
            setShowCauses(false);
            setShowMessageInTitle(false);
            setShowOrigin(false);
            setCacheControl(null);
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) throws IOException {
            if (!generateAcceptableResponse(request, response, callback, "text/plain",
                    List.of(StandardCharsets.UTF_8), code, message, cause)) {
                callback.succeeded();
            }
        }

        @Override
        protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(text(code));
        }
    }
}
