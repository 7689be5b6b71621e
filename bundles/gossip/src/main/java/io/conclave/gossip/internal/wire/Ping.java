package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code ping} (type 0, net.go): {@code SeqNo uint32, Node string, SourceAddr []byte
 * omitempty, SourcePort uint16 omitempty, SourceNode string omitempty}. The receiver drops a ping
 * whose Node is set and is not its own name, and acks to SourceAddr:SourcePort when present.
 */
public record Ping(long seqNo, String node, byte[] sourceAddr, int sourcePort, String sourceNode) {
  static final List<String> FIELDS = List.of("SeqNo", "Node", "SourceAddr", "SourcePort", "SourceNode");

  public Ping(long seqNo, String node) {
    this(seqNo, node, null, 0, "");
  }

  public byte[] encode() {
    boolean hasAddr = sourceAddr != null && sourceAddr.length > 0;
    boolean hasPort = sourcePort != 0;
    boolean hasNode = sourceNode != null && !sourceNode.isEmpty();
    MsgpackWriter w = new MsgpackWriter()
        .mapHeader(2 + (hasAddr ? 1 : 0) + (hasPort ? 1 : 0) + (hasNode ? 1 : 0));
    w.str("SeqNo").uint(seqNo).str("Node").str(node);
    if (hasAddr) {
      w.str("SourceAddr").bin(sourceAddr);
    }
    if (hasPort) {
      w.str("SourcePort").uint(sourcePort);
    }
    if (hasNode) {
      w.str("SourceNode").str(sourceNode);
    }
    return MessageType.encode(MessageType.PING, w);
  }

  public static Ping decode(byte[] message) throws WireException {
    return read(MessageType.expect(message, MessageType.PING));
  }

  /** The body after the type byte (a stream ping). */
  public static Ping read(MsgpackReader r) throws WireException {
    long[] n = new long[2];
    byte[][] addr = new byte[1][];
    String[] s = {"", ""};
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(0xffffffffL);
        case 1 -> s[0] = x.str();
        case 2 -> addr[0] = x.bin();
        case 3 -> n[1] = x.unsigned(0xffff);
        default -> s[1] = x.str();
      }
    });
    return new Ping(n[0], s[0], addr[0], (int) n[1], s[1]);
  }
}
