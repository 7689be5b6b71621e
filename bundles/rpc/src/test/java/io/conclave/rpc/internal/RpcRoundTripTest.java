package io.conclave.rpc.internal;

import static io.conclave.rpc.internal.TestRig.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CatalogCommands;
import io.conclave.api.catalog.DeregisterRequest;
import io.conclave.api.catalog.RegisterRequest;
import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.consensus.NotLeaderException;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every method through the forwarding endpoints, over a real loopback connection, against fake endpoints. */
class RpcRoundTripTest {

    private static TestRig rig;
    private static ForwardingKv kv;
    private static ForwardingCatalog catalog;
    private static ForwardingHealth health;
    private static ForwardingConsensus consensus;

    private static final QueryOptions STALE_DC1 = new QueryOptions("dc1", 0, Duration.ofSeconds(30), Consistency.STALE);

    @BeforeAll
    static void start() {
        rig = new TestRig();
        kv = new ForwardingKv(rig.client);
        catalog = new ForwardingCatalog(rig.client);
        health = new ForwardingHealth(rig.client);
        consensus = new ForwardingConsensus(rig.client);
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    // ---- KV ----

    @Test
    void kvWriteThenReadsCarryTheEntryAndTheServersMeta() throws Exception {
        byte[] value = {0, 1, 2, (byte) 0xff};
        assertTrue(await(kv.apply(new KvRequest(io.conclave.api.kv.KvOp.SET, "rt/a", value, 42, 0, null))));
        assertTrue(await(kv.apply(KvRequest.set("rt/b/c", null, 0))));
        assertEquals(KvRequest.set("rt/b/c", null, 0), rig.kv.lastApplied);

        QueryResult<Optional<KvEntry>> got = await(kv.get("rt/a", STALE_DC1));
        KvEntry e = got.value().orElseThrow();
        assertArrayEquals(value, e.value());
        assertEquals(42, e.flags());
        assertEquals(new QueryMeta(rig.kv.index(), true, 7), got.meta());
        assertEquals(STALE_DC1, rig.kv.lastOptions);

        assertNull(await(kv.get("rt/b/c", QueryOptions.now())).value().orElseThrow().value(),
                "an empty value stays null, not an empty array");
        assertTrue(await(kv.get("rt/missing", QueryOptions.now())).value().isEmpty());

        List<KvEntry> listed = await(kv.list("rt/", QueryOptions.now())).value();
        assertEquals(List.of("rt/a", "rt/b/c"), listed.stream().map(KvEntry::key).toList());
        assertEquals(List.of("rt/a", "rt/b/"), await(kv.keys("rt/", "/", QueryOptions.now())).value());
        assertEquals(List.of("rt/a", "rt/b/c"), await(kv.keys("rt/", null, QueryOptions.now())).value());
    }

    @Test
    void casRefusalIsFalseNotAnError() throws Exception {
        assertTrue(await(kv.apply(KvRequest.cas("cas/x", new byte[] {1}, 0, 0))));
        assertFalse(await(kv.apply(KvRequest.cas("cas/x", new byte[] {2}, 0, 0))));
    }

    @Test
    void stringsSurviveExactlyEvenLoneSurrogates() throws Exception {
        assertTrue(await(kv.apply(KvRequest.set(Samples.ODD_KEY, new byte[0], 0))));
        KvEntry e = await(kv.get(Samples.ODD_KEY, QueryOptions.now())).value().orElseThrow();
        assertEquals(Samples.ODD_KEY, e.key());
        assertArrayEquals(new byte[0], e.value());
    }

    @Test
    void queryOptionsTravelWhole() throws Exception {
        QueryOptions o = new QueryOptions(null, 0, Duration.ofMillis(1234), Consistency.CONSISTENT);
        await(kv.get("rt/a", o));
        assertEquals(o, rig.kv.lastOptions);
        QueryOptions o2 = new QueryOptions("dc1", 0, Duration.ofNanos(1), Consistency.DEFAULT);
        await(catalog.nodes(o2));
        assertEquals(o2, rig.catalog.lastOptions);
    }

    // ---- catalog ----

    @Test
    void registerAndDeregisterArriveUnchanged() throws Exception {
        RegisterRequest r = new RegisterRequest(Samples.NODE, Samples.WEB, List.of(Samples.SERF, Samples.WEB_CHECK),
                true);
        await(catalog.register(r));
        DeregisterRequest d = new DeregisterRequest("node-1", "web-1", "");
        await(catalog.deregister(d));
        synchronized (rig.catalog) {
            RegisterRequest arrived = rig.catalog.registered.get(rig.catalog.registered.size() - 1);
            // records hold Map.copyOf, so compare through the log encoding, which sorts maps
            assertArrayEquals(CatalogCommands.encode(r), CatalogCommands.encode(arrived));
            assertEquals(d, rig.catalog.deregistered.get(rig.catalog.deregistered.size() - 1));
        }
    }

    @Test
    void catalogRefusalIsAnIllegalArgument() {
        RegisterRequest r = new RegisterRequest(new io.conclave.api.catalog.Node("", "boom", "", "", null, null, 0, 0),
                null, List.of(), false);
        Exception e = assertThrows(IllegalArgumentException.class, () -> await(catalog.register(r)));
        assertEquals("Must provide node", e.getMessage());
    }

    @Test
    void catalogReads() throws Exception {
        assertEquals(List.of("dc1", "dc2"), catalog.datacenters());

        var nodes = await(catalog.nodes(QueryOptions.now()));
        assertEquals(List.of(Samples.NODE, Samples.OTHER_NODE), nodes.value());
        assertEquals(FakeCatalog.META, nodes.meta());

        var services = await(catalog.services(QueryOptions.now()));
        assertEquals(List.of("consul", "web"), List.copyOf(services.value().keySet()), "order kept");
        assertEquals(List.of("primary", "v1"), services.value().get("web"));
        assertNull(rig.catalog.lastNodeMeta, "no filter: the plain method");

        assertEquals(List.of(Samples.INSTANCE), await(catalog.service("web", List.of("v1"), QueryOptions.now())).value());
        assertEquals(List.of(), await(catalog.service("web", List.of("v2"), QueryOptions.now())).value());

        assertEquals(Optional.of(Samples.NODE_SERVICES), await(catalog.node("node-1", QueryOptions.now())).value());
        assertEquals(Optional.empty(), await(catalog.node("nobody", QueryOptions.now())).value());
    }

    @Test
    void nodeMetaFiltersAreForwardedNotRefused() throws Exception {
        var hit = await(catalog.services(Map.of("rack", "r1"), QueryOptions.now()));
        assertEquals(Map.of("web", List.of("primary", "v1")), hit.value());
        assertEquals(Map.of("rack", "r1"), rig.catalog.lastNodeMeta);
        assertEquals(Map.of(), await(catalog.services(Map.of("rack", "r9"), QueryOptions.now())).value());

        assertEquals(List.of(Samples.WEB_CHECK), await(health.checks("web", Map.of("rack", "r1"), QueryOptions.now())).value());
        assertEquals(Map.of("rack", "r1"), rig.health.lastNodeMeta);
        assertEquals(List.of(), await(health.checks("web", Map.of("rack", "r9"), QueryOptions.now())).value());

        assertEquals(List.of(Samples.SERF), await(health.state("passing", Map.of("zone", "z\u00e9"), QueryOptions.now())).value());
        assertEquals(List.of(), await(health.state("any", Map.of("zone", "x"), QueryOptions.now())).value());
    }

    // ---- health ----

    @Test
    void healthReads() throws Exception {
        var node = await(health.node("node-1", QueryOptions.now()));
        assertEquals(List.of(Samples.SERF, Samples.WEB_CHECK), node.value());
        assertEquals(FakeHealth.META, node.meta(), "knownLeader false and last contact travel");

        assertEquals(List.of(Samples.WEB_CHECK), await(health.checks("web", QueryOptions.now())).value());
        assertNull(rig.health.lastNodeMeta);

        assertEquals(List.of(Samples.CHECK_SERVICE_NODE),
                await(health.service("web", List.of("primary"), false, QueryOptions.now())).value());
        assertEquals(List.of(), await(health.service("web", List.of(), true, QueryOptions.now())).value());

        assertEquals(List.of(Samples.WEB_CHECK), await(health.state("warning", QueryOptions.now())).value());
        assertEquals(2, await(health.state("any", QueryOptions.now())).value().size());
    }

    // ---- status ----

    @Test
    void statusComesFromTheServerButAClientIsNeverLeader() throws Exception {
        ConsensusStatus s = consensus.status();
        assertEquals("10.0.0.2:8300", s.leader());
        assertEquals(rig.consensus.status.peers(), s.peers());
        assertFalse(s.isLeader());
        assertEquals(12, s.lastContactMillis());
        assertEquals("10.0.0.2:8300", await(rig.client.call(Methods.STATUS_LEADER, Methods.Empty.INSTANCE, null)));
        assertEquals(rig.consensus.status.peers(),
                await(rig.client.call(Methods.STATUS_PEERS, Methods.Empty.INSTANCE, null)));
    }

    @Test
    void aClientNeverProposes() {
        Exception p = assertThrows(IllegalStateException.class,
                () -> await(consensus.propose(Command.of(MessageType.KVS, new byte[0]))));
        assertEquals("client agents do not propose commands", p.getMessage());
        assertThrows(IllegalStateException.class, () -> await(consensus.verifyLeader()));
    }

    // ---- errors ----

    @Test
    void failuresArriveAsTheEndpointsExceptionTypes() {
        QueryOptions now = QueryOptions.now();
        assertEquals("Missing key name",
                assertThrows(IllegalArgumentException.class, () -> await(kv.get("boom/illegal-argument", now))).getMessage());
        assertEquals("no such thing",
                assertThrows(NoSuchElementException.class, () -> await(kv.get("boom/not-found", now))).getMessage());
        assertEquals("No cluster leader",
                assertThrows(NotLeaderException.class, () -> await(kv.get("boom/not-leader", now))).getMessage());
        assertEquals("No path to datacenter",
                assertThrows(DatacenterNotFoundException.class, () -> await(kv.list("boom/no-datacenter", now))).getMessage());
        assertEquals("not here",
                assertThrows(UnsupportedOperationException.class, () -> await(kv.keys("boom/unsupported", "", now))).getMessage());
        assertEquals("stopped",
                assertThrows(IllegalStateException.class, () -> await(kv.get("boom/illegal-state", now))).getMessage());
        Exception other = assertThrows(RuntimeException.class, () -> await(kv.get("boom/other", now)));
        assertInstanceOf(RemoteCallException.class, other);
        assertEquals("kaput", other.getMessage());
        assertEquals("thrown, not returned",
                assertThrows(IllegalArgumentException.class, () -> await(kv.get("boom/thrown", now))).getMessage());
        assertEquals("No cluster leader",
                assertThrows(NotLeaderException.class, () -> await(kv.apply(KvRequest.set("boom/not-leader", null, 0))))
                        .getMessage());
        assertEquals("Invalid state bogus",
                assertThrows(IllegalArgumentException.class, () -> await(health.state("bogus", now))).getMessage());
    }

    @Test
    void anUnknownMethodIsAnErrorAndTheConnectionGoesOn() throws Exception {
        RpcMethod<Methods.Empty, String> nope = new RpcMethod<>("KVS.Nope", true, (w, q) -> { }, r -> Methods.Empty.INSTANCE,
                WireWriter::str, WireReader::str, (e, q) -> null);
        Exception e = assertThrows(UnsupportedOperationException.class,
                () -> await(rig.client.call(nope, Methods.Empty.INSTANCE, null)));
        assertEquals("rpc: can't find method KVS.Nope", e.getMessage());
        assertEquals(List.of("dc1", "dc2"), catalog.datacenters());
    }

    @Test
    void aMalformedRequestIsABadRequest() {
        // a request whose payload the server cannot decode: Catalog.ListNodes given a bare byte
        RpcMethod<Methods.Empty, String> broken = new RpcMethod<>("Catalog.ListNodes", true, (w, q) -> w.u8(7),
                r -> Methods.Empty.INSTANCE, WireWriter::str, WireReader::str, (e, q) -> null);
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> await(rig.client.call(broken, Methods.Empty.INSTANCE, null)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aRequestOverTheFrameLimitFailsBeforeSending() {
        byte[] huge = new byte[Protocol.DEFAULT_MAX_FRAME];
        Exception e = assertThrows(IllegalArgumentException.class, () -> await(kv.apply(KvRequest.set("big", huge, 0))));
        assertTrue(e.getMessage().contains("exceeds the frame limit"), e.getMessage());
    }

    @Test
    void aReplyLargerThanOneFrameArrivesInParts() throws Exception {
        byte[] chunk = new byte[900 * 1024];
        for (int i = 0; i < 6; i++) {
            chunk[i] = (byte) i;
            assertTrue(await(kv.apply(KvRequest.set("large/" + i, chunk, 0))));
        }
        List<KvEntry> all = await(kv.list("large/", QueryOptions.now())).value();
        assertEquals(6, all.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(chunk.length, all.get(i).value().length);
            assertEquals((byte) i, all.get(i).value()[i]);
        }
    }

    @Test
    void cancellingAForwardedReadCancelsItOnTheServer() throws Exception {
        int before = rig.kv.cancelled.get();
        var stage = kv.get("never/answers", QueryOptions.now()).toCompletableFuture();
        TestRig.waitFor("the call to reach the endpoint", Duration.ofSeconds(5), () -> rig.kv.neverAnswered.get() > 0);
        stage.cancel(false);
        assertThrows(CancellationException.class, stage::join);
        TestRig.waitFor("the server to cancel the endpoint's stage", Duration.ofSeconds(5),
                () -> rig.kv.cancelled.get() > before);
    }
}
