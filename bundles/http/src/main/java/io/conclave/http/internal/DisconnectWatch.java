package io.conclave.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a parked read went away. Jetty reads nothing from a connection while a
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
final class DisconnectWatch implements Callback {

    /** The request attribute holding the request's {@link EndPoint} (set by {@link RawRequest}). */
    static final String END_POINT = DisconnectWatch.class.getName() + ".endPoint";

    private final AbstractEndPoint endPoint;
    private final Runnable onGone;
    private final ByteBuffer probe = BufferUtil.allocate(1);
    private boolean stopped;
    private boolean armed;
    private boolean sawData;

    private DisconnectWatch(AbstractEndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /** Starts watching, or returns {@code null} when the connection cannot be watched. */
    static DisconnectWatch start(Object endPoint, Runnable onGone) {
        if (!(endPoint instanceof AbstractEndPoint ep) || !ep.isOpen() || ep.isFillInterested()) {
            return null;
        }
        DisconnectWatch watch = new DisconnectWatch(ep, onGone);
        watch.arm();
        return watch;
    }

    private synchronized void arm() {
        if (!stopped && !armed) {
            armed = endPoint.tryFillInterested(this);
        }
    }

    /** Stops watching; true if the client sent bytes meanwhile and the connection must not be reused. */
    synchronized boolean stop() {
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
