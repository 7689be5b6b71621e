package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchRegistryTest {

    private final WatchRegistry registry = new WatchRegistry();

    private static WatchSet keys(String... keys) {
        WatchSet ws = new WatchSet();
        for (String k : keys) {
            ws.watchKey(Schema.KVS, k);
        }
        return ws;
    }

    private static WatchSet prefix(String p) {
        WatchSet ws = new WatchSet();
        ws.watchPrefix(Schema.KVS, p);
        return ws;
    }

    private static Set<TableKey> change(String... keys) {
        java.util.HashSet<TableKey> s = new java.util.HashSet<>();
        for (String k : keys) {
            s.add(new TableKey(Schema.KVS.id, k));
        }
        return s;
    }

    @Test
    void exactWatcherFiresOnlyForItsKeyAndOnlyOnce() {
        WatchRegistry.Watcher w = registry.register(keys("a", "b"), 0, () -> { });
        assertTrue(registry.changed(1, change("c", "a/x", "")).isEmpty());
        assertEquals(List.of(w), registry.changed(2, change("b", "a")));
        assertTrue(registry.changed(3, change("a")).isEmpty(), "one-shot");
        assertEquals(0, registry.size());
        assertEquals(0, registry.indexedEntries(), "no entry left behind");
    }

    @Test
    void prefixWatcherFiresForKeysUnderIt() {
        WatchRegistry.Watcher web = registry.register(prefix("web/"), 0, () -> { });
        WatchRegistry.Watcher all = registry.register(prefix(""), 0, () -> { });
        assertEquals(List.of(all), registry.changed(1, change("api/x")));
        WatchRegistry.Watcher all2 = registry.register(prefix(""), 1, () -> { });
        assertTrue(registry.changed(2, change("web")).contains(all2));
        assertEquals(List.of(web), registry.changed(3, change("web/a/b")));
        assertEquals(0, registry.indexedEntries());
    }

    @Test
    void watchesInOtherTablesAreSeparate() {
        registry.register(keys("k"), 0, () -> { });
        assertTrue(registry.changed(1, Set.of(new TableKey(Schema.TOMBSTONES.id, "k"))).isEmpty());
    }

    @Test
    void cancelRemovesEverything() {
        WatchSet ws = keys("a");
        ws.watchPrefix(Schema.KVS, "p/");
        WatchRegistry.Watcher w = registry.register(ws, 0, () -> { });
        registry.cancel(w);
        registry.cancel(w);
        assertEquals(0, registry.size());
        assertEquals(0, registry.indexedEntries());
        assertTrue(registry.changed(1, change("a", "p/x")).isEmpty());
    }

    @Test
    void registrationRefusedWhenSomethingReadChangedSinceTheRead() {
        registry.changed(5, change("a"));
        assertNull(registry.register(keys("a"), 4, () -> { }), "a changed at generation 5, after the read at 4");
        assertNotNull(registry.register(keys("b"), 4, () -> { }), "b did not change");
        assertNotNull(registry.register(keys("a"), 5, () -> { }), "read after the change");
        assertNull(registry.register(prefix("a"), 4, () -> { }));
    }

    @Test
    void registrationFromBeforeForgottenHistoryIsRefused() {
        for (int g = 1; g <= WatchRegistry.RECENT_COMMITS + 10; g++) {
            registry.changed(g, change("x" + g));
        }
        assertNull(registry.register(keys("unrelated"), 2, () -> { }), "cannot prove nothing changed");
        assertNotNull(registry.register(keys("unrelated"), WatchRegistry.RECENT_COMMITS + 5, () -> { }));
    }

    @Test
    void everythingTakesAllAndForgetsHistory() {
        registry.register(keys("a"), 0, () -> { });
        registry.register(prefix("b"), 0, () -> { });
        assertEquals(2, registry.everything(7).size());
        assertEquals(0, registry.indexedEntries());
        assertNull(registry.register(keys("zzz"), 6, () -> { }), "read before the restore");
    }
}
