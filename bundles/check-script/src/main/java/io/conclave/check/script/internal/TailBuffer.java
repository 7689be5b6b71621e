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

    /** Consul's rendering: the text, prefixed by {@code Captured N of M bytes\n...\n} once something was dropped. */
    synchronized String render() {
        byte[] kept = bytes();
        String text = new String(kept, StandardCharsets.UTF_8);
        if (total > kept.length) {
            return "Captured " + kept.length + " of " + total + " bytes\n...\n" + text;
        }
        return text;
    }
}
