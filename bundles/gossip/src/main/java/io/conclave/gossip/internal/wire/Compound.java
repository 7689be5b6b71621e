package io.conclave.gossip.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * memberlist compound (type 7, util.go make/decodeCompoundMessage, UDP only): {@code [7][n u8][n ×
 * u16 BE length][parts…]}. A truncated tail is tolerated: the whole parts are returned and
 * {@code truncated} counts the rest (memberlist logs and keeps going).
 *
 * <p>The count byte allows 255, but memberlist 0.2.2's decoder computes {@code numParts*2} in
 * uint8 and slices the parts of a compound with 128 or more entries from the wrong offset (shown
 * against stock serf 0.9.4 in SerfOracleTest), so we never send more than {@link #MAX_PARTS}. Go
 * itself never gets there: its 1400-byte UDP limit fills up first.
 */
public record Compound(List<byte[]> parts, int truncated) {
  /** The most parts Go peers decode correctly. */
  public static final int MAX_PARTS = 127;

  public Compound {
    parts = List.copyOf(parts);
  }

  public static byte[] encode(List<byte[]> parts) {
    if (parts.size() > MAX_PARTS) {
      throw new IllegalArgumentException("at most " + MAX_PARTS + " parts (Go peers misread more)");
    }
    return encodeUnchecked(parts);
  }

  /** As the count byte permits (≤ 255); only for tests of what peers do with large compounds. */
  static byte[] encodeUnchecked(List<byte[]> parts) {
    if (parts.size() > 255) {
      throw new IllegalArgumentException("at most 255 parts");
    }
    MsgpackWriter w = new MsgpackWriter().raw(MessageType.COMPOUND).raw(parts.size());
    for (byte[] p : parts) {
      if (p.length > 0xffff) {
        throw new IllegalArgumentException("part longer than 65535 bytes");
      }
      w.raw(p.length >>> 8).raw(p.length & 0xff);
    }
    for (byte[] p : parts) {
      w.raw(p);
    }
    return w.toByteArray();
  }

  public static Compound decode(byte[] message) throws WireException {
    WireInput in = WireInput.of(message);
    if (in.u8() != MessageType.COMPOUND) {
      throw new WireException("not a compound message");
    }
    int n = in.u8();
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = in.u16();
    }
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (in.remaining() < lengths[i]) {
        return new Compound(parts, n - i);
      }
      parts.add(in.bytes(lengths[i]));
    }
    return new Compound(parts, 0);
  }
}
