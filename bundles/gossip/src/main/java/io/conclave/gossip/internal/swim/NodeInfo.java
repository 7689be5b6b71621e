package io.conclave.gossip.internal.swim;

import java.util.Arrays;

/**
 * What memberlist's alive message says about a node besides its name and incarnation: its address
 * and port, its Meta (serf's tags) and its protocol versions. The SWIM core only stores and forwards
 * it (it never reads it), so the runtime can map names to addresses and serf can see tag changes.
 *
 * @param vsn memberlist's {@code [pmin, pmax, pcur, dmin, dmax, dcur]}
 */
public record NodeInfo(byte[] addr, int port, byte[] meta, byte[] vsn) {

    public NodeInfo {
        addr = addr == null ? new byte[0] : addr.clone();
        meta = meta == null ? new byte[0] : meta.clone();
        vsn = vsn == null ? new byte[0] : vsn.clone();
    }

    @Override
    public byte[] addr() {
        return addr.clone();
    }

    @Override
    public byte[] meta() {
        return meta.clone();
    }

    @Override
    public byte[] vsn() {
        return vsn.clone();
    }

    /** The highest memberlist protocol the node speaks (0 when unknown): CRC needs 5, nacks 4. */
    public int protocolMax() {
        return vsn.length > 1 ? vsn[1] & 0xff : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeInfo n && n.port == port && Arrays.equals(n.addr, addr)
                && Arrays.equals(n.meta, meta) && Arrays.equals(n.vsn, vsn);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(addr) + port) + Arrays.hashCode(meta)) + Arrays.hashCode(vsn);
    }

    @Override
    public String toString() {
        return "NodeInfo[" + Arrays.toString(addr) + ":" + port + ", meta " + meta.length + " bytes, vsn "
                + Arrays.toString(vsn) + "]";
    }
}
