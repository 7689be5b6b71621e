package io.conclave.check.script.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void keepsTheTailOnceFullAndSaysHowMuchWasWritten() {
        TailBuffer b = new TailBuffer(4);
        b.write("abcdef".getBytes(StandardCharsets.UTF_8), 0, 6);
        b.write("gh".getBytes(StandardCharsets.UTF_8), 0, 2);
        assertEquals("Captured 4 of 8 bytes\n...\nefgh", b.render());
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
