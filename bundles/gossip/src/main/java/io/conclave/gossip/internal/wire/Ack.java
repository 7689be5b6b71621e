package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code ackResp} (type 2, net.go): {@code SeqNo uint32, Payload []byte}. serf puts
 * 0x01 + a msgpack Vivaldi coordinate in Payload (may be empty/nil).
 */
public record Ack(long seqNo, byte[] payload) {
  static final List<String> FIELDS = List.of("SeqNo", "Payload");

  public byte[] encode() {
    return MessageType.encode(MessageType.ACK,
        new MsgpackWriter().mapHeader(2).str("SeqNo").uint(seqNo).str("Payload").bin(payload));
  }

  public static Ack decode(byte[] message) throws WireException {
    return read(MessageType.expect(message, MessageType.ACK));
  }

  /** The body after the type byte (a stream ack, which is not framed). */
  public static Ack read(MsgpackReader r) throws WireException {
    long[] n = new long[1];
    byte[][] p = new byte[1][];
    r.struct(FIELDS, (i, x) -> {
      if (i == 0) {
        n[0] = x.unsigned(0xffffffffL);
      } else {
        p[0] = x.bin();
      }
    });
    return new Ack(n[0], p[0]);
  }
}
