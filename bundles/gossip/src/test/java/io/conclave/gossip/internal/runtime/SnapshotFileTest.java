package io.conclave.gossip.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serf's snapshot file on its own: the line format both ways, flushing, compaction, damaged files, leave. */
class SnapshotFileTest {

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static Snapshotter.Restored replay(String text, boolean rejoinAfterLeave) throws IOException {
        return Snapshotter.replay(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), rejoinAfterLeave,
                "LAN");
    }

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void writesSerfsLinesAndReadsThemBack() throws Exception {
        Path file = dir.resolve("serf").resolve("local.snapshot");
        Snapshotter s = Snapshotter.open(file, false, "LAN");
        assertTrue(Files.exists(file), "the file and its directory are created");
        assertEquals(Map.of(), s.restored().alive());
        s.alive("n1", "127.0.0.1", 8301);
        s.alive("n2", "0:0:0:0:0:0:0:1", 8302);
        s.alive("n3", "127.0.0.3", 8301);
        s.notAlive("n1");
        s.clock(10, true);
        s.clock(10, true);
        s.userEvent(5);
        s.userEvent(4);
        s.query(3);
        s.close();
        assertEquals(List.of("alive: n1 127.0.0.1:8301", "alive: n2 [0:0:0:0:0:0:0:1]:8302",
                "alive: n3 127.0.0.3:8301", "not-alive: n1", "clock: 9", "event-clock: 5", "query-clock: 3"),
                lines(file), "serf's format; the clock is the last time seen; older clocks are not written again");

        Snapshotter again = Snapshotter.open(file, false, "LAN");
        Snapshotter.Restored r = again.restored();
        again.close();
        assertEquals(List.of("n2", "n3"), List.copyOf(r.alive().keySet()));
        assertEquals("[0:0:0:0:0:0:0:1]:8302", r.alive().get("n2"));
        assertEquals(9, r.clock());
        assertEquals(5, r.eventClock());
        assertEquals(3, r.queryClock());
        assertEquals(0, r.skippedLines());
    }

    @Test
    void readsAFileWrittenBySerf() throws Exception {
        // As serf 0.9.4 writes it, with a comment and an old coordinate line it skips.
        Snapshotter.Restored r = replay("""
                # written by serf
                alive: web-1 10.0.0.1:8301
                alive: db.dc2 [::1]:8302
                clock: 4
                coordinate: {"Vec":[0,0]}
                alive: web-2 10.0.0.2:8301
                not-alive: web-1
                event-clock: 18446744073709551615
                query-clock: 2
                clock: 7
                """, false);
        assertEquals(Map.of("db.dc2", "[::1]:8302", "web-2", "10.0.0.2:8301"), r.alive());
        assertEquals(7, r.clock());
        assertEquals(-1L, r.eventClock(), "clocks are uint64");
        assertEquals(2, r.queryClock());
        assertEquals(0, r.skippedLines());
        List<Snapshotter.PreviousNode> previous = r.previousNodes(new Random(1));
        assertEquals(2, previous.size());
        assertTrue(previous.contains(new Snapshotter.PreviousNode("web-2", "10.0.0.2:8301")));
        assertEquals("web-2: 10.0.0.2:8301", new Snapshotter.PreviousNode("web-2", "10.0.0.2:8301").toString());
    }

    @Test
    void appendedLinesReachTheDiskWithinTheFlushIntervalWithoutAClose() throws Exception {
        // What a kill -9 would leave: the file as the writer flushed it, the snapshotter never closed.
        Path file = dir.resolve("local.snapshot");
        Snapshotter s = Snapshotter.open(file, false, "LAN");
        try {
            long start = System.nanoTime();
            s.alive("n1", "127.0.0.1", 8301);
            s.clock(3, true);
            assertTrue(within(3_000, () -> {
                try {
                    return lines(file).equals(List.of("alive: n1 127.0.0.1:8301", "clock: 2"));
                } catch (IOException e) {
                    return false;
                }
            }), "flushed without a close");
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[snapshot] appended lines on disk after %d ms (flush interval %d ms)%n", millis,
                    Snapshotter.FLUSH_INTERVAL_MILLIS);
            assertTrue(millis < 2_000, "flushed within a bounded delay: " + millis + " ms");
            assertEquals(Map.of("n1", "127.0.0.1:8301"), replayFile(file).alive());
        } finally {
            s.close();
        }
    }

    private static Snapshotter.Restored replayFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Snapshotter.replay(in, false, "LAN");
        }
    }

    @Test
    void compactsPastSerfsBoundKeepingOnlyLiveState() throws Exception {
        Path file = dir.resolve("local.snapshot");
        long minCompact = 1024;
        Snapshotter s = Snapshotter.open(file, false, minCompact, "LAN");
        Map<String, String> expected = new LinkedHashMap<>();
        long maxSeen = 0;
        for (int i = 0; i < 400; i++) {
            String name = "node-" + (i % 7);
            if (i % 3 == 2) {
                s.notAlive(name);
                expected.remove(name);
            } else {
                s.alive(name, "127.0.0." + (1 + i % 7), 8301);
                expected.put(name, "127.0.0." + (1 + i % 7) + ":8301");
            }
            s.clock(i + 2, true);
            if (i % 100 == 99) {
                // Let the writer catch up so sizes are observed between compactions too.
                int want = i;
                within(2_000, () -> {
                    try {
                        return Files.size(file) > 0 && lines(file).stream().anyMatch(l -> l.equals("clock: "
                                + (want + 1)));
                    } catch (IOException e) {
                        return false;
                    }
                });
                maxSeen = Math.max(maxSeen, Files.size(file));
            }
        }
        s.close();
        long size = Files.size(file);
        maxSeen = Math.max(maxSeen, size);
        System.out.printf("[snapshot] 400 updates, compaction bound %d bytes: largest file seen %d, final %d%n",
                minCompact, maxSeen, size);
        // serf's bound: 2 x 128 bytes for each of up to 7 live members, at least the minimum.
        long bound = Math.max(minCompact, 7 * 256);
        assertTrue(maxSeen <= bound, "the file stays within the bound " + bound + ": " + maxSeen);
        assertFalse(Files.exists(dir.resolve("local.snapshot.compact")), "no temporary file left");
        Snapshotter.Restored r = replayFile(file);
        assertEquals(expected, r.alive());
        assertEquals(400, r.clock());
        assertEquals(0, r.skippedLines());
        List<String> text = lines(file);
        assertTrue(text.contains("event-clock: 0") && text.contains("query-clock: 0"),
                "a compacted file carries every clock, as serf's does: " + text);
    }

    @Test
    void aBrokenLineIsSkippedAndAPartialLastLineIgnoredAndCutOff() throws Exception {
        Path file = dir.resolve("local.snapshot");
        Files.writeString(file, """
                alive: a 127.0.0.1:8301
                alive: nospace
                clock: twelve
                event-clock: 9
                something else
                alive: b 127.0.0.2:8301
                """ + "x".repeat(Snapshotter.MAX_LINE_BYTES + 10) + "\n" + "clock: 5\nalive: c 127.0.0.3:83",
                StandardCharsets.UTF_8);
        Snapshotter s = Snapshotter.open(file, false, "LAN");
        Snapshotter.Restored r = s.restored();
        assertEquals(Map.of("a", "127.0.0.1:8301", "b", "127.0.0.2:8301"), r.alive(), "c's line was cut short");
        assertEquals(5, r.clock());
        assertEquals(9, r.eventClock());
        assertEquals(4, r.skippedLines(), "bad address, bad clock, unknown line, overlong line");
        assertFalse(Files.readString(file).contains("alive: c"), "the partial line is cut off before appending");
        s.alive("d", "127.0.0.4", 8301);
        s.close();
        Snapshotter.Restored after = replayFile(file);
        assertEquals(Map.of("a", "127.0.0.1:8301", "b", "127.0.0.2:8301", "d", "127.0.0.4:8301"), after.alive(),
                "a line appended after the cut is read whole");
    }

    @Test
    void aFileLargerThanTheReadBoundIsReadInPart() throws Exception {
        byte[] head = "alive: a 127.0.0.1:8301\nclock: 3\n".getBytes(StandardCharsets.UTF_8);
        InputStream huge = new InputStream() {
            long served;

            @Override
            public int read() {
                long i = served++;
                if (i < head.length) {
                    return head[(int) i];
                }
                return i < Snapshotter.MAX_READ_BYTES + 4096 ? (i % 64 == 63 ? '\n' : '#') : -1;
            }
        };
        Snapshotter.Restored r = Snapshotter.replay(huge, false, "LAN");
        assertTrue(r.truncated());
        assertEquals(Map.of("a", "127.0.0.1:8301"), r.alive());
        assertEquals(3, r.clock());
    }

    @Test
    void aLeaveForgetsTheMembersUnlessRejoinAfterLeave() throws Exception {
        Path file = dir.resolve("local.snapshot");
        Snapshotter s = Snapshotter.open(file, false, "LAN");
        s.alive("self", "127.0.0.1", 8301);
        s.alive("a", "127.0.0.2", 8301);
        s.clock(6, true);
        s.userEvent(4);
        s.leave();
        assertTrue(within(3_000, () -> {
            try {
                return lines(file).contains("leave");
            } catch (IOException e) {
                return false;
            }
        }), "the leave is written at once");
        s.alive("b", "127.0.0.3", 8301);
        s.userEvent(8);
        s.clock(9, true);
        s.close();
        assertEquals(List.of("alive: self 127.0.0.1:8301", "alive: a 127.0.0.2:8301", "clock: 5", "event-clock: 4",
                "leave", "clock: 8"), lines(file), "after a leave only the clock is recorded, as in serf");

        Snapshotter.Restored plain = replayFile(file);
        assertEquals(Map.of(), plain.alive(), "nobody to rejoin after a graceful leave");
        assertEquals(8, plain.clock());
        assertEquals(0, plain.eventClock(), "serf resets the clocks at a leave");

        Snapshotter.Restored rejoin = Snapshotter.replay(Files.newInputStream(file), true, "LAN");
        assertEquals(Map.of("self", "127.0.0.1:8301", "a", "127.0.0.2:8301"), rejoin.alive());
        assertEquals(4, rejoin.eventClock());
    }

    @Test
    void aCompactionAfterALeaveStillForgetsTheMembers() throws Exception {
        Path file = dir.resolve("local.snapshot");
        Snapshotter s = Snapshotter.open(file, true, 256, "LAN");
        s.alive("a", "127.0.0.2", 8301);
        s.leave();
        for (int i = 2; i < 60; i++) {
            s.clock(i, true);
        }
        s.close();
        List<String> text = lines(file);
        assertTrue(Files.size(file) <= 256 && text.get(0).equals("alive: a 127.0.0.2:8301")
                && text.get(1).equals("leave"), "compacted, the leave kept after the members: " + text);
        assertEquals(Map.of(), replayFile(file).alive(), "without rejoin_after_leave the leave still counts");
        Snapshotter.Restored rejoin = Snapshotter.replay(Files.newInputStream(file), true, "LAN");
        assertEquals(Map.of("a", "127.0.0.2:8301"), rejoin.alive(), "with it the members are kept");
        assertEquals(58, rejoin.clock());
    }

    @Test
    void namesThatCannotBeALineAreNotRecorded() throws Exception {
        Path file = dir.resolve("local.snapshot");
        Snapshotter s = Snapshotter.open(file, false, "LAN");
        s.alive("evil\nleave", "127.0.0.1", 8301);
        s.alive("ok", "", 8301);
        s.alive("fine", "127.0.0.1", 8301);
        s.close();
        assertEquals(List.of("alive: fine 127.0.0.1:8301"), lines(file));
    }
}
