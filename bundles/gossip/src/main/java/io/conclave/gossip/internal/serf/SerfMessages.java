package io.conclave.gossip.internal.serf;

import io.conclave.gossip.internal.wire.MsgpackReader;
import io.conclave.gossip.internal.wire.MsgpackWriter;
import io.conclave.gossip.internal.wire.WireException;
import io.conclave.gossip.internal.wire.WireInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * serf's own messages ({@code messages.go}), carried as memberlist user messages: one type byte, then
 * a msgpack map keyed by the Go field names, written as go-msgpack's {@code MsgpackHandle{}} writes
 * them (old spec: strings and {@code []byte} as raw str). Append-only: the type codes are on the wire.
 */
public final class SerfMessages {

    public static final int LEAVE = 0;
    public static final int JOIN = 1;
    public static final int PUSH_PULL = 2;
    public static final int USER_EVENT = 3;
    public static final int QUERY = 4;
    public static final int QUERY_RESPONSE = 5;
    public static final int CONFLICT_RESPONSE = 6;
    public static final int KEY_REQUEST = 7;
    public static final int KEY_RESPONSE = 8;
    public static final int RELAY = 9;

    private SerfMessages() {
    }

    private static MsgpackWriter typed(int type) {
        return new MsgpackWriter().raw(type);
    }

    private static MsgpackReader body(byte[] message, int type) throws WireException {
        WireInput in = WireInput.of(message);
        int t = in.u8();
        if (t != type) {
            throw new WireException("expected serf message type " + type + ", got " + t);
        }
        return new MsgpackReader(in);
    }

    /** {@code messageJoin}: the join intent. */
    public record Join(long ltime, String node) {
        static final List<String> FIELDS = List.of("LTime", "Node");

        public byte[] encode() {
            return typed(JOIN).mapHeader(2).str("LTime").uint(ltime).str("Node").str(node).toByteArray();
        }

        public static Join decode(byte[] message) throws WireException {
            long[] t = new long[1];
            String[] n = {""};
            body(message, JOIN).struct(FIELDS, (i, r) -> {
                if (i == 0) {
                    t[0] = r.integer();
                } else {
                    n[0] = r.str();
                }
            });
            return new Join(t[0], n[0]);
        }
    }

    /** {@code messageLeave}: the leave intent; {@code prune} erases the member at once (force-leave -prune). */
    public record Leave(long ltime, String node, boolean prune) {
        static final List<String> FIELDS = List.of("LTime", "Node", "Prune");

        public byte[] encode() {
            return typed(LEAVE).mapHeader(3).str("LTime").uint(ltime).str("Node").str(node)
                    .str("Prune").bool(prune).toByteArray();
        }

        public static Leave decode(byte[] message) throws WireException {
            long[] t = new long[1];
            String[] n = {""};
            boolean[] p = new boolean[1];
            body(message, LEAVE).struct(FIELDS, (i, r) -> {
                switch (i) {
                    case 0 -> t[0] = r.integer();
                    case 1 -> n[0] = r.str();
                    default -> p[0] = r.bool();
                }
            });
            return new Leave(t[0], n[0], p[0]);
        }
    }

    /** {@code messageUserEvent}. */
    public static byte[] encodeUserEvent(UserEvent e) {
        return typed(USER_EVENT).mapHeader(4).str("LTime").uint(e.ltime()).str("Name").str(e.name())
                .str("Payload").bin(e.payload()).str("CC").bool(e.coalesce()).toByteArray();
    }

    public static UserEvent decodeUserEvent(byte[] message) throws WireException {
        long[] t = new long[1];
        String[] n = {""};
        byte[][] p = new byte[1][];
        boolean[] cc = new boolean[1];
        body(message, USER_EVENT).struct(List.of("LTime", "Name", "Payload", "CC"), (i, r) -> {
            switch (i) {
                case 0 -> t[0] = r.integer();
                case 1 -> n[0] = r.str();
                case 2 -> p[0] = r.bin();
                default -> cc[0] = r.bool();
            }
        });
        return new UserEvent(t[0], n[0], p[0], cc[0]);
    }

    /** {@code messagePushPull}, serf's push-pull user state; the Events ring goes whole, nil slots included. */
    public static byte[] encodePushPull(PushPullState s) {
        MsgpackWriter w = typed(PUSH_PULL).mapHeader(6);
        w.str("LTime").uint(s.ltime());
        w.str("StatusLTimes").mapHeader(s.statusLTimes().size());
        s.statusLTimes().forEach((name, t) -> w.str(name).uint(t));
        w.str("LeftMembers").arrayHeader(s.leftMembers().size());
        s.leftMembers().forEach(w::str);
        w.str("EventLTime").uint(s.eventLTime());
        w.str("Events").arrayHeader(s.events().size());
        for (EventBuffer.Slot slot : s.events()) {
            if (slot == null) {
                w.nil();
                continue;
            }
            w.mapHeader(2).str("LTime").uint(slot.ltime()).str("Events").arrayHeader(slot.events().size());
            for (UserEvent e : slot.events()) {
                w.mapHeader(2).str("Name").str(e.name()).str("Payload").bin(e.payload());
            }
        }
        w.str("QueryLTime").uint(s.queryLTime());
        return w.toByteArray();
    }

    /** Bounds for hostile input: a ring or a member map larger than this is refused. */
    private static final long MAX_ENTRIES = 1 << 16;

    public static PushPullState decodePushPull(byte[] message) throws WireException {
        long[] clocks = new long[3];
        Map<String, Long> status = new LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        List<EventBuffer.Slot> events = new ArrayList<>();
        body(message, PUSH_PULL).struct(
                List.of("LTime", "StatusLTimes", "LeftMembers", "EventLTime", "Events", "QueryLTime"), (i, r) -> {
                    switch (i) {
                        case 0 -> clocks[0] = r.integer();
                        case 1 -> {
                            long n = bounded(r.mapHeader());
                            for (long k = 0; k < n; k++) {
                                String name = r.str();
                                status.put(name, r.integer());
                            }
                        }
                        case 2 -> {
                            long n = bounded(r.arrayHeader());
                            for (long k = 0; k < n; k++) {
                                left.add(r.str());
                            }
                        }
                        case 3 -> clocks[1] = r.integer();
                        case 4 -> {
                            long n = bounded(r.arrayHeader());
                            for (long k = 0; k < n; k++) {
                                events.add(readSlot(r));
                            }
                        }
                        default -> clocks[2] = r.integer();
                    }
                });
        return new PushPullState(clocks[0], status, left, clocks[1], events, clocks[2]);
    }

    private static long bounded(long n) throws WireException {
        if (n > MAX_ENTRIES) {
            throw new WireException("too many entries: " + n);
        }
        return n;
    }

    private static EventBuffer.Slot readSlot(MsgpackReader r) throws WireException {
        if (r.nextIsNil()) {
            r.skip();
            return null;
        }
        long[] t = new long[1];
        List<UserEvent> list = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        r.struct(List.of("LTime", "Events"), (i, x) -> {
            if (i == 0) {
                t[0] = x.integer();
                return;
            }
            long n = bounded(x.arrayHeader());
            for (long k = 0; k < n; k++) {
                String[] name = {""};
                byte[][] payload = new byte[1][];
                x.struct(List.of("Name", "Payload"), (j, y) -> {
                    if (j == 0) {
                        name[0] = y.str();
                    } else {
                        payload[0] = y.bin();
                    }
                });
                names.add(name);
                payloads.add(payload[0]);
            }
        });
        for (int k = 0; k < names.size(); k++) {
            list.add(new UserEvent(t[0], names.get(k)[0], payloads.get(k), false));
        }
        return new EventBuffer.Slot(t[0], list);
    }

    /** {@code messageQuery}; {@code timeoutNanos} is a Go {@code time.Duration}. */
    public record QueryMessage(long ltime, long id, byte[] addr, int port, String sourceNode, List<byte[]> filters,
                               int flags, int relayFactor, long timeoutNanos, String name, byte[] payload) {
        static final List<String> FIELDS = List.of("LTime", "ID", "Addr", "Port", "SourceNode", "Filters", "Flags",
                "RelayFactor", "Timeout", "Name", "Payload");

        public QueryMessage {
            filters = filters == null ? List.of() : List.copyOf(filters);
            payload = payload == null ? new byte[0] : payload;
        }

        public boolean ack() {
            return (flags & Query.FLAG_ACK) != 0;
        }

        public boolean noBroadcast() {
            return (flags & Query.FLAG_NO_BROADCAST) != 0;
        }

        public byte[] encode() {
            MsgpackWriter w = typed(QUERY).mapHeader(11);
            w.str("LTime").uint(ltime).str("ID").uint(id).str("Addr").bin(addr).str("Port").uint(port)
                    .str("SourceNode").str(sourceNode).str("Filters");
            if (filters.isEmpty()) {
                w.nil();
            } else {
                w.arrayHeader(filters.size());
                filters.forEach(w::bin);
            }
            w.str("Flags").uint(flags).str("RelayFactor").uint(relayFactor).str("Timeout").sint(timeoutNanos)
                    .str("Name").str(name).str("Payload").bin(payload);
            return w.toByteArray();
        }

        public static QueryMessage decode(byte[] message) throws WireException {
            long[] n = new long[7];
            byte[][] b = new byte[2][];
            String[] s = {"", ""};
            List<byte[]> filters = new ArrayList<>();
            body(message, QUERY).struct(FIELDS, (i, r) -> {
                switch (i) {
                    case 0 -> n[0] = r.integer();
                    case 1 -> n[1] = r.unsigned(0xffffffffL);
                    case 2 -> b[0] = r.bin();
                    case 3 -> n[2] = r.unsigned(0xffff);
                    case 4 -> s[0] = r.str();
                    case 5 -> {
                        long k = bounded(r.arrayHeader());
                        for (long j = 0; j < k; j++) {
                            byte[] f = r.bin();
                            filters.add(f == null ? new byte[0] : f);
                        }
                    }
                    case 6 -> n[3] = r.unsigned(0xffffffffL);
                    case 7 -> n[4] = r.unsigned(0xff);
                    case 8 -> n[5] = r.integer();
                    case 9 -> s[1] = r.str();
                    default -> b[1] = r.bin();
                }
            });
            return new QueryMessage(n[0], n[1], b[0], (int) n[2], s[0], filters, (int) n[3], (int) n[4], n[5], s[1],
                    b[1]);
        }
    }

    /** {@code messageQueryResponse}; an ack has {@link Query#FLAG_ACK} set and no payload. */
    public record QueryResponse(long ltime, long id, String from, int flags, byte[] payload) {
        static final List<String> FIELDS = List.of("LTime", "ID", "From", "Flags", "Payload");

        public byte[] encode() {
            return typed(QUERY_RESPONSE).mapHeader(5).str("LTime").uint(ltime).str("ID").uint(id).str("From").str(from)
                    .str("Flags").uint(flags).str("Payload").bin(payload).toByteArray();
        }

        public static QueryResponse decode(byte[] message) throws WireException {
            long[] n = new long[3];
            String[] s = {""};
            byte[][] p = new byte[1][];
            body(message, QUERY_RESPONSE).struct(FIELDS, (i, r) -> {
                switch (i) {
                    case 0 -> n[0] = r.integer();
                    case 1 -> n[1] = r.unsigned(0xffffffffL);
                    case 2 -> s[0] = r.str();
                    case 3 -> n[2] = r.unsigned(0xffffffffL);
                    default -> p[0] = r.bin();
                }
            });
            return new QueryResponse(n[0], n[1], s[0], (int) n[2], p[0]);
        }
    }

    /** {@code keyRequest}, the payload of the {@code _serf_*-key} queries ({@code Key} nil for list-keys). */
    public static byte[] encodeKeyRequest(byte[] key) {
        return typed(KEY_REQUEST).mapHeader(1).str("Key").bin(key).toByteArray();
    }

    public static byte[] decodeKeyRequest(byte[] message) throws WireException {
        byte[][] k = new byte[1][];
        body(message, KEY_REQUEST).struct(List.of("Key"), (i, r) -> k[0] = r.bin());
        return k[0];
    }

    /** {@code nodeKeyResponse}: one member's answer to a key query. */
    public record KeyResponse(boolean result, String message, List<String> keys, String primaryKey) {
        static final List<String> FIELDS = List.of("Result", "Message", "Keys", "PrimaryKey");

        public KeyResponse {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }

        public byte[] encode() {
            MsgpackWriter w = typed(KEY_RESPONSE).mapHeader(4).str("Result").bool(result).str("Message").str(message)
                    .str("Keys");
            if (keys.isEmpty()) {
                w.nil();
            } else {
                w.arrayHeader(keys.size());
                keys.forEach(w::str);
            }
            return w.str("PrimaryKey").str(primaryKey).toByteArray();
        }

        public static KeyResponse decode(byte[] message) throws WireException {
            boolean[] ok = new boolean[1];
            String[] s = {"", ""};
            List<String> keys = new ArrayList<>();
            body(message, KEY_RESPONSE).struct(FIELDS, (i, r) -> {
                switch (i) {
                    case 0 -> ok[0] = r.bool();
                    case 1 -> s[0] = r.str();
                    case 2 -> {
                        long n = bounded(r.arrayHeader());
                        for (long k = 0; k < n; k++) {
                            keys.add(r.str());
                        }
                    }
                    default -> s[1] = r.str();
                }
            });
            return new KeyResponse(ok[0], s[0], keys, s[1]);
        }
    }

    /**
     * {@code messageRelay}: {@code relayHeader{DestAddr net.UDPAddr{IP, Port, Zone}, DestName}} then the
     * inner serf message, which the relaying member forwards to DestAddr as a user packet.
     */
    public record Relay(byte[] destIp, int destPort, String destName, byte[] inner) {

        public byte[] encode() {
            MsgpackWriter w = typed(RELAY).mapHeader(2).str("DestAddr").mapHeader(3).str("IP").bin(destIp)
                    .str("Port").sint(destPort).str("Zone").str("").str("DestName").str(destName);
            return w.raw(inner).toByteArray();
        }

        public static Relay decode(byte[] message) throws WireException {
            MsgpackReader r = body(message, RELAY);
            byte[][] ip = new byte[1][];
            long[] port = new long[1];
            String[] name = {""};
            r.struct(List.of("DestAddr", "DestName"), (i, x) -> {
                if (i == 0) {
                    x.struct(List.of("IP", "Port", "Zone"), (j, y) -> {
                        switch (j) {
                            case 0 -> ip[0] = y.bin();
                            case 1 -> port[0] = y.unsigned(0xffff);
                            default -> y.skip();
                        }
                    });
                } else {
                    name[0] = x.str();
                }
            });
            return new Relay(ip[0], (int) port[0], name[0], r.input().rest());
        }
    }
}
