package io.conclave.rpc.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the RPC port ({@link Protocol}): one selector thread accepts, reads and writes every
 * connection; calls are decoded and handed to their endpoint on a small worker pool, and each reply is
 * queued for the selector when the endpoint's stage completes. A parked blocking query therefore holds no
 * thread, only its entry in the connection's in-flight table.
 *
 * <p>Bounds: connections in total and per client IP (refused at accept), frame size (the connection is
 * closed), calls in flight per connection (the extra call is answered with an error), a handshake deadline,
 * an idle deadline (no call in flight and nothing read), and unwritten reply bytes and write progress (a
 * client that stops reading is disconnected). Closing a connection cancels its calls, releasing their
 * parked queries.
 */
final class RpcServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger("agent.rpc");

    /** Replies are cut into parts of at most this many bytes, so no reply frame outgrows a client's limit. */
    static final int REPLY_PART_BYTES = 1024 * 1024;

    /**
     * @param maxFrameBytes        largest frame accepted (length field value)
     * @param maxConnections       connections open at once
     * @param maxConnsPerClient    connections open at once from one IP (Consul's {@code rpc_max_conns_per_client})
     * @param maxInflightPerConn   calls in flight on one connection
     * @param handshakeTimeout     time a new connection has to send its protocol byte
     * @param idleTimeout          a connection with no call in flight that sends nothing for this long is closed
     * @param writeTimeout         a connection whose replies make no progress for this long is closed
     * @param maxPendingReplyBytes reply bytes queued for one connection before it is closed as not reading
     * @param workers              threads that decode calls and invoke endpoints (never parked)
     */
    record Limits(int maxFrameBytes, int maxConnections, int maxConnsPerClient, int maxInflightPerConn,
                  Duration handshakeTimeout, Duration idleTimeout, Duration writeTimeout, long maxPendingReplyBytes,
                  int workers) {

        static Limits defaults() {
            return new Limits(Protocol.DEFAULT_MAX_FRAME, 1024, 100, 16384, Duration.ofSeconds(5),
                    Duration.ofMinutes(5), Duration.ofSeconds(30), 256L * 1024 * 1024, 4);
        }

        Limits {
            if (maxFrameBytes < 1024) {
                throw new IllegalArgumentException("rpc_max_frame_size must be at least 1024");
            }
            if (maxConnections < 1 || maxConnsPerClient < 1 || maxInflightPerConn < 1 || workers < 1) {
                throw new IllegalArgumentException("RPC connection, call and worker limits must be positive");
            }
            if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative()
                    || idleTimeout.isZero() || writeTimeout.isNegative() || writeTimeout.isZero()) {
                throw new IllegalArgumentException("RPC timeouts must be positive");
            }
        }
    }

    private final Endpoints endpoints;
    private final Limits limits;
    private final ExecutorService workers;
    private final Set<Conn> connections = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Conn> writeRequests = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final AtomicBoolean open = new AtomicBoolean();

    private Selector selector;
    private ServerSocketChannel listener;
    private Thread loop;
    private InetSocketAddress bound;

    RpcServer(Endpoints endpoints, Limits limits) {
        this.endpoints = endpoints;
        this.limits = limits;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "conclave-rpc-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
    }

    /** Binds and starts serving; returns the address actually bound (port 0 picks a free port). */
    synchronized InetSocketAddress start(InetSocketAddress bindAddress) throws IOException {
        if (!open.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        try {
            selector = Selector.open();
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(bindAddress, 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            bound = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            open.set(false);
            closeQuietly(listener);
            closeQuietly(selector);
            workers.shutdownNow();
            throw e;
        }
        loop = new Thread(this::run, "conclave-rpc-server " + bound);
        loop.setDaemon(true);
        loop.start();
        return bound;
    }

    InetSocketAddress address() {
        return bound;
    }

    int connectionCount() {
        return connections.size();
    }

    /** Calls in flight over every connection (tests watch parked queries with it). */
    int callsInFlight() {
        int n = 0;
        for (Conn c : connections) {
            n += c.inflight.size();
        }
        return n;
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        selector.wakeup();
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }

    // ---- selector loop ----

    private void run() {
        long sweepEvery = Math.max(50, Math.min(1000, limits.handshakeTimeout().toMillis() / 4));
        long nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sweepEvery);
        try {
            while (open.get()) {
                selector.select(sweepEvery);
                Conn c;
                while ((c = writeRequests.poll()) != null) {
                    c.writeQueued.set(false);
                    flush(c);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept();
                        } else {
                            Conn conn = (Conn) key.attachment();
                            if (key.isReadable()) {
                                read(conn);
                            }
                            if (key.isValid() && key.isWritable()) {
                                flush(conn);
                            }
                        }
                    } catch (CancelledKeyException e) {
                        // closed while we looked at it
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + TimeUnit.MILLISECONDS.toNanos(sweepEvery);
                }
            }
        } catch (ClosedSelectorException e) {
            // closed under us
        } catch (IOException | RuntimeException e) {
            if (open.get()) {
                LOG.error("RPC server loop failed; closing the RPC port", e);
            }
        } finally {
            open.set(false);
            for (Conn c : List.copyOf(connections)) {
                c.close(null);
            }
            closeQuietly(listener);
            closeQuietly(selector);
            LOG.info("RPC server stopped listening on {}", hostPort(bound));
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
            InetAddress ip = remote.getAddress();
            if (connections.size() >= limits.maxConnections()) {
                LOG.warn("rejecting RPC connection from {}: {} connections open (limit {})", hostPort(remote),
                        connections.size(), limits.maxConnections());
                closeQuietly(ch);
                continue;
            }
            int fromClient = perClient.merge(ip, 1, Integer::sum);
            if (fromClient > limits.maxConnsPerClient()) {
                perClient.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
                LOG.warn("rejecting RPC connection from {} because rpc_max_conns_per_client ({}) exceeded",
                        hostPort(remote), limits.maxConnsPerClient());
                closeQuietly(ch);
                continue;
            }
            Conn conn = new Conn(ch, remote);
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                conn.key = ch.register(selector, SelectionKey.OP_READ, conn);
            } catch (IOException e) {
                perClient.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
                closeQuietly(ch);
                continue;
            }
            connections.add(conn);
        }
    }

    private void read(Conn c) {
        int n;
        try {
            readBuffer.clear();
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            c.close(null);
            return;
        }
        if (n < 0) {
            c.close(null);
            return;
        }
        c.lastReadNanos = System.nanoTime();
        readBuffer.flip();
        c.consume(readBuffer);
    }

    private void flush(Conn c) {
        if (c.closed) {
            return;
        }
        try {
            for (;;) {
                while (c.writing.size() < 64) {
                    ByteBuffer b = c.outbound.poll();
                    if (b == null) {
                        break;
                    }
                    c.writing.add(b);
                }
                if (c.writing.isEmpty()) {
                    c.interestInWrite(false);
                    return;
                }
                long written = c.channel.write(c.writing.toArray(new ByteBuffer[0]));
                if (written > 0) {
                    c.pendingBytes.addAndGet(-written);
                    c.lastWriteNanos = System.nanoTime();
                }
                while (!c.writing.isEmpty() && !c.writing.peek().hasRemaining()) {
                    c.writing.poll();
                }
                if (!c.writing.isEmpty()) {
                    c.interestInWrite(true);
                    return;
                }
            }
        } catch (IOException e) {
            c.close(null);
        }
    }

    private void sweep(long now) {
        for (Conn c : connections) {
            if (!c.handshakeDone && now - c.openedNanos > limits.handshakeTimeout().toNanos()) {
                c.close("no protocol header within " + limits.handshakeTimeout().toMillis() + "ms");
            } else if (c.pendingBytes.get() > limits.maxPendingReplyBytes()) {
                c.close("more than " + limits.maxPendingReplyBytes() + " reply bytes unread");
            } else if (c.pendingBytes.get() > 0 && now - c.lastWriteNanos > limits.writeTimeout().toNanos()) {
                c.close("replies made no progress for " + limits.writeTimeout().toMillis() + "ms");
            } else if (c.inflight.isEmpty() && c.pendingBytes.get() == 0
                    && now - c.lastReadNanos > limits.idleTimeout().toNanos()) {
                LOG.debug("closing idle RPC connection from {}", hostPort(c.remote));
                c.close(null);
            }
        }
    }

    // ---- calls ----

    private void call(Conn c, int id, byte[] body) {
        int nameLength = body[5] & 0xff;
        if (body.length < 6 + nameLength) {
            c.close("call " + id + " is shorter than its method name");
            return;
        }
        String method = new String(body, 6, nameLength, StandardCharsets.US_ASCII);
        byte[] payload = java.util.Arrays.copyOfRange(body, 6 + nameLength, body.length);
        if (c.inflight.containsKey(id)) {
            c.close("call id " + id + " is already in flight");
            return;
        }
        if (c.inflight.size() >= limits.maxInflightPerConn()) {
            c.reply(id, null, new ErrorClass.TooManyCallsException(limits.maxInflightPerConn()));
            return;
        }
        CompletableFuture<byte[]> slot = new CompletableFuture<>();
        c.inflight.put(id, slot);
        slot.whenComplete((reply, failure) -> {
            c.inflight.remove(id, slot);
            if (!slot.isCancelled()) {
                c.reply(id, reply, failure);
            }
        });
        try {
            workers.execute(() -> dispatch(method, payload, slot));
        } catch (RejectedExecutionException e) {
            slot.completeExceptionally(new IllegalStateException("rpc: server is shutting down"));
        }
    }

    private void dispatch(String name, byte[] payload, CompletableFuture<byte[]> slot) {
        if (slot.isDone()) {
            return;
        }
        RpcMethod<?, ?> method = Methods.BY_NAME.get(name);
        if (method == null) {
            slot.completeExceptionally(new ErrorClass.UnknownMethodException(name));
            return;
        }
        try {
            invoke(method, payload, slot);
        } catch (RuntimeException e) {
            slot.completeExceptionally(e);
        }
    }

    private <Q, R> void invoke(RpcMethod<Q, R> method, byte[] payload, CompletableFuture<byte[]> slot) {
        CompletionStage<R> stage = method.invoke(endpoints, payload);
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                slot.completeExceptionally(failure);
                return;
            }
            try {
                slot.complete(method.encodeReply(value));
            } catch (RuntimeException e) {
                slot.completeExceptionally(e);
            }
        });
        slot.whenComplete((ignored, failure) -> {
            if (slot.isCancelled()) {
                try {
                    stage.toCompletableFuture().cancel(false);
                } catch (UnsupportedOperationException e) {
                    // a stage that cannot be cancelled ends with its own wait
                }
            }
        });
    }

    // ---- one connection ----

    private final class Conn {
        final SocketChannel channel;
        final InetSocketAddress remote;
        final long openedNanos = System.nanoTime();
        volatile long lastReadNanos = openedNanos;
        volatile long lastWriteNanos = openedNanos;
        SelectionKey key;
        volatile boolean closed;
        boolean handshakeDone;
        private boolean writeInterest;

        // frame parsing (selector thread only)
        private final byte[] header = new byte[Protocol.LENGTH_BYTES];
        private int headerFill;
        private byte[] body;
        private int bodyFill;

        final Map<Integer, CompletableFuture<byte[]>> inflight = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<ByteBuffer> outbound = new ConcurrentLinkedQueue<>();
        final ArrayDeque<ByteBuffer> writing = new ArrayDeque<>();
        final AtomicLong pendingBytes = new AtomicLong();
        final AtomicBoolean writeQueued = new AtomicBoolean();

        Conn(SocketChannel channel, InetSocketAddress remote) {
            this.channel = channel;
            this.remote = remote;
        }

        void consume(ByteBuffer in) {
            while (in.hasRemaining() && !closed) {
                if (!handshakeDone) {
                    int type = in.get() & 0xff;
                    if (type != Protocol.RPC_CALLS) {
                        close("unrecognized RPC byte: " + type);
                        return;
                    }
                    handshakeDone = true;
                } else if (body == null) {
                    int n = Math.min(in.remaining(), header.length - headerFill);
                    in.get(header, headerFill, n);
                    headerFill += n;
                    if (headerFill == header.length) {
                        long length = Protocol.getInt(header, 0) & 0xffffffffL;
                        if (length > limits.maxFrameBytes()) {
                            close("frame of " + length + " bytes exceeds the limit of " + limits.maxFrameBytes());
                            return;
                        }
                        if (length < Protocol.FRAME_OVERHEAD) {
                            close("frame of " + length + " bytes is shorter than its header");
                            return;
                        }
                        body = new byte[(int) length];
                        bodyFill = 0;
                    }
                } else {
                    int n = Math.min(in.remaining(), body.length - bodyFill);
                    in.get(body, bodyFill, n);
                    bodyFill += n;
                    if (bodyFill == body.length) {
                        byte[] frame = body;
                        body = null;
                        headerFill = 0;
                        frame(frame);
                    }
                }
            }
        }

        private void frame(byte[] frame) {
            int id = Protocol.getInt(frame, 0);
            int kind = frame[4] & 0xff;
            switch (kind) {
                case Protocol.CALL -> {
                    if (frame.length < 6) {
                        close("call " + id + " has no method name");
                    } else {
                        call(this, id, frame);
                    }
                }
                case Protocol.CANCEL -> {
                    CompletableFuture<byte[]> slot = inflight.get(id);
                    if (slot != null) {
                        slot.cancel(false);
                    }
                }
                default -> close("unexpected frame kind " + kind + " from a client");
            }
        }

        /** Queues a reply or error for the selector; safe from any thread. */
        void reply(int id, byte[] payload, Throwable failure) {
            if (closed) {
                return;
            }
            List<byte[]> frames = new ArrayList<>(1);
            if (failure != null) {
                ErrorClass error = ErrorClass.of(failure);
                if (error == ErrorClass.OTHER) {
                    LOG.warn("RPC call from {} failed", hostPort(remote), ErrorClass.unwrap(failure));
                }
                frames.add(Protocol.errorFrame(id, error, ErrorClass.message(failure)));
            } else {
                int at = 0;
                while (payload.length - at > REPLY_PART_BYTES) {
                    frames.add(Protocol.frame(id, Protocol.REPLY_PART, payload, at, REPLY_PART_BYTES));
                    at += REPLY_PART_BYTES;
                }
                frames.add(Protocol.frame(id, Protocol.REPLY, payload, at, payload.length - at));
            }
            for (byte[] f : frames) {
                outbound.add(ByteBuffer.wrap(f));
                if (pendingBytes.getAndAdd(f.length) == 0) {
                    // the write-progress clock starts when there is something to write, not at the last write
                    lastWriteNanos = System.nanoTime();
                }
            }
            if (writeQueued.compareAndSet(false, true)) {
                writeRequests.add(this);
                selector.wakeup();
            }
        }

        void interestInWrite(boolean on) {
            if (on != writeInterest && key.isValid()) {
                key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                writeInterest = on;
            }
        }

        /** Closes the connection (selector thread only); a reason is logged as a protocol or limit violation. */
        void close(String reason) {
            if (closed) {
                return;
            }
            closed = true;
            if (reason != null) {
                LOG.warn("closing RPC connection from {}: {}", hostPort(remote), reason);
            }
            // released before the socket closes, so a client that reconnects at once is counted correctly
            if (connections.remove(this)) {
                perClient.computeIfPresent(remote.getAddress(), (ip, n) -> n <= 1 ? null : n - 1);
            }
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
            for (CompletableFuture<byte[]> slot : List.copyOf(inflight.values())) {
                slot.cancel(false);
            }
            outbound.clear();
        }
    }

    static String hostPort(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
