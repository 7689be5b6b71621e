package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code indirectPingReq} (type 1, net.go): {@code SeqNo uint32, Target []byte, Port
 * uint16, Node string, Nack bool, SourceAddr []byte omitempty, SourcePort uint16 omitempty,
 * SourceNode string omitempty}. Asks the receiver to probe Target:Port on the sender's behalf.
 */
public record IndirectPing(long seqNo, byte[] target, int port, String node, boolean nack,
    byte[] sourceAddr, int sourcePort, String sourceNode) {
  static final List<String> FIELDS = List.of("SeqNo", "Target", "Port", "Node", "Nack",
      "SourceAddr", "SourcePort", "SourceNode");

  public byte[] encode() {
    boolean hasAddr = sourceAddr != null && sourceAddr.length > 0;
    boolean hasPort = sourcePort != 0;
    boolean hasNode = sourceNode != null && !sourceNode.isEmpty();
    MsgpackWriter w = new MsgpackWriter()
        .mapHeader(5 + (hasAddr ? 1 : 0) + (hasPort ? 1 : 0) + (hasNode ? 1 : 0));
    w.str("SeqNo").uint(seqNo).str("Target").bin(target).str("Port").uint(port)
        .str("Node").str(node).str("Nack").bool(nack);
    if (hasAddr) {
      w.str("SourceAddr").bin(sourceAddr);
    }
    if (hasPort) {
      w.str("SourcePort").uint(sourcePort);
    }
    if (hasNode) {
      w.str("SourceNode").str(sourceNode);
    }
    return MessageType.encode(MessageType.INDIRECT_PING, w);
  }

  public static IndirectPing decode(byte[] message) throws WireException {
    MsgpackReader r = MessageType.expect(message, MessageType.INDIRECT_PING);
    long[] n = new long[3];
    byte[][] b = new byte[2][];
    String[] s = {"", ""};
    boolean[] nack = new boolean[1];
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(0xffffffffL);
        case 1 -> b[0] = x.bin();
        case 2 -> n[1] = x.unsigned(0xffff);
        case 3 -> s[0] = x.str();
        case 4 -> nack[0] = x.bool();
        case 5 -> b[1] = x.bin();
        case 6 -> n[2] = x.unsigned(0xffff);
        default -> s[1] = x.str();
      }
    });
    return new IndirectPing(n[0], b[0], (int) n[1], s[0], nack[0], b[1], (int) n[2], s[1]);
  }
}
