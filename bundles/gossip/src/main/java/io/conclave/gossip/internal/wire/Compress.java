package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code compress} (type 9, util.go compressPayload/decompressBuffer): {@code Algo
 * compressionType (0 = LZW), Buf []byte}; Buf is Go compress/lzw, LSB, literal width 8, of a
 * whole message (type byte included). On UDP only when smaller, on streams always when enabled.
 */
public record Compress(int algo, byte[] buf) {
  public static final int LZW = 0;
  static final List<String> FIELDS = List.of("Algo", "Buf");

  public static byte[] encode(byte[] message) {
    return MessageType.encode(MessageType.COMPRESS, new MsgpackWriter().mapHeader(2)
        .str("Algo").sint(LZW).str("Buf").bin(Lzw.compress(message)));
  }

  static Compress read(MsgpackReader r) throws WireException {
    long[] a = new long[1];
    byte[][] b = new byte[1][];
    r.struct(FIELDS, (i, x) -> {
      if (i == 0) {
        a[0] = x.integer();
      } else {
        b[0] = x.bin();
      }
    });
    if (a[0] != LZW) {
      throw new WireException("unknown compression algorithm " + a[0]);
    }
    return new Compress(LZW, b[0] == null ? new byte[0] : b[0]);
  }

  /** The inner message of a whole {@code [9]{...}} message, at most {@code maxOutput} bytes. */
  public static byte[] decode(byte[] message, int maxOutput) throws WireException {
    return read(MessageType.expect(message, MessageType.COMPRESS)).decompress(maxOutput);
  }

  public byte[] decompress(int maxOutput) throws WireException {
    return Lzw.decompress(buf, maxOutput);
  }
}
