package io.conclave.store.internal;

import static io.conclave.store.internal.Catalog.check;
import static io.conclave.store.internal.Catalog.node;
import static io.conclave.store.internal.Catalog.service;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Snapshots carry the catalog tables and their index-table entries; MVCC views do not see later writes. */
class CatalogSnapshotTest {

    private final Catalog source = Catalog.active();
    private final Catalog target = Catalog.active();

    @AfterEach
    void stop() {
        source.close();
        target.close();
    }

    private static byte[] snapshot(Catalog c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.store.snapshot(out);
        return out.toByteArray();
    }

    private void fill() {
        Node n1 = new Node("0b5e3e52-8b63-4c43-9d31-6c2f1a0e0c11", "Node-1", "10.0.0.1", "dc1",
                Map.of("lan", "10.0.0.1", "wan", "198.51.100.1"), Map.of("consul-network-segment", ""), 0, 0);
        NodeService web = new NodeService("", "web-1", "web", List.of("java", "v1"), "10.0.0.2",
                Map.of("lan", new ServiceAddress("10.0.0.2", 8080)), Map.of("env", "prod"), 8080, new Weights(3, 1),
                true, 0, 0);
        CheckDefinition def = new CheckDefinition("http://localhost:8080/h", "h.example", true,
                Map.of("X-A", List.of("1", "2")), "POST", "{}", "", Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        HealthCheck http = new HealthCheck("Node-1", "service:web-1", "Service 'web' check", "passing", "n",
                "HTTP GET: 200 OK", "web-1", "", List.of(), "http", def, 0, 0);
        source.register(n1, web, http, check("Node-1", "serfHealth", "passing", ""));  // 1
        source.register(node("n2", "10.0.0.2"), service("db1", "db", 5432));            // 2
        source.register(node("n3", "10.0.0.3"), service("gone", "gone", 1));           // 3
        source.deregisterNode("n3");                                                    // 4: extinction indexes
        Kv kv = new Kv(source.store);
        kv.set("app/k", "v");                                                           // 5
        source.index = kv.index;
    }

    private static void assertSameCatalog(StoreView a, StoreView b) {
        assertEquals(a.index(), b.index());
        assertEquals(a.catalogNodes(), b.catalogNodes());
        assertEquals(a.catalogServices(Map.of()), b.catalogServices(Map.of()));
        for (String s : List.of("web", "db", "gone", "none")) {
            assertEquals(a.catalogServiceNodes(s, List.of()), b.catalogServiceNodes(s, List.of()), s);
            assertEquals(a.healthServiceNodes(s, List.of()), b.healthServiceNodes(s, List.of()), s);
            assertEquals(a.healthServiceChecks(s, Map.of()), b.healthServiceChecks(s, Map.of()), s);
        }
        for (String n : List.of("node-1", "n2", "n3")) {
            assertEquals(a.catalogNodeServices(n), b.catalogNodeServices(n), n);
            assertEquals(a.healthNodeChecks(n), b.healthNodeChecks(n), n);
        }
        assertEquals(a.healthChecksInState("any", Map.of()), b.healthChecksInState("any", Map.of()));
        assertEquals(a.kvList(""), b.kvList(""));
    }

    @Test
    void catalogRoundTripsWithEveryFieldAndIndex() throws IOException {
        fill();
        byte[] snap = snapshot(source);
        target.store.restore(new ByteArrayInputStream(snap));
        assertSameCatalog(source.view(), target.view());
        assertEquals(4, target.view().catalogServiceNodes("gone", List.of()).index(), "the extinction index came along");
        assertEquals(4, target.view().catalogNodeServices("n3").index());
        CheckServiceNode web = target.view().healthServiceNodes("web", List.of()).value().get(0);
        assertEquals(Duration.ofMinutes(5), web.checks().get(1).definition().deregisterCriticalServiceAfter());
        assertEquals(List.of("1", "2"), web.checks().get(1).definition().header().get("X-A"));
        assertArrayEquals(snap, snapshot(target), "a restored store snapshots identically");
    }

    @Test
    void aVersionOneSnapshotIsStillRead() throws IOException {
        Kv kv = new Kv(source.store);
        kv.set("k", "v");
        byte[] v2 = snapshot(source);
        byte[] v1 = Arrays.copyOf(v2, v2.length);
        ByteBuffer.wrap(v1).putInt(8, 1);   // the version int after the 8-byte magic
        CRC32 crc = new CRC32();
        crc.update(v1, 0, v1.length - 8);
        ByteBuffer.wrap(v1).putLong(v1.length - 8, crc.getValue());
        target.store.restore(new ByteArrayInputStream(v1));
        assertEquals("v", Kv.text(target.view().kvGet("k").value().orElseThrow()));

        byte[] v3 = v1.clone();
        ByteBuffer.wrap(v3).putInt(8, 3);
        IOException e = assertThrows(IOException.class, () -> target.store.restore(new ByteArrayInputStream(v3)));
        assertTrue(e.getMessage().contains("version 3"), e.getMessage());
    }

    @Test
    void anUnknownIndexEntryIsRejected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(SnapshotFormat.MAGIC);
        out.writeInt(SnapshotFormat.VERSION);
        out.writeLong(5);
        out.writeInt(0);
        out.writeInt(1);
        SnapshotWriter.writeString(out, "bogus.entry");
        out.writeLong(1);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        IOException e = assertThrows(IOException.class,
                () -> target.store.restore(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("bogus.entry"), e.getMessage());
    }

    @Test
    void restoreWakesParkedCatalogQueries() throws Exception {
        fill();
        source.registerChecks(node("n2", "10.0.0.2"));
        source.register(node("n2", "10.0.0.2"), service("web2", "web", 81)); // web's index is now above 1
        byte[] snap = snapshot(source);
        target.register(node("other", "10.9.9.9"), service("web9", "web", 1));
        CompletableFuture<Indexed<List<CheckServiceNode>>> f = target.store
                .query(1, Duration.ofMinutes(10), v -> v.healthServiceNodes("web", List.of())).toCompletableFuture();
        assertFalse(f.isDone());
        target.store.restore(new ByteArrayInputStream(snap));
        assertEquals(List.of("n2", "Node-1"), f.get(30, TimeUnit.SECONDS).value().stream().map(x -> x.node().node()).toList());
    }

    @Test
    void aViewIsAPointInTimeWhileWritesContinue() {
        source.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "w", "passing", "web1"));
        StoreView before = source.view();
        source.registerChecks(node("n1", "10.0.0.1"), check("n1", "w", "critical", "web1"));
        source.register(node("n2", "10.0.0.2"), service("web2", "web", 80));
        source.deregisterService("n1", "web1");
        assertEquals(1, before.index());
        assertEquals(1, before.catalogServiceNodes("web", List.of()).value().size());
        assertEquals("passing", before.healthServiceNodes("web", List.of()).value().get(0).checks().get(0).status());
        assertEquals(List.of("web2"), source.view().catalogServiceNodes("web", List.of()).value().stream()
                .map(i -> i.service().id()).toList());
    }
}
