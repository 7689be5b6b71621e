package io.conclave.gossip.internal.serf;

import io.conclave.gossip.internal.wire.MsgpackReader;
import io.conclave.gossip.internal.wire.MsgpackWriter;
import io.conclave.gossip.internal.wire.WireException;
import io.conclave.gossip.internal.wire.WireInput;
import java.util.List;

/**
 * The payload of a {@code consul:event:NAME} serf event: Consul's {@code agent/user_event.go}
 * {@code UserEvent} as {@code encodeMsgPackUserEvent} writes it, go-msgpack with {@code WriteExt: true}
 * (str8 strings, bin payloads) and the struct's codec tags as keys: {@code ID}, {@code n},
 * {@code p} (omitempty), {@code nf}, {@code sf}, {@code tf} (omitempty), {@code v}. {@code LTime} is not
 * encoded ({@code codec:"-"}): the receiver takes serf's.
 */
public final class ConsulEventCodec {

    private static final List<String> FIELDS = List.of("ID", "n", "p", "nf", "sf", "tf", "v");

    private ConsulEventCodec() {
    }

    public static byte[] encode(io.conclave.api.gossip.UserEvent e) {
        boolean p = e.payload() != null && e.payload().length > 0;
        boolean nf = notEmpty(e.nodeFilter());
        boolean sf = notEmpty(e.serviceFilter());
        boolean tf = notEmpty(e.tagFilter());
        MsgpackWriter w = new MsgpackWriter().mapHeader(3 + (p ? 1 : 0) + (nf ? 1 : 0) + (sf ? 1 : 0) + (tf ? 1 : 0));
        w.strNewSpec("ID").strNewSpec(e.id() == null ? "" : e.id());
        w.strNewSpec("n").strNewSpec(e.name());
        if (p) {
            w.strNewSpec("p").binNewSpec(e.payload());
        }
        if (nf) {
            w.strNewSpec("nf").strNewSpec(e.nodeFilter());
        }
        if (sf) {
            w.strNewSpec("sf").strNewSpec(e.serviceFilter());
        }
        if (tf) {
            w.strNewSpec("tf").strNewSpec(e.tagFilter());
        }
        w.strNewSpec("v").sint(e.version());
        return w.toByteArray();
    }

    /** Decodes a payload; {@code ltime} is the serf event's Lamport time. */
    public static io.conclave.api.gossip.UserEvent decode(byte[] payload, long ltime) throws WireException {
        String[] s = {"", "", "", "", ""};
        byte[][] p = new byte[1][];
        long[] v = new long[1];
        new MsgpackReader(WireInput.of(payload)).struct(FIELDS, (i, r) -> {
            switch (i) {
                case 0 -> s[0] = r.str();
                case 1 -> s[1] = r.str();
                case 2 -> p[0] = r.bin();
                case 3 -> s[2] = r.str();
                case 4 -> s[3] = r.str();
                case 5 -> s[4] = r.str();
                default -> v[0] = r.integer();
            }
        });
        return new io.conclave.api.gossip.UserEvent(s[0], s[1], p[0], s[2], s[3], s[4], (int) v[0], ltime);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
