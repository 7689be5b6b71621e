package io.conclave.gossip.internal.wire;

import java.util.List;

/** memberlist {@code errResp} (type 13, net.go): {@code Error string}, a stream reply to a bad request. */
public record ErrResp(String error) {
  static final List<String> FIELDS = List.of("Error");

  public byte[] encode() {
    return MessageType.encode(MessageType.ERR, new MsgpackWriter().mapHeader(1).str("Error").str(error));
  }

  public static ErrResp decode(byte[] message) throws WireException {
    return read(MessageType.expect(message, MessageType.ERR));
  }

  static ErrResp read(MsgpackReader r) throws WireException {
    String[] s = {""};
    r.struct(FIELDS, (i, x) -> s[0] = x.str());
    return new ErrResp(s[0]);
  }
}
