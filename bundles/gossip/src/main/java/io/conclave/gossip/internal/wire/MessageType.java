package io.conclave.gossip.internal.wire;

/**
 * memberlist 0.2.2 {@code messageType} codes (net.go), the first byte of every packet and stream
 * message. Append-only: these numbers are on the wire and never change.
 */
public final class MessageType {
  public static final int PING = 0;
  public static final int INDIRECT_PING = 1;
  public static final int ACK = 2;
  public static final int SUSPECT = 3;
  public static final int ALIVE = 4;
  public static final int DEAD = 5;
  public static final int PUSH_PULL = 6;
  public static final int COMPOUND = 7;
  public static final int USER = 8;
  public static final int COMPRESS = 9;
  public static final int ENCRYPT = 10;
  public static final int NACK = 11;
  public static final int HAS_CRC = 12;
  public static final int ERR = 13;

  private MessageType() {}

  static byte[] encode(int type, MsgpackWriter body) {
    byte[] b = body.toByteArray();
    byte[] out = new byte[b.length + 1];
    out[0] = (byte) type;
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  static MsgpackReader expect(byte[] message, int type) throws WireException {
    WireInput in = WireInput.of(message);
    int t = in.u8();
    if (t != type) {
      throw new WireException("expected message type " + type + ", got " + t);
    }
    return new MsgpackReader(in);
  }
}
