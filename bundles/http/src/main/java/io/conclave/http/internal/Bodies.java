package io.conclave.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads request bodies without ever holding more than a limit in memory. */
public final class Bodies {

    private Bodies() {
    }

    /**
     * Reads a whole body of at most {@code max} bytes.
     *
     * @param contentLength the declared length, or -1 for a chunked body
     * @return the bytes; empty when there was no body
     * @throws TooLarge as soon as the declared length, or the bytes actually read, pass {@code max}
     */
    public static byte[] read(InputStream in, long contentLength, long max) throws IOException {
        if (contentLength > max) {
            throw new TooLarge(contentLength);
        }
        if (in == null) {
            return new byte[0];
        }
        int initial = (int) Math.min(contentLength >= 0 ? contentLength : 8192, max);
        byte[] buf = new byte[Math.max(initial, 16)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > max) {
                    throw new TooLarge(n);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(Math.max(buf.length * 2L, 16), max + 1));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (n > max) {
                throw new TooLarge(n);
            }
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /**
     * Reads and drops what is left of a refused body, up to {@code limit} bytes, so that a client still
     * sending it gets to read the refusal instead of a broken pipe.
     *
     * @return true if the body ended within the limit (the connection can be reused)
     */
    public static boolean drain(InputStream in, long limit) {
        if (in == null) {
            return true;
        }
        byte[] sink = new byte[8192];
        long left = limit;
        try {
            while (left >= 0) {
                int r = in.read(sink, 0, (int) Math.min(sink.length, left + 1));
                if (r < 0) {
                    return true;
                }
                left -= r;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** A body over the limit; {@code size} is its declared length, or how much had arrived when reading stopped. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long size;

        public TooLarge(long size) {
            super("request body too large", null);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}
