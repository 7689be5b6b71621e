package io.conclave.rpc.internal;

import io.conclave.api.query.QueryOptions;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client agent's way to its servers (Consul's client {@code RPC} with its router and connection pool):
 * a list of known servers, one multiplexed {@link RpcConnection} per server, opened on first use.
 *
 * <p>Server choice follows Consul's {@code router.Manager}: calls stick to the first server of the list; a
 * server whose connection fails moves to the end, so the next call tries another. A server whose connect
 * failed is not dialled again until its backoff (doubling per failure, capped) has passed. A call that could
 * not be sent is tried on the next server; a read whose connection broke after sending is retried once as
 * well (it changed nothing); a write is not, since it may have been applied.
 *
 * <p>Timeouts: a blocking read waits on the server for its wait, so the client allows
 * {@code wait + wait/16 + margin} (Consul's jitter fraction); any other call gets the call timeout.
 */
final class RpcClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger("agent.client");

    /** Consul's {@code structs.ErrNoServers}. */
    static final String NO_SERVERS = "No known Consul servers";

    /**
     * @param callTimeout      deadline of a call that does not block (Consul's {@code rpc_client_timeout})
     * @param blockingMargin   added to a blocking read's wait and wait/16
     * @param connectTimeout   deadline of one TCP connect
     * @param idleTimeout      a connection with no call in flight is closed after this long (below the server's)
     * @param writeTimeout     a connection whose writer is stuck this long is closed
     * @param minBackoff       first redial delay after a failed connect
     * @param maxBackoff       largest redial delay
     * @param maxFrameBytes    largest frame sent or accepted
     */
    record Settings(Duration callTimeout, Duration blockingMargin, Duration connectTimeout, Duration idleTimeout,
                    Duration writeTimeout, Duration minBackoff, Duration maxBackoff, int maxFrameBytes) {

        static Settings defaults() {
            return new Settings(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5),
                    Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5),
                    Protocol.DEFAULT_MAX_FRAME);
        }

        Settings {
            for (Duration d : List.of(callTimeout, connectTimeout, idleTimeout, writeTimeout, minBackoff, maxBackoff)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("RPC client timeouts must be positive");
                }
            }
            if (blockingMargin.isNegative()) {
                throw new IllegalArgumentException("the blocking margin must not be negative");
            }
            if (maxFrameBytes < RpcServer.REPLY_PART_BYTES + Protocol.FRAME_OVERHEAD) {
                throw new IllegalArgumentException("rpc_max_frame_size must be at least "
                        + (RpcServer.REPLY_PART_BYTES + Protocol.FRAME_OVERHEAD) + " on a client");
            }
        }
    }

    /** One known server and its connection. */
    private final class Entry {
        final ServerInfo server;
        private volatile RpcConnection connection;
        private volatile boolean retired;
        // read without the lock: picking a server must not wait for another call's dial
        private volatile int connectFailures;
        private volatile long retryAtNanos;
        private volatile String lastError = "";

        Entry(ServerInfo server) {
            this.server = server;
        }

        boolean inBackoff(long now) {
            return connectFailures > 0 && now - retryAtNanos < 0;
        }

        String lastError() {
            return lastError;
        }

        /**
         * The open connection, dialling if there is none. One dial at a time per server: callers of a server
         * being dialled wait for that dial (at most the connect timeout); an open connection takes no lock.
         */
        RpcConnection connection() throws IOException {
            RpcConnection open = connection;
            if (open != null && open.isOpen()) {
                return open;
            }
            synchronized (this) {
                if (connection != null && connection.isOpen()) {
                    return connection;
                }
                if (closed || retired) {
                    throw new IOException("server " + server + " is no longer known");
                }
                RpcConnection c = new RpcConnection(server.name(), server.address(), settings.maxFrameBytes(),
                        completions, timer);
                try {
                    c.connect(settings.connectTimeout());
                } catch (IOException e) {
                    int failures = connectFailures + 1;
                    long backoff = Math.min(settings.maxBackoff().toNanos(),
                            settings.minBackoff().toNanos() << Math.min(20, failures - 1));
                    lastError = "failed to connect to " + server + ": " + e.getMessage();
                    retryAtNanos = System.nanoTime() + backoff;
                    connectFailures = failures;
                    throw new IOException(lastError + " (retrying in " + TimeUnit.NANOSECONDS.toMillis(backoff)
                            + "ms)", e);
                }
                connectFailures = 0;
                connection = c;
                if (retired || closed) {
                    // removed while we dialled: nobody would ever close this one
                    c.close("server removed");
                    throw new IOException("server " + server + " is no longer known");
                }
                return c;
            }
        }

        /** The server left the list: its connection closes (failing its calls) and it never dials again. */
        void retire(String reason) {
            retired = true;
            RpcConnection c = connection;
            if (c != null) {
                c.close(reason);
            }
        }

        /** Closes a stuck or idle connection; runs on the timer, so it never waits for a dial. */
        void sweep() {
            RpcConnection c = connection;
            if (c == null || !c.isOpen()) {
                return;
            }
            if (c.writeStalledNanos() > settings.writeTimeout().toNanos()) {
                c.close("writes made no progress for " + settings.writeTimeout().toMillis() + "ms");
            } else if (c.idleNanos() > settings.idleTimeout().toNanos()) {
                c.close(null);
            }
        }
    }

    private final Settings settings;
    private final ThreadPoolExecutor completions;
    private final ScheduledThreadPoolExecutor timer;
    /** Copy-on-write: calls read it without a lock, changes (rare) take the lock. */
    private volatile List<Entry> servers = List.of();
    private final Object serversLock = new Object();
    private volatile boolean closed;

    RpcClient(Settings settings) {
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.completions = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "conclave-rpc-client-completion-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.completions.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "conclave-rpc-client-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        long sweep = Math.max(100, Math.min(1000, settings.idleTimeout().toMillis() / 2));
        this.timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    Settings settings() {
        return settings;
    }

    /** Runs a task periodically on the client's timer (the component's member list resync). */
    java.util.concurrent.ScheduledFuture<?> every(Duration period, Runnable task) {
        return timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic RPC client task failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- the server list ----

    /** Adds a server, or replaces one of the same name whose address changed. Returns whether anything changed. */
    boolean addServer(ServerInfo server) {
        Entry replaced = null;
        synchronized (serversLock) {
            List<Entry> next = new ArrayList<>(servers);
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).server.name().equals(server.name())) {
                    if (next.get(i).server.equals(server)) {
                        return false;
                    }
                    replaced = next.get(i);
                    next.set(i, new Entry(server));
                    break;
                }
            }
            if (replaced == null) {
                next.add(new Entry(server));
            }
            servers = List.copyOf(next);
        }
        if (replaced != null) {
            replaced.retire("server address changed");
        }
        return true;
    }

    /** Forgets a server and closes its connection (its calls fail). Returns the server if it was known. */
    ServerInfo removeServer(String name) {
        Entry removed = null;
        synchronized (serversLock) {
            List<Entry> next = new ArrayList<>(servers);
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).server.name().equals(name)) {
                    removed = next.remove(i);
                    break;
                }
            }
            if (removed == null) {
                return null;
            }
            servers = List.copyOf(next);
        }
        removed.retire("server removed");
        return removed.server;
    }

    List<ServerInfo> servers() {
        return servers.stream().map(e -> e.server).toList();
    }

    /** Consul's {@code NotifyFailedServer}: a failing first server goes to the end of the list. */
    private void failed(Entry entry) {
        synchronized (serversLock) {
            List<Entry> list = servers;
            if (list.size() > 1 && list.get(0) == entry) {
                List<Entry> next = new ArrayList<>(list.subList(1, list.size()));
                next.add(entry);
                servers = List.copyOf(next);
            }
        }
    }

    /** The first server not tried yet and not in backoff; a server in backoff only when nothing else is left. */
    private Entry pick(Set<Entry> tried) {
        long now = System.nanoTime();
        Entry backingOff = null;
        for (Entry e : servers) {
            if (tried.contains(e)) {
                continue;
            }
            if (!e.inBackoff(now)) {
                return e;
            }
            if (backingOff == null) {
                backingOff = e;
            }
        }
        return backingOff;
    }

    // ---- calls ----

    /** How long the client waits for a call: a blocking read's wait plus jitter and margin, else the call timeout. */
    Duration timeoutFor(QueryOptions options) {
        if (options != null && options.minIndex() > 0) {
            Duration wait = options.maxWait();
            return wait.plus(wait.dividedBy(16)).plus(settings.blockingMargin());
        }
        return settings.callTimeout();
    }

    /**
     * Sends a call to a server. The future fails with the server's exception type, with
     * {@link IllegalStateException} {@value #NO_SERVERS} when none is known, or with an
     * {@link RpcTransportException}. Cancelling it cancels the call on the server.
     */
    <Q, R> CompletableFuture<R> call(RpcMethod<Q, R> method, Q request, QueryOptions options) {
        CompletableFuture<R> result = new CompletableFuture<>();
        byte[] payload;
        try {
            payload = method.encodeRequest(request);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return result;
        }
        Duration timeout = timeoutFor(options);
        attempt(method, payload, timeout, result, new HashSet<>(), RETRIES);
        return result;
    }

    /** {@link #call} for the endpoints' synchronous methods: waits for the answer, rethrowing its exception. */
    <Q, R> R callAndWait(RpcMethod<Q, R> method, Q request) {
        CompletableFuture<R> f = call(method, request, null);
        try {
            // the call's own timeout ends it; the extra second only guards against a lost completion
            return f.get(settings.callTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = ErrorClass.unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new RemoteCallException(String.valueOf(cause.getMessage()));
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new RpcTransportException("rpc error making call: " + method.name() + " timed out", false);
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new RpcTransportException("rpc error making call: " + method.name() + " interrupted", false);
        }
    }

    /** Calls retried after a connection failed under them, at most. */
    private static final int RETRIES = 2;

    private <Q, R> void attempt(RpcMethod<Q, R> method, byte[] payload, Duration timeout, CompletableFuture<R> result,
                                Set<Entry> tried, int retriesLeft) {
        if (result.isDone()) {
            return;
        }
        if (closed) {
            result.completeExceptionally(new RpcTransportException("rpc error: the RPC client is closed", true));
            return;
        }
        String lastError = null;
        for (;;) {
            Entry entry = pick(tried);
            if (entry == null) {
                result.completeExceptionally(tried.isEmpty() && servers.isEmpty()
                        ? new IllegalStateException(NO_SERVERS)
                        : new RpcTransportException(lastError == null ? NO_SERVERS : lastError, true));
                return;
            }
            tried.add(entry);
            if (entry.inBackoff(System.nanoTime())) {
                lastError = "rpc error: " + entry.lastError();
                continue;
            }
            RpcConnection connection;
            try {
                connection = entry.connection();
            } catch (IOException e) {
                LOG.warn("consul: RPC failed to server {}: {}", entry.server, e.getMessage());
                failed(entry);
                lastError = "rpc error: " + e.getMessage();
                continue;
            }
            CompletableFuture<byte[]> raw = connection.call(method.name(), payload, timeout);
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    raw.cancel(false);
                }
            });
            raw.whenComplete((reply, failure) -> {
                if (failure == null) {
                    try {
                        result.complete(method.decodeReply(reply));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(new RpcTransportException("rpc error making call: "
                                + method.name() + ": undecodable reply from " + entry.server + ": " + e.getMessage(),
                                false));
                    }
                    return;
                }
                Throwable cause = ErrorClass.unwrap(failure);
                if (cause instanceof RpcTransportException t && !(t instanceof RpcTimeoutException)
                        && !raw.isCancelled()) {
                    failed(entry);
                    if ((t.notSent() || method.readOnly()) && retriesLeft > 0) {
                        // another server first if there is one; the same one (redialled) if not
                        Set<Entry> skip = new HashSet<>();
                        if (servers.size() > 1) {
                            skip.add(entry);
                        }
                        attempt(method, payload, timeout, result, skip, retriesLeft - 1);
                        return;
                    }
                }
                result.completeExceptionally(cause);
            });
            return;
        }
    }

    private void sweep() {
        for (Entry e : servers) {
            try {
                e.sweep();
            } catch (RuntimeException ex) {
                LOG.warn("RPC connection sweep failed", ex);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        List<Entry> all;
        synchronized (serversLock) {
            all = servers;
            servers = List.of();
        }
        for (Entry e : all) {
            e.retire("client closed");
        }
        timer.shutdownNow();
        completions.shutdown();
    }
}
