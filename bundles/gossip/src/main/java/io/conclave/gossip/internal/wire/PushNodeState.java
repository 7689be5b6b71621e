package io.conclave.gossip.internal.wire;

import java.util.List;

/**
 * memberlist {@code pushNodeState} (net.go), one per node in a push-pull: {@code Name string, Addr
 * []byte, Port uint16, Meta []byte, Incarnation uint32, State NodeStateType (0 alive, 1 suspect,
 * 2 dead, 3 left), Vsn []uint8}.
 */
public record PushNodeState(String name, byte[] addr, int port, byte[] meta, long incarnation,
    int state, byte[] vsn) {
  public static final int ALIVE = 0;
  public static final int SUSPECT = 1;
  public static final int DEAD = 2;
  public static final int LEFT = 3;

  static final List<String> FIELDS = List.of("Name", "Addr", "Port", "Meta", "Incarnation", "State", "Vsn");

  void write(MsgpackWriter w) {
    w.mapHeader(7).str("Name").str(name).str("Addr").bin(addr).str("Port").uint(port)
        .str("Meta").bin(meta).str("Incarnation").uint(incarnation).str("State").sint(state)
        .str("Vsn").bin(vsn);
  }

  static PushNodeState read(MsgpackReader r) throws WireException {
    long[] n = new long[3];
    String[] s = {""};
    byte[][] b = new byte[3][];
    r.struct(FIELDS, (i, x) -> {
      switch (i) {
        case 0 -> s[0] = x.str();
        case 1 -> b[0] = x.bin();
        case 2 -> n[0] = x.unsigned(0xffff);
        case 3 -> b[1] = x.bin();
        case 4 -> n[1] = x.unsigned(0xffffffffL);
        case 5 -> n[2] = x.unsigned(Integer.MAX_VALUE);
        default -> b[2] = x.bin();
      }
    });
    return new PushNodeState(s[0], b[0], (int) n[0], b[1], n[1], (int) n[2], b[2]);
  }
}
