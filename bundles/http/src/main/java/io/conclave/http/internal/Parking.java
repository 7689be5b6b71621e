package io.conclave.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A read parked on its connection. While parked, the connection's idle timeout is stretched to the
 * read's own deadline (a long poll is silent by design), and the connection is watched for the client
 * going away.
 *
 * <p>Why the watch: Jetty reads nothing from a connection while a request is being handled, so a client
 * that gives up on a long poll would otherwise keep its connection (and its slot under
 * {@code max_conns_per_client}) until the query's wait ends. Jetty reads nothing from a connection while a
 * request is being handled, so a client that gives up on a long poll would otherwise keep its
 * connection (and its slot under {@code max_conns_per_client}) until the query's wait ends. Go's
 * server notices at once (its background read cancels the request context), and so does this: while
 * the read is parked it holds read interest on the connection; end of stream closes the connection and
 * calls {@code onGone}. {@link #stop()} must run before the answer is written, so the connection's own
 * reading resumes undisturbed afterwards.
 *
 * <p>Only bodiless requests are watched (a body would be the connection's to read). If the client sends
 * bytes anyway (a pipelined request), they cannot be handed back: the watch stops and the answer asks
 * for the connection to be closed, so the client retries its next request on a fresh one.
 */
final class Parking implements Callback {

    /** The request attribute holding the request's {@link EndPoint} (set by {@link RawRequest}). */
    static final String END_POINT = Parking.class.getName() + ".endPoint";

    private final AbstractEndPoint endPoint;
    private final Runnable onGone;
    private final long idleTimeout;
    private final ByteBuffer probe = BufferUtil.allocate(1);
    private boolean stopped;
    private boolean armed;
    private boolean sawData;

    private Parking(AbstractEndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
        this.idleTimeout = endPoint.getIdleTimeout();
    }

    /**
     * Parks a read on its connection, or returns {@code null} when the connection is not Jetty's.
     *
     * @param deadline  how long the read may stay parked; the idle timeout is stretched past it
     * @param watchable whether the request has no body, so that the connection may be watched
     */
    static Parking park(Object endPoint, java.time.Duration deadline, boolean watchable, Runnable onGone) {
        if (!(endPoint instanceof AbstractEndPoint ep) || !ep.isOpen()) {
            return null;
        }
        Parking parking = new Parking(ep, onGone);
        ep.setIdleTimeout(Math.max(parking.idleTimeout, deadline.toMillis()));
        if (watchable && !ep.isFillInterested()) {
            parking.arm();
        } else {
            parking.stopped = true;
        }
        return parking;
    }

    private synchronized void arm() {
        if (!stopped && !armed) {
            armed = endPoint.tryFillInterested(this);
        }
    }

    /**
     * Stops watching and restores the idle timeout; true if the client sent bytes meanwhile, so the
     * connection must not be reused.
     */
    synchronized boolean unpark() {
        endPoint.setIdleTimeout(idleTimeout);
        stopped = true;
        if (armed) {
            armed = false;
            // Only this watch registers read interest while the request is parked, so the interest
            // withdrawn here is this watch's own.
            endPoint.getFillInterest().onFail(new CancellationException("blocking read answered"));
        }
        return sawData;
    }

    @Override
    public void succeeded() {
        boolean gone = false;
        synchronized (this) {
            armed = false;
            if (stopped) {
                return;
            }
            try {
                BufferUtil.clear(probe);
                int n = endPoint.fill(probe);
                if (n < 0) {
                    gone = true;
                } else if (n > 0) {
                    sawData = true;
                    stopped = true;
                } else {
                    arm();
                }
            } catch (IOException e) {
                gone = true;
            }
            if (gone) {
                stopped = true;
            }
        }
        if (gone) {
            endPoint.close();
            onGone.run();
        }
    }

    @Override
    public void failed(Throwable cause) {
        synchronized (this) {
            armed = false;
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
