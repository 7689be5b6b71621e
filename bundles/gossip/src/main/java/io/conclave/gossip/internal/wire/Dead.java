package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code dead} (type 5, net.go): {@code Incarnation uint32, Node string, From string}.
 * From == Node means a graceful leave (state left), otherwise the node is declared dead.
 */
public record Dead(long incarnation, String node, String from) {
  static final List<String> FIELDS = List.of("Incarnation", "Node", "From");

  public byte[] encode() {
    return MessageType.encode(MessageType.DEAD, new MsgpackWriter().mapHeader(3)
        .str("Incarnation").uint(incarnation).str("Node").str(node).str("From").str(from));
  }

  public static Dead decode(byte[] message) throws WireException {
    MsgpackReader r = MessageType.expect(message, MessageType.DEAD);
    long[] n = new long[1];
    String[] s = {"", ""};
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(0xffffffffL);
        case 1 -> s[0] = x.str();
        default -> s[1] = x.str();
      }
    });
    return new Dead(n[0], s[0], s[1]);
  }
}
