package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.kv.KvOp;
import io.conclave.api.kv.KvRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvCommandsTest {

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    @Test
    void setStoresValueFlagsAndIndexes() {
        assertTrue(kv.set("app/color", "blue", 42));
        KvEntry e = kv.entry("app/color");
        assertEquals("blue", Kv.text(e));
        assertEquals(42, e.flags());
        assertEquals(1, e.createIndex());
        assertEquals(1, e.modifyIndex());
        assertEquals(0, e.lockIndex());
        assertNull(e.session());
    }

    @Test
    void setOfExistingKeyKeepsCreateIndexAndRaisesModifyIndex() {
        kv.set("k", "one");
        kv.set("other", "x");
        kv.set("k", "two", 7);
        KvEntry e = kv.entry("k");
        assertEquals(1, e.createIndex());
        assertEquals(3, e.modifyIndex());
        assertEquals(7, e.flags());
        assertEquals("two", Kv.text(e));
    }

    @Test
    void setTouchesNoOtherKey() {
        kv.set("a", "1");
        kv.set("a/b", "2");
        kv.set("ab", "3");
        kv.set("a", "4");
        assertEquals(List.of("a", "a/b", "ab"), kv.keys("", ""));
        assertEquals(2, kv.entry("a/b").modifyIndex());
        assertEquals(3, kv.entry("ab").modifyIndex());
    }

    @Test
    void setOfUnchangedValueAndFlagsWritesNothing() {
        kv.set("k", "v", 3);
        kv.set("z", "other");
        assertTrue(kv.set("k", "v", 3));
        assertEquals(1, kv.entry("k").modifyIndex());
        assertEquals(2, kv.listIndex(""), "the KV table index does not move either");
        assertEquals(3, kv.store.lastIndex(), "but the command's raft index is consumed");
        kv.set("k", "v", 4);
        assertEquals(4, kv.entry("k").modifyIndex(), "a flags change is a change");
    }

    @Test
    void emptyValueIsStoredAsGiven() {
        kv.set("empty", null);
        assertNull(kv.entry("empty").value());
    }

    @Test
    void casWithZeroIndexSetsOnlyIfAbsent() {
        assertTrue(kv.cas("k", "first", 0));
        assertFalse(kv.cas("k", "second", 0));
        assertEquals("first", Kv.text(kv.entry("k")));
    }

    @Test
    void casSetsOnlyWhenModifyIndexMatches() {
        kv.set("k", "v1");
        long mi = kv.entry("k").modifyIndex();
        assertFalse(kv.cas("k", "stale", mi + 100));
        assertEquals("v1", Kv.text(kv.entry("k")));
        assertTrue(kv.cas("k", "v2", mi));
        assertEquals("v2", Kv.text(kv.entry("k")));
        assertEquals(mi, kv.entry("k").createIndex());
        assertFalse(kv.cas("k", "v3", mi), "the old index no longer matches");
    }

    @Test
    void casOnMissingKeyWithNonZeroIndexFails() {
        assertFalse(kv.cas("missing", "v", 5));
        assertTrue(kv.get("missing").isEmpty());
    }

    @Test
    void deleteRemovesKeyAndMissingKeyIsNoOp() {
        kv.set("k", "v");
        assertTrue(kv.delete("k"));
        assertTrue(kv.get("k").isEmpty());
        long tableIndex = kv.listIndex("");
        assertTrue(kv.delete("k"));
        assertEquals(tableIndex, kv.listIndex(""), "deleting a missing key changes no index");
    }

    @Test
    void deleteCasDeletesOnlyOnMatchingIndex() {
        kv.set("k", "v");
        long mi = kv.entry("k").modifyIndex();
        assertFalse(kv.deleteCas("k", mi + 1));
        assertTrue(kv.get("k").isPresent());
        assertTrue(kv.deleteCas("k", mi));
        assertTrue(kv.get("k").isEmpty());
    }

    @Test
    void deleteCasOfMissingKeyIsTrueLikeConsul() {
        // kvsDeleteCASTxn: "return entry == nil" when there is no entry, whatever the index.
        assertTrue(kv.deleteCas("never", 0));
        assertTrue(kv.deleteCas("never", 17));
    }

    @Test
    void deleteTreeRemovesOnlyThePrefix() {
        kv.set("web/a", "1");
        kv.set("web/b/c", "2");
        kv.set("webby", "3");
        kv.set("api/x", "4");
        assertTrue(kv.deleteTree("web/"));
        assertEquals(List.of("api/x", "webby"), kv.keys("", ""));
        assertEquals(5, kv.getIndex("web/a"), "tombstoned key reads at the table index");
        assertEquals(5, kv.listIndex("web/b"), "a narrower prefix keeps the delete's index");
    }

    @Test
    void deleteTreeOfEmptyPrefixRemovesEverything() {
        kv.set("a", "1");
        kv.set("b", "2");
        kv.deleteTree("");
        assertTrue(kv.keys("", "").isEmpty());
        assertEquals(3, kv.listIndex(""));
    }

    @Test
    void deleteTreeMatchingNothingChangesNoIndex() {
        kv.set("a", "1");
        kv.deleteTree("zzz/");
        assertEquals(1, kv.listIndex(""));
        assertEquals(1, kv.listIndex("zzz/"));
    }

    @Test
    void lockAndUnlockAreRejectedUntilSessionsExistAndConsumeTheirIndex() {
        kv.set("k", "v");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kv.apply(new KvRequest(KvOp.LOCK, "k", Kv.bytes("v"), 0, 0, "sess-1")));
        assertTrue(e.getMessage().contains("invalid session \"sess-1\""), e.getMessage());
        assertEquals(2, kv.store.lastIndex());
        assertEquals(1, kv.entry("k").modifyIndex());
        assertThrows(IllegalArgumentException.class,
                () -> kv.apply(new KvRequest(KvOp.UNLOCK, "k", null, 0, 0, "sess-1")));
    }
}
