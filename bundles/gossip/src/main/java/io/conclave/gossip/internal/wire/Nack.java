package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code nackResp} (type 11, net.go, protocol ≥ 4): {@code SeqNo uint32}; the indirect
 * probe target did not answer.
 */
public record Nack(long seqNo) {
  static final List<String> FIELDS = List.of("SeqNo");

  public byte[] encode() {
    return MessageType.encode(MessageType.NACK, new MsgpackWriter().mapHeader(1).str("SeqNo").uint(seqNo));
  }

  public static Nack decode(byte[] message) throws WireException {
    MsgpackReader r = MessageType.expect(message, MessageType.NACK);
    long[] n = new long[1];
    r.struct(FIELDS, (i, x) -> n[0] = x.unsigned(0xffffffffL));
    return new Nack(n[0]);
  }
}
