package io.conclave.rpc.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's one multiplexed connection to one server. Callers never touch the socket: a call is queued
 * for the writer thread and answered by the reader thread, so any number of calls (parked blocking queries
 * included) share the connection and its two threads. Replies are handed to the completion executor so a
 * slow consumer cannot stall reading.
 */
final class RpcConnection {

    private static final Logger LOG = LoggerFactory.getLogger("agent.client");

    /** Largest reply (all its parts together) a client accepts. */
    static final int MAX_REPLY_BYTES = 256 * 1024 * 1024;

    private static final Pending POISON = new Pending(0, "", null, new CompletableFuture<>());

    private final String server;
    private final InetSocketAddress address;
    private final int maxFrameBytes;
    private final Executor completions;
    private final ScheduledExecutorService timer;
    private final Socket socket = new Socket();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Pending> writeQueue = new LinkedBlockingQueue<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private volatile boolean closed;
    private volatile String closeReason;
    private volatile long lastUsedNanos = System.nanoTime();
    /** When the writer started its current write, 0 when it is not writing. */
    private volatile long writeStartedNanos;

    /** One call in flight. {@code written} turns true once its frame may have reached the socket. */
    private static final class Pending {
        final int id;
        final String method;
        final byte[] frame;
        final CompletableFuture<byte[]> future;
        volatile boolean written;
        ByteArrayOutputStream parts;
        ScheduledFuture<?> timeout;

        Pending(int id, String method, byte[] frame, CompletableFuture<byte[]> future) {
            this.id = id;
            this.method = method;
            this.frame = frame;
            this.future = future;
        }
    }

    RpcConnection(String server, InetSocketAddress address, int maxFrameBytes, Executor completions,
                  ScheduledExecutorService timer) {
        this.server = server;
        this.address = address;
        this.maxFrameBytes = maxFrameBytes;
        this.completions = completions;
        this.timer = timer;
    }

    /** Connects, sends the protocol byte and starts the reader and writer threads. */
    void connect(Duration timeout) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            OutputStream out = socket.getOutputStream();
            out.write(Protocol.RPC_CALLS);
            out.flush();
        } catch (IOException e) {
            closed = true;
            closeReason = e.getMessage();
            socket.close();
            throw e;
        }
        String name = "conclave-rpc-client " + RpcServer.hostPort(address);
        Thread reader = new Thread(this::readLoop, name + " reader");
        reader.setDaemon(true);
        Thread writer = new Thread(this::writeLoop, name + " writer");
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    boolean isOpen() {
        return !closed;
    }

    int callsInFlight() {
        return pending.size();
    }

    /** Nanos since the connection last carried a call or reply. */
    long idleNanos() {
        return pending.isEmpty() ? System.nanoTime() - lastUsedNanos : 0;
    }

    /** Nanos the writer has been stuck in one write, 0 when it is not writing. */
    long writeStalledNanos() {
        long started = writeStartedNanos;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    /**
     * Sends a call. The future completes with the reply payload, or fails with the server's error as its
     * typed exception, or an {@link RpcTransportException} (connection lost, timed out). Cancelling it
     * tells the server to cancel the call.
     */
    CompletableFuture<byte[]> call(String method, byte[] payload, Duration timeout) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(lost(true));
            return future;
        }
        long frameLength = (long) Protocol.FRAME_OVERHEAD + 1 + method.length() + payload.length;
        if (frameLength > maxFrameBytes) {
            future.completeExceptionally(new IllegalArgumentException("rpc: request of " + frameLength
                    + " bytes exceeds the frame limit of " + maxFrameBytes));
            return future;
        }
        lastUsedNanos = System.nanoTime();
        Pending p;
        for (;;) {
            int id = nextId.incrementAndGet();
            p = new Pending(id, method, Protocol.callFrame(id, method, payload), future);
            if (pending.putIfAbsent(id, p) == null) {
                break;
            }
        }
        Pending call = p;
        call.timeout = timer.schedule(() -> timedOut(call, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((reply, failure) -> {
            call.timeout.cancel(false);
            if (future.isCancelled() && pending.remove(call.id, call) && call.written) {
                enqueue(new Pending(call.id, call.method, Protocol.frame(call.id, Protocol.CANCEL, new byte[0], 0, 0),
                        new CompletableFuture<>()));
            }
        });
        enqueue(call);
        if (closed && pending.remove(call.id, call)) {
            // closed while we queued: nothing took the frame
            future.completeExceptionally(lost(!call.written));
        }
        return future;
    }

    /** Runs a completion on the completion executor, or here once that executor has shut down. */
    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            completion.run();
        }
    }

    private void enqueue(Pending p) {
        writeQueue.add(p);
    }

    private void timedOut(Pending p, Duration timeout) {
        if (pending.remove(p.id, p)) {
            if (p.written) {
                enqueue(new Pending(p.id, p.method, Protocol.frame(p.id, Protocol.CANCEL, new byte[0], 0, 0),
                        new CompletableFuture<>()));
            }
            complete(() -> p.future.completeExceptionally(new RpcTimeoutException(
                    "rpc error making call: " + p.method + " to server " + server + " timed out after "
                            + timeout.toMillis() + "ms", !p.written)));
        }
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
            for (;;) {
                Pending p = writeQueue.take();
                while (p != null) {
                    if (p == POISON) {
                        return;
                    }
                    // a call cancelled or timed out before it was written is dropped
                    // set before the check so a concurrent timeout either sees it (and sends CANCEL) or wins
                    p.written = true;
                    if (p.frame[8] != Protocol.CALL || pending.get(p.id) == p) {
                        writeStartedNanos = System.nanoTime();
                        out.write(p.frame);
                        writeStartedNanos = 0;
                    }
                    p = writeQueue.poll();
                }
                writeStartedNanos = System.nanoTime();
                out.flush();
                writeStartedNanos = 0;
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close("writer interrupted");
        }
    }

    private void readLoop() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
            for (;;) {
                long length = in.readInt() & 0xffffffffL;
                if (length > maxFrameBytes || length < Protocol.FRAME_OVERHEAD) {
                    close("server sent a frame of " + length + " bytes (limit " + maxFrameBytes + ")");
                    return;
                }
                int id = in.readInt();
                int kind = in.readUnsignedByte();
                byte[] body = new byte[(int) length - Protocol.FRAME_OVERHEAD];
                in.readFully(body);
                lastUsedNanos = System.nanoTime();
                switch (kind) {
                    case Protocol.REPLY_PART -> part(id, body);
                    case Protocol.REPLY -> reply(id, body);
                    case Protocol.ERROR -> error(id, body);
                    default -> {
                        close("server sent an unexpected frame kind " + kind);
                        return;
                    }
                }
            }
        } catch (EOFException e) {
            close("server closed the connection");
        } catch (IOException e) {
            close(e.getMessage());
        }
    }

    private void part(int id, byte[] body) {
        Pending p = pending.get(id);
        if (p == null) {
            return;
        }
        if (p.parts == null) {
            p.parts = new ByteArrayOutputStream(body.length * 2);
        }
        if ((long) p.parts.size() + body.length > MAX_REPLY_BYTES) {
            if (pending.remove(id, p)) {
                complete(() -> p.future.completeExceptionally(new RpcTransportException(
                        "rpc error making call: " + p.method + ": reply exceeds " + MAX_REPLY_BYTES + " bytes", false)));
            }
            return;
        }
        p.parts.write(body, 0, body.length);
    }

    private void reply(int id, byte[] body) {
        Pending p = pending.remove(id);
        if (p == null) {
            return; // cancelled or timed out
        }
        byte[] payload = body;
        if (p.parts != null) {
            p.parts.write(body, 0, body.length);
            payload = p.parts.toByteArray();
        }
        byte[] reply = payload;
        complete(() -> p.future.complete(reply));
    }

    private void error(int id, byte[] body) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        RuntimeException failure;
        try {
            WireReader r = new WireReader(body);
            ErrorClass error = ErrorClass.ofCode(r.u8());
            failure = error.toException(r.str());
        } catch (MalformedPayloadException e) {
            failure = new RpcTransportException("rpc error making call: " + p.method + ": malformed error reply: "
                    + e.getMessage(), false);
        }
        RuntimeException f = failure;
        complete(() -> p.future.completeExceptionally(f));
    }

    /** Closes the connection and fails every call in flight. Safe from any thread, more than once. */
    void close(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeReason = reason;
        }
        if (reason != null) {
            LOG.debug("RPC connection to {} ({}) closed: {}", server, RpcServer.hostPort(address), reason);
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        writeQueue.add(POISON);
        for (Pending p : List.copyOf(pending.values())) {
            if (pending.remove(p.id, p)) {
                RpcTransportException e = lost(!p.written);
                complete(() -> p.future.completeExceptionally(e));
            }
        }
    }

    private RpcTransportException lost(boolean notSent) {
        String why = closeReason == null ? "connection closed" : closeReason;
        return new RpcTransportException("rpc error: connection to server " + server + " ("
                + RpcServer.hostPort(address) + ") lost: " + why, notSent);
    }
}
