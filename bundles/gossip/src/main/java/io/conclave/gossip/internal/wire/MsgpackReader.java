package io.conclave.gossip.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads what go-msgpack writes and what it accepts: any integer form regardless of signedness,
 * strings as fixstr/str8/str16/str32, {@code []byte} additionally as bin, nil as the zero value,
 * structs from maps (keys = exact Go field names, unknown keys skipped, last duplicate wins) or
 * from arrays (positional). Nesting is bounded so garbage cannot exhaust the stack.
 */
public final class MsgpackReader {
  private static final int MAX_DEPTH = 64;

  private final WireInput in;

  public MsgpackReader(WireInput in) {
    this.in = in;
  }

  public WireInput input() {
    return in;
  }

  public boolean nextIsNil() throws WireException {
    return in.peek() == 0xc0;
  }

  /** Any msgpack integer as a 64-bit value (uint64 above Long.MAX_VALUE wraps, as Go's casts do). */
  public long integer() throws WireException {
    int b = in.u8();
    if (b <= 0x7f) {
      return b;
    }
    if (b >= 0xe0) {
      return (byte) b;
    }
    return switch (b) {
      case 0xc0 -> 0;
      case 0xcc -> in.u8();
      case 0xcd -> in.u16();
      case 0xce -> in.u32();
      case 0xcf, 0xd3 -> in.u64();
      case 0xd0 -> (byte) in.u8();
      case 0xd1 -> (short) in.u16();
      case 0xd2 -> (int) in.u32();
      default -> throw new WireException(String.format("expected integer, got 0x%02x", b));
    };
  }

  /** An integer that must fit in {@code [0, max]} (Go would truncate; we refuse). */
  public long unsigned(long max) throws WireException {
    long v = integer();
    if (v < 0 || v > max) {
      throw new WireException("integer out of range: " + v);
    }
    return v;
  }

  public boolean bool() throws WireException {
    int b = in.u8();
    return switch (b) {
      case 0xc2, 0xc0 -> false;
      case 0xc3 -> true;
      default -> throw new WireException(String.format("expected bool, got 0x%02x", b));
    };
  }

  public double float64() throws WireException {
    int b = in.u8();
    return switch (b) {
      case 0xcb -> Double.longBitsToDouble(in.u64());
      case 0xca -> Float.intBitsToFloat((int) in.u32());
      case 0xc0 -> 0;
      default -> throw new WireException(String.format("expected float, got 0x%02x", b));
    };
  }

  private long rawLength(int b, boolean allowBin) throws WireException {
    if ((b & 0xe0) == 0xa0) {
      return b & 0x1f;
    }
    switch (b) {
      case 0xd9:
        return in.u8();
      case 0xda:
        return in.u16();
      case 0xdb:
        return in.u32();
      case 0xc4:
        if (allowBin) {
          return in.u8();
        }
        break;
      case 0xc5:
        if (allowBin) {
          return in.u16();
        }
        break;
      case 0xc6:
        if (allowBin) {
          return in.u32();
        }
        break;
      default:
        break;
    }
    throw new WireException(String.format("expected %s, got 0x%02x", allowBin ? "bytes" : "string", b));
  }

  /** A Go string: str forms only (go-msgpack rejects bin here), nil reads as "". */
  public String str() throws WireException {
    int b = in.u8();
    if (b == 0xc0) {
      return "";
    }
    return new String(in.bytes(rawLength(b, false)), StandardCharsets.UTF_8);
  }

  /** A Go {@code []byte}: str or bin forms; nil reads as {@code null}. Never UTF-8 decoded. */
  public byte[] bin() throws WireException {
    int b = in.u8();
    if (b == 0xc0) {
      return null;
    }
    return in.bytes(rawLength(b, true));
  }

  /** Header of a map; nil reads as an empty map. */
  public long mapHeader() throws WireException {
    int b = in.u8();
    if ((b & 0xf0) == 0x80) {
      return b & 0x0f;
    }
    return switch (b) {
      case 0xc0 -> 0;
      case 0xde -> in.u16();
      case 0xdf -> in.u32();
      default -> throw new WireException(String.format("expected map, got 0x%02x", b));
    };
  }

  /** Header of an array; nil reads as empty. */
  public long arrayHeader() throws WireException {
    int b = in.u8();
    if ((b & 0xf0) == 0x90) {
      return b & 0x0f;
    }
    return switch (b) {
      case 0xc0 -> 0;
      case 0xdc -> in.u16();
      case 0xdd -> in.u32();
      default -> throw new WireException(String.format("expected array, got 0x%02x", b));
    };
  }

  /** Skips one value of any type. */
  public void skip() throws WireException {
    skip(0);
  }

  private void skip(int depth) throws WireException {
    if (depth > MAX_DEPTH) {
      throw new WireException("nesting too deep");
    }
    int b = in.peek();
    if (b <= 0x7f || b >= 0xe0) {
      in.u8();
      return;
    }
    if ((b & 0xe0) == 0xa0 || b == 0xd9 || b == 0xda || b == 0xdb || b == 0xc4 || b == 0xc5 || b == 0xc6) {
      in.u8();
      in.bytes(rawLength(b, true));
      return;
    }
    if ((b & 0xf0) == 0x80 || b == 0xde || b == 0xdf) {
      long n = mapHeader();
      for (long i = 0; i < n; i++) {
        skip(depth + 1);
        skip(depth + 1);
      }
      return;
    }
    if ((b & 0xf0) == 0x90 || b == 0xdc || b == 0xdd) {
      long n = arrayHeader();
      for (long i = 0; i < n; i++) {
        skip(depth + 1);
      }
      return;
    }
    in.u8();
    switch (b) {
      case 0xc0, 0xc2, 0xc3 -> { }
      case 0xcc, 0xd0 -> in.bytes(1);
      case 0xcd, 0xd1 -> in.bytes(2);
      case 0xce, 0xd2, 0xca -> in.bytes(4);
      case 0xcf, 0xd3, 0xcb -> in.bytes(8);
      case 0xd4 -> in.bytes(2);
      case 0xd5 -> in.bytes(3);
      case 0xd6 -> in.bytes(5);
      case 0xd7 -> in.bytes(9);
      case 0xd8 -> in.bytes(17);
      case 0xc7 -> in.bytes(in.u8() + 1L);
      case 0xc8 -> in.bytes(in.u16() + 1L);
      case 0xc9 -> in.bytes(in.u32() + 1L);
      default -> throw new WireException(String.format("invalid msgpack byte 0x%02x", b));
    }
  }

  /** Receives one struct field by its index in the declared field list. */
  @FunctionalInterface
  public interface FieldReader {
    void read(int field, MsgpackReader r) throws WireException;
  }

  /**
   * Decodes a Go struct whose fields are {@code fields} in declaration order, from a map (by
   * exact name, unknown keys skipped) or an array (by position, extra elements skipped).
   */
  public void struct(List<String> fields, FieldReader sink) throws WireException {
    int b = in.peek();
    if ((b & 0xf0) == 0x90 || b == 0xdc || b == 0xdd) {
      long n = arrayHeader();
      for (long i = 0; i < n; i++) {
        if (i < fields.size()) {
          sink.read((int) i, this);
        } else {
          skip();
        }
      }
      return;
    }
    long n = mapHeader();
    for (long i = 0; i < n; i++) {
      String key = str();
      int idx = fields.indexOf(key);
      if (idx < 0) {
        skip();
      } else {
        sink.read(idx, this);
      }
    }
  }
}
