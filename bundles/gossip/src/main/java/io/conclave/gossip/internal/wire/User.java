package io.conclave.gossip.internal.wire;

import java.util.Arrays;

/**
 * memberlist user message (type 8, net.go): on UDP {@code [8]} + raw delegate bytes (serf: {@code
 * [serf type][msgpack]}); on a stream {@code [8]} + {@code userMsgHeader{UserMsgLen int}} + raw
 * bytes.
 */
public record User(byte[] payload) {
  public byte[] encodePacket() {
    return new MsgpackWriter().raw(MessageType.USER).raw(payload).toByteArray();
  }

  public byte[] encodeStream() {
    return new MsgpackWriter().raw(MessageType.USER).mapHeader(1).str("UserMsgLen")
        .sint(payload.length).raw(payload).toByteArray();
  }

  public static User decodePacket(byte[] message) throws WireException {
    if (message.length < 1 || (message[0] & 0xff) != MessageType.USER) {
      throw new WireException("not a user message");
    }
    return new User(Arrays.copyOfRange(message, 1, message.length));
  }

  /** The stream form, after the type byte. */
  public static User readStream(MsgpackReader r) throws WireException {
    long[] n = new long[1];
    r.struct(java.util.List.of("UserMsgLen"), (i, x) -> n[0] = x.unsigned(WireInput.MAX_STREAM_BYTES));
    return new User(r.input().bytes(n[0]));
  }
}
