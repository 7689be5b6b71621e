package io.conclave.gossip.internal.wire;

/**
 * The one checked exception of the wire layer: the bytes are not a valid memberlist/serf message
 * (truncated, bad length, unknown type, bad checksum, failed decryption). Callers log and drop the
 * packet or close the stream; hostile input must never surface as any other exception.
 */
public final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
