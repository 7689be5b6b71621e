package io.conclave.gossip.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decoding safety in one place (after dnsjava's {@code DNSInput.require}): every read checks its
 * bounds and throws {@link WireException}. Backed either by a byte array (a packet, a decrypted
 * envelope) or by an unframed TCP stream with a byte budget (memberlist streams are not length
 * prefixed when plaintext and uncompressed, so values are read one at a time from the socket).
 */
public abstract class WireInput {

  /** memberlist's {@code maxPushStateBytes}: the most a single stream may make us buffer. */
  public static final int MAX_STREAM_BYTES = 20 * 1024 * 1024;

  public static WireInput of(byte[] data) {
    return new ArrayInput(data, 0, data.length);
  }

  public static WireInput of(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException("slice out of range");
    }
    return new ArrayInput(data, offset, length);
  }

  /** A stream source that refuses to consume more than {@code budget} bytes in total. */
  public static WireInput of(InputStream in, int budget) {
    return new StreamInput(in, budget);
  }

  /** Next byte without consuming it. */
  public abstract int peek() throws WireException;

  public abstract int u8() throws WireException;

  /** Consumes exactly {@code n} bytes. */
  public abstract byte[] bytes(long n) throws WireException;

  /** Bytes left, or -1 when unknown (stream). */
  public abstract int remaining();

  /** Everything left (array inputs only; streams have no end). */
  public byte[] rest() throws WireException {
    int r = remaining();
    if (r < 0) {
      throw new WireException("stream has no defined end");
    }
    return bytes(r);
  }

  public int u16() throws WireException {
    return (u8() << 8) | u8();
  }

  public long u32() throws WireException {
    return ((long) u16() << 16) | u16();
  }

  public long u64() throws WireException {
    return (u32() << 32) | u32();
  }

  private static final class ArrayInput extends WireInput {
    private final byte[] data;
    private int pos;
    private final int end;

    ArrayInput(byte[] data, int offset, int length) {
      this.data = data;
      this.pos = offset;
      this.end = offset + length;
    }

    private void require(long n) throws WireException {
      if (n < 0 || n > end - pos) {
        throw new WireException("truncated: need " + n + " bytes, " + (end - pos) + " left");
      }
    }

    @Override
    public int peek() throws WireException {
      require(1);
      return data[pos] & 0xff;
    }

    @Override
    public int u8() throws WireException {
      require(1);
      return data[pos++] & 0xff;
    }

    @Override
    public byte[] bytes(long n) throws WireException {
      require(n);
      byte[] out = new byte[(int) n];
      System.arraycopy(data, pos, out, 0, (int) n);
      pos += (int) n;
      return out;
    }

    @Override
    public int remaining() {
      return end - pos;
    }
  }

  private static final class StreamInput extends WireInput {
    private final InputStream in;
    private long budget;
    private int peeked = -1;

    StreamInput(InputStream in, int budget) {
      this.in = in;
      this.budget = budget;
    }

    private void spend(long n) throws WireException {
      if (n < 0 || n > budget) {
        throw new WireException("stream exceeds its byte budget");
      }
      budget -= n;
    }

    private int readRaw() throws WireException {
      try {
        int b = in.read();
        if (b < 0) {
          throw new WireException("stream ended early");
        }
        return b;
      } catch (IOException e) {
        throw new WireException("stream read failed: " + e.getMessage(), e);
      }
    }

    @Override
    public int peek() throws WireException {
      if (peeked < 0) {
        spend(1);
        peeked = readRaw();
      }
      return peeked;
    }

    @Override
    public int u8() throws WireException {
      int b = peek();
      peeked = -1;
      return b;
    }

    @Override
    public byte[] bytes(long n) throws WireException {
      if (n < 0) {
        throw new WireException("negative length");
      }
      int off = 0;
      if (peeked >= 0 && n > 0) {
        spend(n - 1);
      } else {
        spend(n);
      }
      byte[] out = new byte[(int) n];
      if (peeked >= 0 && n > 0) {
        out[0] = (byte) peeked;
        peeked = -1;
        off = 1;
      }
      try {
        int r = in.readNBytes(out, off, out.length - off);
        if (r != out.length - off) {
          throw new WireException("stream ended early");
        }
      } catch (EOFException e) {
        throw new WireException("stream ended early", e);
      } catch (IOException e) {
        throw new WireException("stream read failed: " + e.getMessage(), e);
      }
      return out;
    }

    @Override
    public int remaining() {
      return -1;
    }
  }
}
