package io.conclave.rpc.internal;

import static io.conclave.rpc.internal.TestRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which server a client talks to, and what happens when servers come and go. */
class RpcRoutingTest {

    private static int unusedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void withoutServersEveryCallFailsWithConsulsMessage() {
        try (RpcClient client = new RpcClient(TestRig.clientSettings(Duration.ofSeconds(2)))) {
            Exception e = assertThrows(IllegalStateException.class,
                    () -> await(new ForwardingKv(client).get("k", QueryOptions.now())));
            assertEquals("No known Consul servers", e.getMessage());
            Exception sync = assertThrows(IllegalStateException.class, () -> new ForwardingCatalog(client).datacenters());
            assertEquals("No known Consul servers", sync.getMessage());
            assertEquals("No known Consul servers",
                    assertThrows(IllegalStateException.class, () -> new ForwardingConsensus(client).status()).getMessage());
        }
    }

    @Test
    @Timeout(30)
    void aServerRestartOnTheSamePortIsReconnectedTo() throws Exception {
        try (TestRig rig = new TestRig()) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            assertTrue(await(kv.apply(KvRequest.set("r", null, 0))));
            long index = rig.kv.index();
            CompletableFuture<?> parked = kv.get("r", new QueryOptions(null, index, Duration.ofMinutes(5),
                    Consistency.DEFAULT)).toCompletableFuture();
            TestRig.waitFor("the query to park", Duration.ofSeconds(5), () -> rig.kv.parked.get() == 1);

            rig.server.close();
            // the parked query fails promptly rather than hanging for its 5 minutes
            Exception lost = assertThrows(IllegalStateException.class, () -> await(parked));
            assertTrue(lost.getMessage().startsWith("rpc error"), lost.getMessage());
            assertThrows(IllegalStateException.class, () -> await(kv.get("r", QueryOptions.now())));

            RpcServer again = new RpcServer(Endpoints.of(rig.kv, rig.catalog, rig.health, rig.consensus),
                    RpcServer.Limits.defaults());
            try {
                again.start(new InetSocketAddress("127.0.0.1", rig.address.getPort()));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Boolean answered = null;
                while (answered == null) {
                    try {
                        answered = await(kv.get("r", QueryOptions.now())).value().isPresent();
                    } catch (IllegalStateException stillDown) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new AssertionError("the client did not reconnect: " + stillDown.getMessage());
                        }
                        Thread.sleep(20);
                    }
                }
                assertTrue(answered);
                assertEquals(1, again.connectionCount());
            } finally {
                again.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void anUnreachableServerMovesToTheEndAndTheNextOneAnswers() throws Exception {
        try (TestRig rig = new TestRig()) {
            RpcClient client = rig.client;
            client.removeServer("s1");
            ServerInfo dead = new ServerInfo("dead", "127.0.0.1", unusedPort(), "dc1");
            ServerInfo live = new ServerInfo("s1", "127.0.0.1", rig.address.getPort(), "dc1");
            client.addServer(dead);
            client.addServer(live);
            assertEquals(List.of(dead, live), client.servers());

            assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(client).datacenters());
            assertEquals(List.of(live, dead), client.servers(), "the failed server went to the end");
            // sticky: later calls keep using the live server
            for (int i = 0; i < 20; i++) {
                assertTrue(await(new ForwardingKv(client).apply(KvRequest.set("sticky/" + i, null, 0))));
            }
            assertEquals(List.of(live, dead), client.servers());
        }
    }

    @Test
    void aServerThatRefusesConnectionsIsRetriedOnlyAfterABackoff() throws Exception {
        try (RpcClient client = new RpcClient(new RpcClient.Settings(Duration.ofSeconds(2), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Protocol.DEFAULT_MAX_FRAME))) {
            client.addServer(new ServerInfo("dead", "127.0.0.1", unusedPort(), "dc1"));
            ForwardingKv kv = new ForwardingKv(client);
            Exception first = assertThrows(IllegalStateException.class, () -> await(kv.get("k", QueryOptions.now())));
            assertTrue(first.getMessage().contains("failed to connect to dead (Addr: tcp/127.0.0.1:"), first.getMessage());
            assertTrue(first.getMessage().contains("retrying in 30000ms"), first.getMessage());
            // within the backoff the call fails at once with the last error, without dialling
            Exception second = assertThrows(IllegalStateException.class, () -> await(kv.get("k", QueryOptions.now())));
            assertTrue(second.getMessage().contains("failed to connect to dead"), second.getMessage());
        }
    }

    @Test
    void aRemovedServersCallsFailAndItIsNoLongerUsed() throws Exception {
        try (TestRig rig = new TestRig()) {
            ForwardingKv kv = new ForwardingKv(rig.client);
            CompletableFuture<?> parked = kv.get("never/removed", QueryOptions.now()).toCompletableFuture();
            TestRig.waitFor("the call to reach the server", Duration.ofSeconds(5), () -> rig.kv.neverAnswered.get() == 1);
            assertEquals("s1", rig.client.removeServer("s1").name());
            assertThrows(IllegalStateException.class, () -> await(parked));
            assertEquals("No known Consul servers",
                    assertThrows(IllegalStateException.class, () -> await(kv.get("k", QueryOptions.now()))).getMessage());
            TestRig.waitFor("the server to drop the connection", Duration.ofSeconds(5),
                    () -> rig.server.connectionCount() == 0 && rig.kv.cancelled.get() == 1);
        }
    }
}
