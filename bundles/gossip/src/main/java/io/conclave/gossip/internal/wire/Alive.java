package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code alive} (type 4, net.go): {@code Incarnation uint32, Node string, Addr []byte
 * (net.IP, 4 or 16 bytes), Port uint16, Meta []byte (≤ 512, serf tags), Vsn []uint8 [pmin, pmax,
 * pcur, dmin, dmax, dcur]}. Addr, Meta and Vsn are raw bytes, never text.
 */
public record Alive(long incarnation, String node, byte[] addr, int port, byte[] meta, byte[] vsn) {
  static final List<String> FIELDS = List.of("Incarnation", "Node", "Addr", "Port", "Meta", "Vsn");

  public byte[] encode() {
    return MessageType.encode(MessageType.ALIVE, new MsgpackWriter().mapHeader(6)
        .str("Incarnation").uint(incarnation).str("Node").str(node).str("Addr").bin(addr)
        .str("Port").uint(port).str("Meta").bin(meta).str("Vsn").bin(vsn));
  }

  public static Alive decode(byte[] message) throws WireException {
    MsgpackReader r = MessageType.expect(message, MessageType.ALIVE);
    long[] n = new long[2];
    String[] s = {""};
    byte[][] b = new byte[3][];
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(0xffffffffL);
        case 1 -> s[0] = x.str();
        case 2 -> b[0] = x.bin();
        case 3 -> n[1] = x.unsigned(0xffff);
        case 4 -> b[1] = x.bin();
        default -> b[2] = x.bin();
      }
    });
    return new Alive(n[0], s[0], b[0], (int) n[1], b[1], b[2]);
  }
}
