package io.conclave.rpc.internal;

import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.query.DatacenterNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What kind of failure an ERROR reply carries, so the client raises the same exception type the server's
 * endpoint threw and HTTP answers the same status either way ({@code IllegalArgumentException} is a refusal,
 * {@code NoSuchElementException} a 404, {@code NotLeaderException} {@code No cluster leader}, …). Codes are
 * part of the wire format: append only. A code this version does not know reads as {@link #OTHER}.
 */
enum ErrorClass {
    OTHER(0),
    BAD_REQUEST(1),
    NOT_FOUND(2),
    NOT_LEADER(3),
    NO_DATACENTER(4),
    UNSUPPORTED(5),
    ILLEGAL_STATE(6),
    UNKNOWN_METHOD(7),
    CANCELLED(8),
    TOO_MANY_CALLS(9);

    final int code;

    ErrorClass(int code) {
        this.code = code;
    }

    static ErrorClass ofCode(int code) {
        for (ErrorClass c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return OTHER;
    }

    /**
     * The failure types each class stands for, checked in this order and the first match wins, so an
     * {@link UnknownMethodException} is told from the {@code UnsupportedOperationException} it extends and a
     * {@link TooManyCallsException} and a {@code CancellationException} from the {@code IllegalStateException} they extend.
     */
    private static final List<Map.Entry<Class<? extends Throwable>, ErrorClass>> BY_FAILURE_TYPE = List.of(
            Map.entry(NotLeaderException.class, NOT_LEADER),
            Map.entry(DatacenterNotFoundException.class, NO_DATACENTER),
            Map.entry(IllegalArgumentException.class, BAD_REQUEST),
            Map.entry(NoSuchElementException.class, NOT_FOUND),
            Map.entry(UnknownMethodException.class, UNKNOWN_METHOD),
            Map.entry(UnsupportedOperationException.class, UNSUPPORTED),
            Map.entry(TooManyCallsException.class, TOO_MANY_CALLS),
            Map.entry(CancellationException.class, CANCELLED),
            Map.entry(IllegalStateException.class, ILLEGAL_STATE));

    /** The class of a failure an endpoint produced (wrappers stripped). */
    static ErrorClass of(Throwable failure) {
        Throwable t = unwrap(failure);
        for (Map.Entry<Class<? extends Throwable>, ErrorClass> e : BY_FAILURE_TYPE) {
            if (e.getKey().isInstance(t)) {
                return e.getValue();
            }
        }
        return OTHER;
    }

    /** The exception a client raises for an ERROR reply of this class. */
    RuntimeException toException(String message) {
        return switch (this) {
            case BAD_REQUEST -> new IllegalArgumentException(message);
            case NOT_FOUND -> new NoSuchElementException(message);
            case NOT_LEADER -> new NotLeaderException();
            case NO_DATACENTER -> new DatacenterNotFoundException(message);
            case UNSUPPORTED, UNKNOWN_METHOD -> new UnsupportedOperationException(message);
            case ILLEGAL_STATE, TOO_MANY_CALLS -> new IllegalStateException(message);
            case CANCELLED -> new CancellationException(message);
            case OTHER -> new RemoteCallException(message);
        };
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String message(Throwable failure) {
        Throwable t = unwrap(failure);
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** A call named a method this server does not serve (Go net/rpc's {@code rpc: can't find method}). */
    static final class UnknownMethodException extends UnsupportedOperationException {
        private static final long serialVersionUID = 1L;

        UnknownMethodException(String method) {
            super("rpc: can't find method " + method);
        }
    }

    /** A connection already carries as many calls as the server allows. */
    static final class TooManyCallsException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooManyCallsException(int limit) {
            super("rpc: too many calls in flight on this connection (limit " + limit + ")");
        }
    }
}
