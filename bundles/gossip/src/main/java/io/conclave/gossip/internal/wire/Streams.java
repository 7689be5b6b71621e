package io.conclave.gossip.internal.wire;

/**
 * The TCP stream layers of memberlist's readStream/sendLocalState: optional encryption envelope
 * (type 10), then an optional compress message (type 9), then the message itself. A plaintext,
 * uncompressed stream is not framed, so the returned reader must consume exactly one message.
 */
public final class Streams {
  private Streams() {}

  /** A message's type and a reader positioned just after its type byte. */
  public record Incoming(int type, MsgpackReader body) {}

  /**
   * @param keyring null when encryption is off
   * @param requireEncrypted memberlist's GossipVerifyIncoming: refuse plaintext when a keyring is set
   */
  public static Incoming read(WireInput in, Keyring keyring, boolean requireEncrypted) throws WireException {
    int type = in.u8();
    if (type == MessageType.ENCRYPT) {
      if (keyring == null) {
        throw new WireException("remote state is encrypted and encryption is not configured");
      }
      in = WireInput.of(keyring.decryptStream(in));
      type = in.u8();
    } else if (keyring != null && requireEncrypted) {
      throw new WireException("encryption is configured but remote state is not encrypted");
    }
    if (type == MessageType.COMPRESS) {
      byte[] plain = Compress.read(new MsgpackReader(in)).decompress(WireInput.MAX_STREAM_BYTES);
      in = WireInput.of(plain);
      type = in.u8();
    }
    return new Incoming(type, new MsgpackReader(in));
  }

  /** Wraps a plain stream message (type byte first) for sending. */
  public static byte[] wrap(byte[] message, boolean compress, Keyring keyring) {
    byte[] out = compress ? Compress.encode(message) : message;
    return keyring == null ? out : keyring.encryptStream(out);
  }

  /** Reads a push-pull reply (or the error reply memberlist sends instead). */
  public static PushPull readPushPull(WireInput in, Keyring keyring) throws WireException {
    Incoming m = read(in, keyring, keyring != null);
    if (m.type() == MessageType.ERR) {
      throw new WireException("remote error: " + ErrResp.read(m.body()).error());
    }
    if (m.type() != MessageType.PUSH_PULL) {
      throw new WireException("expected push-pull, got message type " + m.type());
    }
    return PushPull.read(m.body());
  }
}
