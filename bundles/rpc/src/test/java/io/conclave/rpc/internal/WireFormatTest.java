package io.conclave.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryMeta;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The payload encoding: exact round trips, append-only evolution, hostile input. */
class WireFormatTest {

    @Test
    void recordsRoundTripExactly() {
        WireWriter w = new WireWriter();
        Codecs.node(w, Samples.NODE);
        Codecs.service(w, Samples.WEB);
        Codecs.check(w, Samples.WEB_CHECK);
        Codecs.check(w, Samples.SERF);
        Codecs.kvEntry(w, Samples.ENTRY);
        Codecs.kvEntry(w, Samples.EMPTY_ENTRY);
        Codecs.instance(w, Samples.INSTANCE);
        Codecs.checkServiceNode(w, Samples.CHECK_SERVICE_NODE);
        Codecs.nodeServices(w, Samples.NODE_SERVICES);
        WireReader r = new WireReader(w.toByteArray());
        assertEquals(Samples.NODE, Codecs.node(r));
        assertEquals(Samples.WEB, Codecs.service(r));
        assertEquals(Samples.WEB_CHECK, Codecs.check(r));
        assertEquals(Samples.SERF, Codecs.check(r));
        assertEquals(Samples.ENTRY, Codecs.kvEntry(r));
        assertEquals(Samples.EMPTY_ENTRY, Codecs.kvEntry(r));
        assertEquals(Samples.INSTANCE, Codecs.instance(r));
        assertEquals(Samples.CHECK_SERVICE_NODE, Codecs.checkServiceNode(r));
        assertEquals(Samples.NODE_SERVICES, Codecs.nodeServices(r));
        assertTrue(!r.hasMore());
    }

    @Property(tries = 200)
    void anyStringSurvives(@ForAll String s) {
        byte[] bytes = new WireWriter().str(s).nullableStr(s).toByteArray();
        WireReader r = new WireReader(bytes);
        assertEquals(s, r.str());
        assertEquals(s, r.nullableStr());
    }

    @Property(tries = 200)
    void queryOptionsSurvive(@ForAll long minIndex, @ForAll long waitNanos, @ForAll boolean dc,
                             @ForAll Consistency consistency) {
        QueryOptions o = new QueryOptions(dc ? "dc-\u00e9" : null, Math.abs(minIndex == Long.MIN_VALUE ? 0 : minIndex),
                Duration.ofNanos(Math.abs(waitNanos == Long.MIN_VALUE ? 0 : waitNanos)), consistency);
        WireWriter w = new WireWriter();
        Codecs.options(w, o);
        assertEquals(o, Codecs.options(new WireReader(w.toByteArray())));
    }

    @Test
    void aReplyCarriesItsMetaThenItsValue() {
        QueryResult<Optional<KvEntry>> result = new QueryResult<>(Optional.of(Samples.ENTRY), new QueryMeta(99, false, 1500));
        byte[] payload = Methods.KVS_GET.encodeReply(result);
        assertEquals(result.meta(), Methods.KVS_GET.decodeReply(payload).meta());
        assertEquals(result.value(), Methods.KVS_GET.decodeReply(payload).value());
    }

    @Test
    void fieldsAppendedByANewerWriterAreSkipped() {
        // a newer server's node has one more field, and the payload one more trailing value
        WireWriter w = new WireWriter();
        w.struct(Samples.NODE, (out, n) -> {
            out.str(n.id()).str(n.node()).str(n.address()).str(n.datacenter()).strMap(n.taggedAddresses())
                    .strMap(n.meta()).i64(n.createIndex()).i64(n.modifyIndex());
            out.str("a field from the future").i64(123);
        });
        w.str("after");
        WireReader r = new WireReader(w.toByteArray());
        assertEquals(Samples.NODE, Codecs.node(r));
        assertEquals("after", r.str(), "the reader resumed after the whole struct");
    }

    @Test
    void aStructShorterThanItsFieldsIsMalformedNotMisread() {
        WireWriter w = new WireWriter();
        w.struct("x", (out, s) -> out.str(s)); // a "node" holding one string
        w.str("next");
        Exception e = assertThrows(MalformedPayloadException.class, () -> Codecs.node(new WireReader(w.toByteArray())));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void hostileCountsFailWithoutAllocating() {
        byte[] hugeList = new WireWriter().i32(Integer.MAX_VALUE).toByteArray();
        assertThrows(MalformedPayloadException.class, () -> new WireReader(hugeList).list(4, Codecs::check));
        assertThrows(MalformedPayloadException.class, () -> new WireReader(hugeList).str());
        assertThrows(MalformedPayloadException.class, () -> new WireReader(hugeList).bytes());
        byte[] negative = new WireWriter().i32(-1).toByteArray();
        assertThrows(MalformedPayloadException.class, () -> new WireReader(negative).strList());
        byte[] badBool = {2};
        assertThrows(MalformedPayloadException.class, () -> new WireReader(badBool).bool());
        byte[] dupKeys = new WireWriter().i32(2).str("k").str("1").str("k").str("2").toByteArray();
        assertThrows(MalformedPayloadException.class, () -> new WireReader(dupKeys).strMap());
    }

    @Test
    void everyTruncationOfAReplyIsMalformed() {
        byte[] payload = Methods.HEALTH_SERVICE_NODES.encodeReply(
                new QueryResult<>(List.of(Samples.CHECK_SERVICE_NODE, Samples.CHECK_SERVICE_NODE), new QueryMeta(5, true, 0)));
        for (int cut = 0; cut < payload.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(payload, cut);
            assertThrows(MalformedPayloadException.class, () -> Methods.HEALTH_SERVICE_NODES.decodeReply(truncated),
                    "cut at " + cut);
        }
        List<CheckServiceNode> back = Methods.HEALTH_SERVICE_NODES.decodeReply(payload).value();
        assertEquals(2, back.size());
    }

    @Test
    void unknownConsistencyCodesAreRefused() {
        WireWriter w = new WireWriter();
        w.struct(null, (out, v) -> out.nullableStr(null).i64(0).i64(0).u8(9));
        assertThrows(MalformedPayloadException.class, () -> Codecs.options(new WireReader(w.toByteArray())));
    }

    @Test
    void theMethodTableNamesConsulsMethods() {
        assertEquals(java.util.Set.of("KVS.Get", "KVS.List", "KVS.Keys", "KVS.Apply", "Catalog.Register",
                "Catalog.Deregister", "Catalog.ListDatacenters", "Catalog.ListNodes", "Catalog.ListServices",
                "Catalog.ServiceNodes", "Catalog.NodeServices", "Health.NodeChecks", "Health.ServiceChecks",
                "Health.ServiceNodes", "Health.ChecksInState", "Status.Leader", "Status.Peers", "Status.Consensus"),
                Methods.BY_NAME.keySet());
        for (RpcMethod<?, ?> m : Methods.BY_NAME.values()) {
            boolean write = m.name().equals("KVS.Apply") || m.name().startsWith("Catalog.Register")
                    || m.name().equals("Catalog.Deregister");
            assertEquals(!write, m.readOnly(), m.name());
        }
    }

    @Test
    void errorClassesMapBothWays() {
        for (ErrorClass c : ErrorClass.values()) {
            assertEquals(c, ErrorClass.ofCode(c.code));
        }
        assertEquals(ErrorClass.OTHER, ErrorClass.ofCode(200), "a class from a newer server reads as other");
        assertEquals(ErrorClass.BAD_REQUEST, ErrorClass.of(new java.util.concurrent.CompletionException(
                new IllegalArgumentException("x"))));
        assertEquals(ErrorClass.BAD_REQUEST, ErrorClass.of(new MalformedPayloadException("x")));
        assertEquals(ErrorClass.UNKNOWN_METHOD, ErrorClass.of(new ErrorClass.UnknownMethodException("X.Y")));
        assertEquals(ErrorClass.CANCELLED, ErrorClass.of(new java.util.concurrent.CancellationException("gone")),
                "a CancellationException is an IllegalStateException too, but a cancelled call is its own class");
        assertEquals(ErrorClass.ILLEGAL_STATE, ErrorClass.of(new IllegalStateException("x")));
        assertTrue(ErrorClass.CANCELLED.toException("gone") instanceof java.util.concurrent.CancellationException);
    }
}
