package io.conclave.check.script.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TailBufferTest {

    @Test
    void keepsEverythingUntilFull() {
        TailBuffer b = new TailBuffer(8);
        b.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
        b.write("def".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertEquals("abcdef", b.render());
        assertEquals(6, b.total());
    }

    @Test
    void keepsTheTailOnceFullAndSaysHowMuchWithinTheCapacity() {
        TailBuffer b = new TailBuffer(40);
        byte[] digits = "0123456789".repeat(10).getBytes(StandardCharsets.UTF_8);
        b.write(digits, 0, digits.length);
        // "Captured 15 of 100 bytes\n...\n" is 29 bytes, leaving 11 for the tail
        String out = b.render();
        assertEquals("Captured 11 of 100 bytes\n...\n" + "9" + "0123456789", out);
        assertEquals(40, out.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aCapacitySmallerThanThePrefixKeepsOnlyTheTail() {
        TailBuffer b = new TailBuffer(4);
        b.write("abcdef".getBytes(StandardCharsets.UTF_8), 0, 6);
        b.write("gh".getBytes(StandardCharsets.UTF_8), 0, 2);
        assertEquals("efgh", b.render());
    }

    @Test
    void theTailStartsOnACharacterBoundary() {
        TailBuffer b = new TailBuffer(35);
        byte[] text = ("x".repeat(50) + "ééé").getBytes(StandardCharsets.UTF_8);
        b.write(text, 0, text.length);
        String out = b.render();
        assertTrue(out.endsWith("ééé"), out);
        assertTrue(!out.contains("\uFFFD"), out);
        assertTrue(out.getBytes(StandardCharsets.UTF_8).length <= 35, out);
        assertTrue(out.startsWith("Captured "), out);
    }

    @Test
    void matchesANaiveTailForRandomWrites() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int cap = 1 + random.nextInt(20);
            TailBuffer b = new TailBuffer(cap);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int writes = random.nextInt(12);
            for (int w = 0; w < writes; w++) {
                byte[] chunk = new byte[random.nextInt(3 * cap)];
                random.nextBytes(chunk);
                int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                int len = chunk.length - off;
                b.write(chunk, off, len);
                all.write(chunk, off, len);
            }
            byte[] everything = all.toByteArray();
            int keep = Math.min(cap, everything.length);
            byte[] expected = java.util.Arrays.copyOfRange(everything, everything.length - keep, everything.length);
            assertArrayEquals(expected, b.bytes(), "round " + round);
            assertEquals(everything.length, b.total());
        }
    }
}
