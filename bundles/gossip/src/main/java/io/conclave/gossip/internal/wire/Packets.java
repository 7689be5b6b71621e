package io.conclave.gossip.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Peels the UDP layers memberlist's ingestPacket/handleCommand peel: (decrypt, see {@link Keyring})
 * → hasCrc → compress/compound in any nesting, returning the plain messages (type byte first).
 * Nesting depth and decompressed size are bounded.
 */
public final class Packets {
  /** Largest decompressed packet content we accept (UDP datagrams are ≤ 64 KiB on the wire). */
  public static final int MAX_DECOMPRESSED = 1 << 20;
  private static final int MAX_DEPTH = 4;

  private Packets() {}

  public static List<byte[]> unwrap(byte[] packet) throws WireException {
    List<byte[]> out = new ArrayList<>();
    if (packet.length >= 5 && (packet[0] & 0xff) == MessageType.HAS_CRC) {
      packet = HasCrc.unwrap(packet);
    }
    unwrap(packet, out, 0);
    return out;
  }

  private static void unwrap(byte[] message, List<byte[]> out, int depth) throws WireException {
    if (depth > MAX_DEPTH) {
      throw new WireException("packet nested too deep");
    }
    if (message.length == 0) {
      throw new WireException("empty message");
    }
    switch (message[0] & 0xff) {
      case MessageType.COMPOUND -> {
        for (byte[] part : Compound.decode(message).parts()) {
          unwrap(part, out, depth + 1);
        }
      }
      case MessageType.COMPRESS -> unwrap(Compress.decode(message, MAX_DECOMPRESSED), out, depth + 1);
      default -> out.add(message);
    }
  }
}
