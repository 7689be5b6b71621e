package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.api.state.Indexed;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IndexSemanticsTest {

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    @Test
    void emptyStoreAnswersIndexZero() {
        assertEquals(0, kv.getIndex("x"));
        assertEquals(0, kv.listIndex(""));
        assertEquals(0, kv.listIndex("x/"));
        assertEquals(0, kv.store.view().kvKeys("x/", "/").index());
        assertEquals(0, kv.store.view().index());
    }

    @Test
    void getAnswersModifyIndexOfPresentKeyAndTableIndexOfMissingKey() {
        kv.set("a", "1");
        kv.set("b", "2");
        kv.set("c", "3");
        assertEquals(1, kv.getIndex("a"));
        assertEquals(3, kv.getIndex("missing"));
    }

    @Test
    void tableIndexRisesOnDelete() {
        kv.set("a", "1");
        kv.set("b", "2");
        kv.delete("a");
        assertEquals(3, kv.getIndex("missing"));
        assertEquals(3, kv.listIndex(""));
    }

    @Test
    void listAnswersHighestModifyIndexUnderPrefix() {
        kv.set("a/x", "1");
        kv.set("a/y", "2");
        kv.set("b/z", "3");
        assertEquals(2, kv.listIndex("a/"));
        assertEquals(3, kv.listIndex("b/"));
        assertEquals(3, kv.listIndex(""), "the empty prefix answers the table index");
        assertEquals(3, kv.listIndex("nothing/"), "an empty prefix result falls back to the table index");
    }

    @Test
    void tombstonesKeepPrefixIndexFromGoingBackwards() {
        kv.set("p/a", "1");   // 1
        kv.set("p/b", "2");   // 2
        kv.set("q", "3");     // 3
        assertEquals(2, kv.listIndex("p/"));
        kv.delete("p/b");     // 4: the prefix's highest key goes
        assertEquals(4, kv.listIndex("p/"), "the tombstone's index, not p/a's 1");
        assertEquals(4, kv.store.view().kvKeys("p/", "/").index());
        kv.delete("p/a");     // 5: the prefix is now empty but remembers
        assertEquals(5, kv.listIndex("p/"));
        kv.set("q", "4");     // 6: unrelated
        assertEquals(5, kv.listIndex("p/"), "unrelated writes do not move the prefix's index");
    }

    @Test
    void keysWithSeparatorCutsFolders() {
        kv.set("a/b", "1");
        kv.set("a/c/d", "2");
        kv.set("a/c/e", "3");
        Indexed<List<String>> keys = kv.store.view().kvKeys("a/", "/");
        assertEquals(List.of("a/b", "a/c/"), keys.value());
        assertEquals(3, keys.index());
        assertEquals(List.of("a/b", "a/c/d", "a/c/e"), kv.keys("a/", ""));
        assertEquals(List.of("a/"), kv.keys("", "/"));
        assertEquals(List.of("a/c/d", "a/c/e"), kv.keys("a/c/", "/"));
    }

    @Test
    void keysWithMultiCharacterSeparator() {
        kv.set("x::y::z", "1");
        kv.set("x::w", "2");
        kv.set("x", "3");
        assertEquals(List.of("x", "x::"), kv.keys("", "::"));
        assertEquals(List.of("x::w", "x::y::"), kv.keys("x::", "::"));
    }

    @Test
    void listIsInKeyOrder() {
        kv.set("b", "1");
        kv.set("a/2", "1");
        kv.set("a/10", "1");
        kv.set("a", "1");
        assertEquals(List.of("a", "a/10", "a/2", "b"), kv.keys("", ""));
    }

    @Test
    void keysAreOrderedByCodePointLikeConsul() {
        String supplementary = new String(Character.toChars(0x1F600)); // surrogate pair in UTF-16
        String highBmp = "\uFF21";
        kv.set(supplementary, "1");
        kv.set(highBmp, "2");
        assertEquals(List.of(highBmp, supplementary), kv.keys("", ""), "UTF-8 byte order puts U+FF21 first");
    }
}
