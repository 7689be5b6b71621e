package io.conclave.gossip.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * memberlist push-pull (type 6, stream only; net.go sendLocalState/readRemoteState): {@code [6]},
 * then {@code pushPullHeader{Nodes int, UserStateLen int, Join bool}}, then Nodes ×
 * {@link PushNodeState}, then UserStateLen raw bytes (serf's push-pull state). The joiner sends its
 * state first; the receiver reads it completely, replies with its own, echoing the
 * request's Join flag (seen from stock serf 0.9.4: a join gets a reply with Join=true), then merges.
 */
public record PushPull(boolean join, List<PushNodeState> nodes, byte[] userState) {
  static final List<String> HEADER_FIELDS = List.of("Nodes", "UserStateLen", "Join");

  public PushPull {
    nodes = List.copyOf(nodes);
    userState = userState == null ? new byte[0] : userState;
  }

  /** The plaintext stream content, starting with the type byte. */
  public byte[] encode() {
    MsgpackWriter w = new MsgpackWriter().raw(MessageType.PUSH_PULL);
    w.mapHeader(3).str("Nodes").sint(nodes.size()).str("UserStateLen").sint(userState.length)
        .str("Join").bool(join);
    for (PushNodeState n : nodes) {
      n.write(w);
    }
    return w.raw(userState).toByteArray();
  }

  /** Reads the body after the type byte, one value at a time (works on an unframed stream). */
  public static PushPull read(MsgpackReader r) throws WireException {
    long[] n = new long[2];
    boolean[] join = new boolean[1];
    r.struct(HEADER_FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> n[0] = x.unsigned(Integer.MAX_VALUE);
        case 1 -> n[1] = x.unsigned(WireInput.MAX_STREAM_BYTES);
        default -> join[0] = x.bool();
      }
    });
    List<PushNodeState> nodes = new ArrayList<>();
    for (long i = 0; i < n[0]; i++) {
      nodes.add(PushNodeState.read(r));
    }
    return new PushPull(join[0], nodes, r.input().bytes(n[1]));
  }

  public static PushPull decode(byte[] message) throws WireException {
    return read(MessageType.expect(message, MessageType.PUSH_PULL));
  }
}
