package io.conclave.gossip.internal.runtime;

import io.conclave.gossip.internal.swim.NodeInfo;
import io.conclave.gossip.internal.swim.SwimMessage;
import io.conclave.gossip.internal.swim.SwimNode;
import io.conclave.gossip.internal.wire.Ack;
import io.conclave.gossip.internal.wire.Compound;
import io.conclave.gossip.internal.wire.Dead;
import io.conclave.gossip.internal.wire.HasCrc;
import io.conclave.gossip.internal.wire.IndirectPing;
import io.conclave.gossip.internal.wire.Keyring;
import io.conclave.gossip.internal.wire.MessageType;
import io.conclave.gossip.internal.wire.Nack;
import io.conclave.gossip.internal.wire.Packets;
import io.conclave.gossip.internal.wire.Ping;
import io.conclave.gossip.internal.wire.Suspect;
import io.conclave.gossip.internal.wire.User;
import io.conclave.gossip.internal.wire.WireException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memberlist's packet wire for one pool: {@link SwimMessage}s to packets (compound, CRC, encryption) and
 * back, and where each node is reached. Loop-thread only.
 */
final class PacketWire {

    /** Where decoded messages go. */
    interface Receiver {
        void swim(String from, SwimMessage message);

        void serf(byte[] message, InetSocketAddress from);
    }

    // Log as the pool, so the lines read as they always did.
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    private static final int MAX_HINTS = 1024;

    private final PoolConfig config;
    private final String name;
    private final SwimNode swim;
    private final Supplier<Keyring> keyring;
    private final byte[] advertiseAddr;
    private final int advertisePort;
    private final RateLimitedLog decryptFailures;
    private final RateLimitedLog badPackets;
    /** Addresses of nodes memberlist does not know (yet): whoever pinged us, an indirect probe's target. */
    private final Map<String, InetSocketAddress> hints = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InetSocketAddress> eldest) {
            return size() > MAX_HINTS;
        }
    };

    PacketWire(PoolConfig config, SwimNode swim, Supplier<Keyring> keyring, InetAddress advertiseAddr,
            int advertisePort, RateLimitedLog badPackets) {
        this.config = config;
        this.name = config.nodeName();
        this.swim = swim;
        this.keyring = keyring;
        this.advertiseAddr = advertiseAddr.getAddress();
        this.advertisePort = advertisePort;
        this.decryptFailures = new RateLimitedLog(LOG, 10_000);
        this.badPackets = badPackets;
    }

    // ---- out -------------------------------------------------------------------------------------

    /** The packet carrying {@code message} to {@code to}; null when nothing of it can be sent. */
    byte[] encode(String to, SwimMessage message) {
        List<SwimMessage> parts = new ArrayList<>();
        flatten(message, parts);
        List<byte[]> wire = new ArrayList<>();
        for (SwimMessage p : parts) {
            byte[] b = encodePart(p);
            if (b != null && wire.size() < Compound.MAX_PARTS) {
                wire.add(b);
            }
        }
        if (wire.isEmpty()) {
            return null;
        }
        byte[] body = wire.size() == 1 ? wire.get(0) : Compound.encode(wire);
        SwimMessage first = parts.get(0);
        boolean probe = first instanceof SwimMessage.Ping || first instanceof SwimMessage.IndirectPing
                || first instanceof SwimMessage.Ack || first instanceof SwimMessage.Nack;
        boolean probeWithSuspect = first instanceof SwimMessage.Ping
                && parts.stream().anyMatch(p -> p instanceof SwimMessage.Suspect);
        NodeInfo target = swim.infoOf(to);
        // memberlist adds a CRC to gossip and to the suspect-carrying probe, for peers that speak protocol 5.
        if ((!probe || probeWithSuspect) && target != null && target.protocolMax() >= 5) {
            body = HasCrc.wrap(body);
        }
        return seal(body);
    }

    /** memberlist SendToAddress: a serf message as one user packet, nothing piggy-backed. */
    byte[] userPacket(byte[] serfMessage) {
        return seal(new User(serfMessage).encodePacket());
    }

    private static void flatten(SwimMessage m, List<SwimMessage> out) {
        if (m instanceof SwimMessage.Compound c) {
            for (SwimMessage p : c.parts()) {
                flatten(p, out);
            }
        } else {
            out.add(m);
        }
    }

    private byte[] encodePart(SwimMessage m) {
        if (m instanceof SwimMessage.Ping p) {
            return new Ping(Integer.toUnsignedLong(p.seqNo()), p.node(), advertiseAddr, advertisePort, name)
                    .encode();
        } else if (m instanceof SwimMessage.IndirectPing ip) {
            InetSocketAddress target = resolve(ip.target());
            if (target == null) {
                return null;
            }
            return new IndirectPing(Integer.toUnsignedLong(ip.seqNo()), target.getAddress().getAddress(),
                    target.getPort(), ip.target(), ip.nack(), advertiseAddr, advertisePort, name).encode();
        } else if (m instanceof SwimMessage.Ack a) {
            return new Ack(Integer.toUnsignedLong(a.seqNo()), null).encode();
        } else if (m instanceof SwimMessage.Nack n) {
            return new Nack(Integer.toUnsignedLong(n.seqNo())).encode();
        } else if (m instanceof SwimMessage.Suspect s) {
            return new Suspect(s.incarnation(), s.node(), s.from()).encode();
        } else if (m instanceof SwimMessage.Dead d) {
            return new Dead(d.incarnation(), d.node(), d.from()).encode();
        } else if (m instanceof SwimMessage.Alive a) {
            NodeInfo info = a.info() != null ? a.info() : swim.infoOf(a.node());
            if (info == null) {
                return null;
            }
            return new io.conclave.gossip.internal.wire.Alive(a.incarnation(), a.node(), info.addr(), info.port(),
                    info.meta(), info.vsn()).encode();
        } else if (m instanceof SwimMessage.User u) {
            return new User(u.payload()).encodePacket();
        }
        return null;
    }

    /** Encrypts a whole packet when a keyring is set (memberlist GossipVerifyOutgoing). */
    private byte[] seal(byte[] packet) {
        Keyring kr = keyring.get();
        return kr != null && config.verifyOutgoing() ? kr.encryptPacket(packet) : packet;
    }

    // ---- addresses -------------------------------------------------------------------------------

    /** Where {@code node} is reached: memberlist's view of it, else what its packets told us; null = unknown. */
    InetSocketAddress resolve(String node) {
        NodeInfo info = swim.infoOf(node);
        if (info != null) {
            byte[] addr = info.addr();
            if (addr.length == 4 || addr.length == 16) {
                try {
                    return new InetSocketAddress(InetAddress.getByAddress(addr), info.port());
                } catch (UnknownHostException impossible) {
                    return null;
                }
            }
        }
        return hints.get(node);
    }

    static InetSocketAddress socketAddress(byte[] ip, int port) {
        if (ip == null || (ip.length != 4 && ip.length != 16) || port <= 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    // ---- in --------------------------------------------------------------------------------------

    /** Decrypts and unwraps one packet and hands each message in it to {@code to}. */
    void receive(InetSocketAddress from, byte[] payload, Receiver to) {
        byte[] plain = payload;
        Keyring kr = keyring.get();
        if (kr != null) {
            try {
                plain = kr.decryptPacket(payload);
            } catch (WireException e) {
                if (config.verifyIncoming()) {
                    decryptFailures.warn("memberlist ({}): Decrypt packet failed: {} from={}", config.label(),
                            e.getMessage(), from);
                    return;
                }
            }
        }
        List<byte[]> parts;
        try {
            parts = Packets.unwrap(plain);
        } catch (WireException e) {
            badPackets.warn("memberlist ({}): dropping a packet from {}: {}", config.label(), from, e.getMessage());
            return;
        }
        for (byte[] part : parts) {
            try {
                decode(from, part, to);
            } catch (WireException e) {
                badPackets.warn("memberlist ({}): failed to decode message type {} from {}: {}", config.label(),
                        part[0] & 0xff, from, e.getMessage());
            }
        }
    }

    private void decode(InetSocketAddress from, byte[] msg, Receiver to) throws WireException {
        switch (msg[0] & 0xff) {
            case MessageType.PING -> {
                Ping p = Ping.decode(msg);
                String src = sourceName(p.sourceNode(), from);
                InetSocketAddress reply = socketAddress(p.sourceAddr(), p.sourcePort());
                hints.put(src, reply != null ? reply : from);
                String target = p.node().isEmpty() ? name : p.node();
                to.swim(src, new SwimMessage.Ping((int) p.seqNo(), target, src));
            }
            case MessageType.INDIRECT_PING -> {
                IndirectPing ip = IndirectPing.decode(msg);
                String src = sourceName(ip.sourceNode(), from);
                InetSocketAddress reply = socketAddress(ip.sourceAddr(), ip.sourcePort());
                hints.put(src, reply != null ? reply : from);
                InetSocketAddress target = socketAddress(ip.target(), ip.port());
                if (target != null && swim.infoOf(ip.node()) == null) {
                    hints.put(ip.node(), target);
                }
                to.swim(src, new SwimMessage.IndirectPing((int) ip.seqNo(), ip.node(), ip.nack(), src));
            }
            case MessageType.ACK -> to.swim("", new SwimMessage.Ack((int) Ack.decode(msg).seqNo()));
            case MessageType.NACK -> to.swim("", new SwimMessage.Nack((int) Nack.decode(msg).seqNo()));
            case MessageType.SUSPECT -> {
                Suspect s = Suspect.decode(msg);
                to.swim("", new SwimMessage.Suspect(s.incarnation(), s.node(), s.from()));
            }
            case MessageType.ALIVE -> {
                io.conclave.gossip.internal.wire.Alive a = io.conclave.gossip.internal.wire.Alive.decode(msg);
                byte[] addr = a.addr();
                if (addr == null || (addr.length != 4 && addr.length != 16)) {
                    badPackets.warn("memberlist ({}): alive message for {} has a bad address", config.label(),
                            a.node());
                    return;
                }
                to.swim("", new SwimMessage.Alive(a.incarnation(), a.node(),
                        new NodeInfo(addr, a.port(), a.meta(), a.vsn())));
            }
            case MessageType.DEAD -> {
                Dead d = Dead.decode(msg);
                to.swim("", new SwimMessage.Dead(d.incarnation(), d.node(), d.from()));
            }
            case MessageType.USER -> to.serf(Arrays.copyOfRange(msg, 1, msg.length), from);
            default -> badPackets.warn("memberlist ({}): unexpected message type {} in a packet from {}",
                    config.label(), msg[0] & 0xff, from);
        }
    }

    /** Old peers send no SourceNode: answer them at the address they came from. */
    private static String sourceName(String sourceNode, InetSocketAddress from) {
        return sourceNode == null || sourceNode.isEmpty() ? "@" + from : sourceNode;
    }
}
