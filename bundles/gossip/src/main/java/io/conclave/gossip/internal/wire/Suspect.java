package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code suspect} (type 3, net.go): {@code Incarnation uint32, Node string, From string}.
 * From is the node that suspects Node; Node refutes with a higher-incarnation alive.
 */
public record Suspect(long incarnation, String node, String from) {
  static final List<String> FIELDS = List.of("Incarnation", "Node", "From");

  public byte[] encode() {
    return MessageType.encode(MessageType.SUSPECT, new MsgpackWriter().mapHeader(3)
        .str("Incarnation").uint(incarnation).str("Node").str(node).str("From").str(from));
  }

  public static Suspect decode(byte[] message) throws WireException {
    MsgpackReader r = MessageType.expect(message, MessageType.SUSPECT);
    long[] n = new long[1];
    String[] s = {"", ""};
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(0xffffffffL);
        case 1 -> s[0] = x.str();
        default -> s[1] = x.str();
      }
    });
    return new Suspect(n[0], s[0], s[1]);
  }
}
