package io.conclave.gossip.internal.wire;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Go {@code compress/lzw} with LSB bit order and literal width 8, as memberlist's compress message
 * uses it: clear = 256, eof = 257, codes from 258, width 9 growing to 12; the writer starts with a
 * clear code and resets (emits clear) when the table is full. Mirrors Go's reader.go and writer.go
 * step for step so both sides agree on when the code width grows.
 */
public final class Lzw {
  private static final int CLEAR = 256;
  private static final int EOF = 257;
  private static final int MAX_WIDTH = 12;
  private static final int MAX_CODE = (1 << MAX_WIDTH) - 1;

  private Lzw() {}

  public static byte[] decompress(byte[] data, int maxOutput) throws WireException {
    int[] prefix = new int[1 << MAX_WIDTH];
    byte[] suffix = new byte[1 << MAX_WIDTH];
    byte[] scratch = new byte[1 << MAX_WIDTH];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int width = 9;
    int hi = EOF;
    int overflow = 1 << width;
    int last = -1;
    int bits = 0;
    int nBits = 0;
    int pos = 0;
    while (true) {
      while (nBits < width) {
        if (pos >= data.length) {
          throw new WireException("lzw: unexpected end of data");
        }
        bits |= (data[pos++] & 0xff) << nBits;
        nBits += 8;
      }
      int code = bits & ((1 << width) - 1);
      bits >>>= width;
      nBits -= width;
      if (code < CLEAR) {
        out.write(code);
        if (last != -1) {
          suffix[hi] = (byte) code;
          prefix[hi] = last;
        }
      } else if (code == CLEAR) {
        width = 9;
        hi = EOF;
        overflow = 1 << width;
        last = -1;
        continue;
      } else if (code == EOF) {
        return out.toByteArray();
      } else if (code <= hi) {
        int c = code;
        int i = scratch.length - 1;
        if (code == hi) {
          if (last == -1) {
            throw new WireException("lzw: invalid code");
          }
          c = last;
          while (c >= CLEAR) {
            c = prefix[c];
          }
          scratch[i--] = (byte) c;
          c = last;
        }
        while (c >= CLEAR) {
          scratch[i--] = suffix[c];
          c = prefix[c];
          if (i < 0) {
            throw new WireException("lzw: invalid code chain");
          }
        }
        scratch[i] = (byte) c;
        out.write(scratch, i, scratch.length - i);
        if (last != -1) {
          suffix[hi] = (byte) c;
          prefix[hi] = last;
        }
      } else {
        throw new WireException("lzw: invalid code");
      }
      if (out.size() > maxOutput) {
        throw new WireException("lzw: output exceeds " + maxOutput + " bytes");
      }
      last = code;
      hi++;
      if (hi >= overflow) {
        if (width == MAX_WIDTH) {
          last = -1;
          hi--;
        } else {
          width++;
          overflow = 1 << width;
        }
      }
    }
  }

  public static byte[] compress(byte[] input) {
    Writer w = new Writer();
    w.write(CLEAR);
    if (input.length > 0) {
      Map<Integer, Integer> table = new HashMap<>();
      int code = input[0] & 0xff;
      for (int k = 1; k < input.length; k++) {
        int literal = input[k] & 0xff;
        int key = code << 8 | literal;
        Integer hit = table.get(key);
        if (hit != null) {
          code = hit;
          continue;
        }
        w.write(code);
        code = literal;
        if (w.incHi()) {
          table.clear();
          continue;
        }
        table.put(key, w.hi);
      }
      w.write(code);
      w.incHi();
    }
    w.write(EOF);
    return w.finish();
  }

  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int bits;
    int nBits;
    int width = 9;
    int hi = EOF;
    int overflow = 1 << 9;

    void write(int code) {
      bits |= code << nBits;
      nBits += width;
      while (nBits >= 8) {
        out.write(bits & 0xff);
        bits >>>= 8;
        nBits -= 8;
      }
    }

    /** Go's incHi; true when the table ran out and a clear code was sent. */
    boolean incHi() {
      hi++;
      if (hi == overflow) {
        width++;
        overflow <<= 1;
      }
      if (hi == MAX_CODE) {
        write(CLEAR);
        width = 9;
        hi = EOF;
        overflow = 1 << 9;
        return true;
      }
      return false;
    }

    byte[] finish() {
      if (nBits > 0) {
        out.write(bits & 0xff);
      }
      return out.toByteArray();
    }
  }
}
