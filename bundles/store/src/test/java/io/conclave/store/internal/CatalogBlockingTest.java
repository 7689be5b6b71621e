package io.conclave.store.internal;

import static io.conclave.store.internal.Catalog.check;
import static io.conclave.store.internal.Catalog.node;
import static io.conclave.store.internal.Catalog.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.CheckServiceNode;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.Node;
import io.conclave.api.catalog.NodeServices;
import io.conclave.api.catalog.ServiceInstance;
import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Catalog blocking queries wake on a change to what they read and on nothing else. */
class CatalogBlockingTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    private final Catalog c = Catalog.active();

    @AfterEach
    void stop() {
        c.close();
    }

    private <T> CompletableFuture<Indexed<T>> park(Function<StoreView, Indexed<T>> fn) {
        long now = fn.apply(c.view()).index();
        CompletableFuture<Indexed<T>> f = c.store.query(now, LONG, fn).toCompletableFuture();
        assertFalse(f.isDone(), "parks at its own index");
        return f;
    }

    private void assertStillParked(CompletableFuture<?> f, long wakeupsBefore) {
        assertEquals(wakeupsBefore, c.store.wakeups(), "nothing was woken");
        assertFalse(f.isDone());
    }

    @Test
    void healthOfAServiceWakesOnItsCheckButNotOnAnotherService() throws Exception {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80), check("n1", "w", "passing", "web1"));
        c.register(node("n2", "10.0.0.2"), service("db1", "db", 1), check("n2", "d", "passing", "db1"));
        CompletableFuture<Indexed<List<CheckServiceNode>>> f = park(v -> v.healthServiceNodes("web", List.of()));
        long wakeups = c.store.wakeups();

        c.registerChecks(node("n2", "10.0.0.2"), check("n2", "d", "critical", "db1"));
        c.register(node("n2", "10.0.0.2"), service("db2", "db", 2));
        c.registerChecks(node("n1", "10.0.0.1"), check("n1", "w", "passing", "web1")); // unchanged
        Kv kv = new Kv(c.store);
        kv.set("k", "v");
        c.index = kv.index;
        assertStillParked(f, wakeups);

        c.registerChecks(node("n1", "10.0.0.1"), check("n1", "w", "critical", "web1"));
        Indexed<List<CheckServiceNode>> r = f.get(30, TimeUnit.SECONDS);
        assertEquals(c.index, r.index());
        assertEquals("critical", r.value().get(0).checks().get(0).status());
    }

    @Test
    void aWatchOnAMissingServiceWakesWhenItAppears() throws Exception {
        c.register(node("n1", "10.0.0.1"), service("db1", "db", 1));
        c.deregisterService("n1", "db1");   // sets the extinction index
        CompletableFuture<Indexed<List<ServiceInstance>>> cat = park(v -> v.catalogServiceNodes("web", List.of()));
        CompletableFuture<Indexed<List<CheckServiceNode>>> health = park(v -> v.healthServiceNodes("web", List.of()));
        long wakeups = c.store.wakeups();
        c.register(node("n1", "10.0.0.1"), service("db1", "db", 1));
        assertStillParked(cat, wakeups);
        assertStillParked(health, wakeups);

        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));
        assertEquals(1, cat.get(30, TimeUnit.SECONDS).value().size());
        assertEquals(1, health.get(30, TimeUnit.SECONDS).value().size());
    }

    @Test
    void catalogServiceWakesWhenAnInstancesNodeChanges() throws Exception {
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));
        c.register(node("n2", "10.0.0.2"), null);
        CompletableFuture<Indexed<List<ServiceInstance>>> f = park(v -> v.catalogServiceNodes("web", List.of()));
        long wakeups = c.store.wakeups();
        c.register(node("n2", "10.0.0.22"), null);
        assertStillParked(f, wakeups);
        c.register(node("n1", "10.0.0.11"), null);
        assertEquals("10.0.0.11", f.get(30, TimeUnit.SECONDS).value().get(0).node().address());
    }

    @Test
    void nodeChecksWakeOnlyForThatNode() throws Exception {
        c.register(node("n1", "10.0.0.1"), null, check("n1", "serfHealth", "passing", ""));
        c.register(node("n2", "10.0.0.2"), null, check("n2", "serfHealth", "passing", ""));
        // index 2 is also the checks table's, so park at the table index
        CompletableFuture<Indexed<List<HealthCheck>>> f = park(v -> v.healthNodeChecks("n1"));
        long wakeups = c.store.wakeups();
        c.registerChecks(node("n2", "10.0.0.2"), check("n2", "serfHealth", "critical", ""));
        assertStillParked(f, wakeups);
        c.deregisterCheck("n1", "serfHealth");
        assertTrue(f.get(30, TimeUnit.SECONDS).value().isEmpty());
    }

    @Test
    void nodeServicesWakeWhenTheNodeAppearsAndStateWakesOnAStatusChange() throws Exception {
        CompletableFuture<Indexed<Optional<NodeServices>>> node = c.store
                .query(1, LONG, v -> v.catalogNodeServices("n1")).toCompletableFuture();
        c.register(node("n2", "10.0.0.2"), null, check("n2", "c", "passing", ""));
        assertFalse(node.isDone());
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));
        assertTrue(node.get(30, TimeUnit.SECONDS).value().isPresent());

        CompletableFuture<Indexed<List<HealthCheck>>> critical = park(v -> v.healthChecksInState("critical", Map.of()));
        c.registerChecks(node("n2", "10.0.0.2"), check("n2", "c", "critical", ""));
        assertEquals(1, critical.get(30, TimeUnit.SECONDS).value().size());
    }

    @Test
    void catalogWritesDoNotWakeKvWatchersAndKvWritesDoNotWakeCatalogWatchers() throws Exception {
        Kv kv = new Kv(c.store);
        kv.set("app/k", "v");
        c.index = kv.index;
        CompletableFuture<Indexed<List<KvEntry>>> all = c.store
                .query(kv.index, LONG, v -> v.kvList("")).toCompletableFuture();
        c.register(node("n1", "10.0.0.1"), service("web1", "web", 80));
        CompletableFuture<Indexed<List<Node>>> nodes = park(StoreView::catalogNodes);
        long wakeups = c.store.wakeups();
        kv.index = c.index;
        kv.set("app/k", "w");
        c.index = kv.index;
        assertEquals(1, c.store.wakeups() - wakeups, "only the KV watcher woke");
        assertEquals(c.index, all.get(30, TimeUnit.SECONDS).index());
        assertFalse(nodes.isDone());
        c.deregisterNode("n1");
        assertTrue(nodes.get(30, TimeUnit.SECONDS).value().isEmpty());
    }
}
