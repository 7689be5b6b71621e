package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conclave.api.kv.KvEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableDataTest {

    private static KvEntry row(String key, String session) {
        return new KvEntry(key, 1, 1, 0, 0, null, session);
    }

    private static List<String> bySession(TableData<KvEntry> t, String session) {
        List<String> keys = new ArrayList<>();
        t.byIndex(Schema.KVS, "session", session).forEach(e -> keys.add(e.key()));
        return keys;
    }

    @Test
    void secondaryIndexFollowsPutsReplacesAndRemoves() {
        TableData<KvEntry> t = TableData.empty(Schema.KVS);
        t = t.put(Schema.KVS, row("b", "s1"));
        t = t.put(Schema.KVS, row("a", "s1"));
        t = t.put(Schema.KVS, row("c", null));
        t = t.put(Schema.KVS, row("d", "s10"));
        assertEquals(List.of("a", "b"), bySession(t, "s1"), "exact value only, in key order");
        assertEquals(List.of("d"), bySession(t, "s10"));

        TableData<KvEntry> before = t;
        t = t.put(Schema.KVS, row("a", "s2"));
        assertEquals(List.of("b"), bySession(t, "s1"));
        assertEquals(List.of("a"), bySession(t, "s2"));
        assertEquals(List.of("a", "b"), bySession(before, "s1"), "old versions are untouched");

        t = t.remove(Schema.KVS, "b");
        t = t.remove(Schema.KVS, "missing");
        assertEquals(List.of(), bySession(t, "s1"));
        assertEquals(3, t.size());
    }

    @Test
    void unknownIndexIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TableData.empty(Schema.KVS).byIndex(Schema.KVS, "nope", "x"));
    }
}
