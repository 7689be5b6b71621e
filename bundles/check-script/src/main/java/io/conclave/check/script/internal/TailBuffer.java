package io.conclave.check.script.internal;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written and counts all of them, as Consul's
 * {@code armon/circbuf} does for a script's output: a chatty script is drained at full speed and
 * only its tail, where the verdict usually is, is kept.
 */
final class TailBuffer {

    private final byte[] ring;
    private long total;

    TailBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] b, int off, int len) {
        int cap = ring.length;
        if (len >= cap) {
            System.arraycopy(b, off + len - cap, ring, 0, cap);
            total += len;
            // the ring now starts at total % cap; rotate so that the next write position is right
            rotateTo((int) (total % cap));
            return;
        }
        int pos = (int) (total % cap);
        int first = Math.min(len, cap - pos);
        System.arraycopy(b, off, ring, pos, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        total += len;
    }

    /** After a full overwrite ring[0..cap) is in order; move it so the oldest byte sits at {@code start}. */
    private void rotateTo(int start) {
        if (start == 0) {
            return;
        }
        byte[] copy = ring.clone();
        int cap = ring.length;
        for (int i = 0; i < cap; i++) {
            ring[(start + i) % cap] = copy[i];
        }
    }

    synchronized long total() {
        return total;
    }

    /** The kept bytes, oldest first. */
    synchronized byte[] bytes() {
        int cap = ring.length;
        if (total <= cap) {
            byte[] out = new byte[(int) total];
            System.arraycopy(ring, 0, out, 0, out.length);
            return out;
        }
        int start = (int) (total % cap);
        byte[] out = new byte[cap];
        System.arraycopy(ring, start, out, 0, cap - start);
        System.arraycopy(ring, 0, out, cap - start, start);
        return out;
    }

    /**
     * Consul's rendering, the text prefixed by {@code Captured N of M bytes\n...\n} once something was
     * dropped, kept within {@code capacity} bytes in all (the {@code CheckResult} contract): the prefix
     * takes its room from the oldest kept bytes, and the text starts on a character boundary.
     */
    synchronized String render() {
        return render(ring.length);
    }

    /** {@link #render()} within {@code budget} bytes (room left for the caller's own words). */
    synchronized String render(int budget) {
        byte[] kept = bytes();
        int cap = Math.max(0, Math.min(budget, ring.length));
        if (total <= cap) {
            return new String(kept, StandardCharsets.UTF_8);
        }
        int room = cap - prefix(cap).length();
        room = cap - prefix(Math.max(room, 0)).length();
        if (room <= 0) {
            return text(kept, kept.length - cap);
        }
        int start = kept.length - room;
        return prefix(room - boundary(kept, start)) + text(kept, start);
    }

    private String prefix(int captured) {
        return "Captured " + captured + " of " + total + " bytes\n...\n";
    }

    /** How many UTF-8 continuation bytes start at {@code start} (at most 3): they belong to a dropped character. */
    private static int boundary(byte[] b, int start) {
        int skip = 0;
        while (skip < 3 && start + skip < b.length && (b[start + skip] & 0xC0) == 0x80) {
            skip++;
        }
        return skip;
    }

    private static String text(byte[] b, int start) {
        int from = start + boundary(b, start);
        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }
}
