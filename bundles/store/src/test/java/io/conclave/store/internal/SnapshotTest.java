package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.kv.KvEntry;
import io.conclave.api.state.Indexed;
import io.conclave.api.state.StoreView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private final Kv source = Kv.active();
    private final Kv target = Kv.active();

    @AfterEach
    void stop() {
        source.close();
        target.close();
    }

    private static byte[] snapshot(Kv kv) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kv.store.snapshot(out);
        return out.toByteArray();
    }

    private void fillSource() {
        source.set("app/color", "blue", 3);   // 1
        source.set("app/size", "large");     // 2
        source.set("app/zzz", "last");       // 3
        source.set("db/\u00e9t\u00e9\uD83D\uDE00", null); // 4, non-ASCII key, null value
        source.set("app/color", "red", 4);   // 5
        source.delete("app/zzz");            // 6: tombstone
        source.set("tree/a", "1");           // 7
        source.set("tree/b", "2");           // 8
        source.deleteTree("tree/");          // 9: tombstones
        source.set("empty", "");             // 10
    }

    @Test
    void roundTripKeepsRowsTombstonesAndIndexes() throws IOException {
        fillSource();
        byte[] snap = snapshot(source);
        target.store.restore(new ByteArrayInputStream(snap));

        StoreView a = source.store.view();
        StoreView b = target.store.view();
        assertEquals(10, b.index());
        assertEquals(a.kvList("").value(), b.kvList("").value());
        for (String prefix : List.of("", "app/", "app/z", "tree/", "tree/a", "db/", "nothing")) {
            assertEquals(a.kvList(prefix).index(), b.kvList(prefix).index(), "list index of " + prefix);
            assertEquals(a.kvKeys(prefix, "/"), b.kvKeys(prefix, "/"), "keys of " + prefix);
        }
        assertEquals(6, b.kvList("app/").index(), "the tombstone of app/zzz came along");
        assertEquals(9, b.kvList("tree/").index());
        KvEntry color = b.kvGet("app/color").value().orElseThrow();
        assertEquals(1, color.createIndex());
        assertEquals(5, color.modifyIndex());
        assertEquals(4, color.flags());
        assertEquals(10, b.kvGet("missing").index());
        assertArrayEquals(snap, snapshot(target), "a restored store snapshots identically");

        target.index = target.store.lastIndex();
        target.set("after", "restore");
        assertEquals(11, target.entry("after").createIndex());
    }

    @Test
    void snapshotIsPointInTimeWhileWritesContinue() throws IOException {
        fillSource();
        // Take the bytes, then keep writing: the bytes must not change meaning.
        byte[] snap = snapshot(source);
        source.set("later", "x");
        target.store.restore(new ByteArrayInputStream(snap));
        assertTrue(target.get("later").isEmpty());
        assertEquals(10, target.store.lastIndex());
    }

    @Test
    void restoreWakesParkedQueries() throws Exception {
        fillSource();
        byte[] snap = snapshot(source);
        target.set("app/color", "green");   // target index 1
        target.set("unrelated", "x");       // 2
        CompletableFuture<Indexed<Optional<KvEntry>>> onKey = target.store
                .query(1, Duration.ofMinutes(10), v -> v.kvGet("app/color")).toCompletableFuture();
        CompletableFuture<Indexed<List<KvEntry>>> onPrefix = target.store
                .query(2, Duration.ofMinutes(10), v -> v.kvList("")).toCompletableFuture();
        assertEquals(2, target.store.parkedQueries());
        long wakeups = target.store.wakeups();

        target.store.restore(new ByteArrayInputStream(snap));

        assertEquals(wakeups + 2, target.store.wakeups(), "a restore wakes every parked query");
        assertEquals("red", Kv.text(onKey.get(30, TimeUnit.SECONDS).value().orElseThrow()));
        assertEquals(10, onPrefix.get(30, TimeUnit.SECONDS).index());
        assertEquals(0, target.store.parkedQueries());
    }

    @Test
    void corruptSnapshotIsRejectedAndLeavesStoreIntact() throws IOException {
        fillSource();
        byte[] snap = snapshot(source);
        target.set("keep", "me");
        List<KvEntry> before = target.store.view().kvList("").value();

        byte[] flipped = snap.clone();
        flipped[flipped.length / 2] ^= 0x5A;
        assertRejected(flipped, "");
        assertRejected(Arrays.copyOf(snap, snap.length - 3), "truncated");
        assertRejected(Arrays.copyOf(snap, 20), "truncated");
        byte[] badMagic = snap.clone();
        badMagic[0] = 'X';
        assertRejected(badMagic, "bad magic");
        byte[] newer = snap.clone();
        newer[11] = 9; // the low byte of the version int after the 8-byte magic
        assertRejected(newer, "version 9");
        assertRejected(new byte[0], "truncated");

        assertEquals(before, target.store.view().kvList("").value());
        assertEquals(1, target.store.lastIndex());
    }

    private void assertRejected(byte[] bytes, String messagePart) {
        IOException e = assertThrows(IOException.class, () -> target.store.restore(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void emptyStoreRoundTrips() throws IOException {
        target.set("x", "y");
        target.store.restore(new ByteArrayInputStream(snapshot(source)));
        assertEquals(0, target.store.lastIndex());
        assertTrue(target.store.view().kvList("").value().isEmpty());
        assertEquals(0, target.store.view().kvGet("x").index());
    }
}
