package io.conclave.gossip.internal.wire;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * memberlist hasCrc (type 12, net.go rawSendMsgPacket/ingestPacket, protocol ≥ 5): {@code [12][crc32
 * IEEE BE of the rest][message]}; a mismatch drops the packet.
 */
public final class HasCrc {
  private HasCrc() {}

  public static byte[] wrap(byte[] message) {
    CRC32 crc = new CRC32();
    crc.update(message);
    long c = crc.getValue();
    byte[] out = new byte[message.length + 5];
    out[0] = (byte) MessageType.HAS_CRC;
    out[1] = (byte) (c >>> 24);
    out[2] = (byte) (c >>> 16);
    out[3] = (byte) (c >>> 8);
    out[4] = (byte) c;
    System.arraycopy(message, 0, out, 5, message.length);
    return out;
  }

  public static byte[] unwrap(byte[] packet) throws WireException {
    WireInput in = WireInput.of(packet);
    if (in.u8() != MessageType.HAS_CRC) {
      throw new WireException("not a hasCrc message");
    }
    long expected = in.u32();
    CRC32 crc = new CRC32();
    crc.update(packet, 5, packet.length - 5);
    if (crc.getValue() != expected) {
      throw new WireException("bad crc32");
    }
    return Arrays.copyOfRange(packet, 5, packet.length);
  }
}
