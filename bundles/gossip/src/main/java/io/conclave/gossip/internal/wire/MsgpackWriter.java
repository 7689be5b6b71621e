package io.conclave.gossip.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * msgpack as hashicorp/go-msgpack's {@code MsgpackHandle{}} writes it (old spec, WriteExt=false):
 * integers in their smallest form, strings <em>and</em> {@code []byte} as raw str (fixstr, 0xda,
 * 0xdb; never str8 or bin, which serf rejects for string fields), nil slices as 0xc0. Structs are
 * written by the message types as maps keyed by Go field names in declaration order.
 */
public final class MsgpackWriter {
  private byte[] buf = new byte[64];
  private int len;

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  public MsgpackWriter raw(int b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  public MsgpackWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  private void be(long v, int bytes) {
    ensure(bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  public MsgpackWriter nil() {
    return raw(0xc0);
  }

  public MsgpackWriter bool(boolean b) {
    return raw(b ? 0xc3 : 0xc2);
  }

  /** go-msgpack encodeUint; {@code v} is treated as unsigned 64-bit. */
  public MsgpackWriter uint(long v) {
    if (v >= 0 && v <= 127) {
      raw((int) v);
    } else if (v >= 0 && v <= 0xff) {
      raw(0xcc);
      be(v, 1);
    } else if (v >= 0 && v <= 0xffff) {
      raw(0xcd);
      be(v, 2);
    } else if (v >= 0 && v <= 0xffffffffL) {
      raw(0xce);
      be(v, 4);
    } else {
      raw(0xcf);
      be(v, 8);
    }
    return this;
  }

  /** go-msgpack encodeInt: non-negative values take the unsigned forms. */
  public MsgpackWriter sint(long v) {
    if (v >= 0) {
      return uint(v);
    } else if (v >= -32) {
      raw((int) v & 0xff);
    } else if (v >= Byte.MIN_VALUE) {
      raw(0xd0);
      be(v, 1);
    } else if (v >= Short.MIN_VALUE) {
      raw(0xd1);
      be(v, 2);
    } else if (v >= Integer.MIN_VALUE) {
      raw(0xd2);
      be(v, 4);
    } else {
      raw(0xd3);
      be(v, 8);
    }
    return this;
  }

  public MsgpackWriter float64(double d) {
    raw(0xcb);
    be(Double.doubleToRawLongBits(d), 8);
    return this;
  }

  private void rawHeader(int n) {
    if (n < 32) {
      raw(0xa0 | n);
    } else if (n <= 0xffff) {
      raw(0xda);
      be(n, 2);
    } else {
      raw(0xdb);
      be(n, 4);
    }
  }

  public MsgpackWriter str(String s) {
    return bin(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A Go {@code []byte}: raw str; {@code null} is a nil slice (0xc0). */
  public MsgpackWriter bin(byte[] b) {
    if (b == null) {
      return nil();
    }
    rawHeader(b.length);
    return raw(b);
  }

  /**
   * A string as go-msgpack writes it with {@code WriteExt: true} (the new spec Consul uses for its user
   * events): fixstr, then str8/str16/str32.
   */
  public MsgpackWriter strNewSpec(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length < 32) {
      raw(0xa0 | b.length);
    } else if (b.length <= 0xff) {
      raw(0xd9);
      be(b.length, 1);
    } else if (b.length <= 0xffff) {
      raw(0xda);
      be(b.length, 2);
    } else {
      raw(0xdb);
      be(b.length, 4);
    }
    return raw(b);
  }

  /** A {@code []byte} with {@code WriteExt: true}: bin8/bin16/bin32; null is nil. */
  public MsgpackWriter binNewSpec(byte[] b) {
    if (b == null) {
      return nil();
    }
    if (b.length <= 0xff) {
      raw(0xc4);
      be(b.length, 1);
    } else if (b.length <= 0xffff) {
      raw(0xc5);
      be(b.length, 2);
    } else {
      raw(0xc6);
      be(b.length, 4);
    }
    return raw(b);
  }

  public MsgpackWriter mapHeader(int n) {
    if (n < 16) {
      raw(0x80 | n);
    } else if (n <= 0xffff) {
      raw(0xde);
      be(n, 2);
    } else {
      raw(0xdf);
      be(n, 4);
    }
    return this;
  }

  public MsgpackWriter arrayHeader(int n) {
    if (n < 16) {
      raw(0x90 | n);
    } else if (n <= 0xffff) {
      raw(0xdc);
      be(n, 2);
    } else {
      raw(0xdd);
      be(n, 4);
    }
    return this;
  }

  public int size() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
