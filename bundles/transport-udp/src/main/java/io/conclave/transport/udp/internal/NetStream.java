package io.conclave.transport.udp.internal;

import io.conclave.api.gossip.GossipStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection with Go-style deadlines. Reads are bounded by the socket's SO_TIMEOUT, set to the
 * time left before each read. Java has no write timeout, so a watchdog on the transport's shared
 * scheduler closes the socket if a write is still in progress when the deadline passes.
 */
final class NetStream implements GossipStream {

    private static final Logger LOG = LoggerFactory.getLogger(NetStream.class);

    private final SocketChannel channel;
    private final Socket socket;
    private final InetSocketAddress remote;
    private final ScheduledExecutorService watchdogs;
    private final Consumer<NetStream> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger writing = new AtomicInteger();
    private final InputStream in;
    private final OutputStream out;
    /** System.nanoTime() of the deadline; meaningless while {@link #hasDeadline} is false. */
    private volatile long deadlineNanos;
    private volatile boolean hasDeadline;
    private volatile boolean writeTimedOut;
    private ScheduledFuture<?> watchdog;

    NetStream(SocketChannel channel, InetSocketAddress remote, ScheduledExecutorService watchdogs,
            Consumer<NetStream> onClose) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.remote = remote;
        this.watchdogs = watchdogs;
        this.onClose = onClose;
        this.in = new DeadlineInput(socket.getInputStream());
        this.out = new DeadlineOutput(socket.getOutputStream());
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public InputStream in() throws IOException {
        ensureOpen();
        return in;
    }

    @Override
    public OutputStream out() throws IOException {
        ensureOpen();
        return out;
    }

    @Override
    public void deadline(Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        ensureOpen();
        long at = System.nanoTime() + Math.max(0, saturatedNanos(timeout));
        synchronized (this) {
            deadlineNanos = at;
            hasDeadline = true;
            writeTimedOut = false;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            try {
                watchdog = watchdogs.schedule(this::expireWrites, Math.max(0, at - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                throw new IOException("gossip transport is shutting down", e);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
        }
    }

    private void expireWrites() {
        if (writing.get() > 0 && remainingNanos() <= 0) {
            writeTimedOut = true;
            LOG.debug("write to {} passed its deadline; closing the stream", remote);
            close();
        }
    }

    private long remainingNanos() {
        return hasDeadline ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("stream to " + remote + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing stream to {}: {}", remote, e.toString());
        }
        onClose.accept(this);
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "gossip stream with " + remote;
    }

    private final class DeadlineInput extends InputStream {
        private final InputStream delegate;

        DeadlineInput(InputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            ensureOpen();
            long remaining = remainingNanos();
            if (remaining <= 0) {
                throw new SocketTimeoutException("read deadline exceeded on stream with " + remote);
            }
            int millis = remaining == Long.MAX_VALUE ? 0
                    : (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999)));
            socket.setSoTimeout(millis);
            try {
                return delegate.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("read deadline exceeded on stream with " + remote);
            }
        }

        @Override
        public int available() throws IOException {
            return delegate.available();
        }

        @Override
        public void close() {
            NetStream.this.close();
        }
    }

    private final class DeadlineOutput extends OutputStream {
        private final OutputStream delegate;

        DeadlineOutput(OutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            writing.incrementAndGet();
            try {
                ensureOpen();
                if (remainingNanos() <= 0) {
                    throw new SocketTimeoutException("write deadline exceeded on stream with " + remote);
                }
                delegate.write(b, off, len);
            } catch (IOException e) {
                if (writeTimedOut) {
                    throw new SocketTimeoutException("write deadline exceeded on stream with " + remote);
                }
                throw e;
            } finally {
                writing.decrementAndGet();
            }
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() {
            NetStream.this.close();
        }
    }
}
