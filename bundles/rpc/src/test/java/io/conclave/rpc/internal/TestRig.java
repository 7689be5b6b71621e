package io.conclave.rpc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** A server with fake endpoints on a loopback port and a client that knows it. */
final class TestRig implements AutoCloseable {

    final FakeKv kv = new FakeKv();
    final FakeCatalog catalog = new FakeCatalog();
    final FakeHealth health = new FakeHealth();
    final FakeConsensus consensus = new FakeConsensus();
    final RpcServer server;
    final InetSocketAddress address;
    final RpcClient client;

    TestRig() {
        this(RpcServer.Limits.defaults(), clientSettings(Duration.ofSeconds(10)));
    }

    TestRig(RpcServer.Limits limits, RpcClient.Settings settings) {
        server = new RpcServer(Endpoints.of(kv, catalog, health, consensus), limits);
        try {
            address = server.start(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = new RpcClient(settings);
        client.addServer(new ServerInfo("s1", "127.0.0.1", address.getPort(), "dc1"));
    }

    static RpcClient.Settings clientSettings(Duration callTimeout) {
        return new RpcClient.Settings(callTimeout, Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofMillis(200),
                Protocol.DEFAULT_MAX_FRAME);
    }

    static RpcServer.Limits limits(int maxFrame, int perClient, int inflight, Duration handshake, Duration idle) {
        RpcServer.Limits d = RpcServer.Limits.defaults();
        return new RpcServer.Limits(maxFrame, d.maxConnections(), perClient, inflight, handshake, idle,
                d.writeTimeout(), d.maxPendingReplyBytes(), d.workers());
    }

    /** The stage's value, waiting at most 10 s. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Polls until the condition holds; fails after {@code limit}. */
    static void waitFor(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toMillis() + "ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static void assertTimesOut(CompletionStage<?> stage, Duration within) throws Exception {
        try {
            stage.toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException expected) {
            return;
        }
        throw new AssertionError("expected no answer within " + within.toMillis() + "ms");
    }

    @Override
    public void close() {
        client.close();
        server.close();
        kv.close();
    }
}
