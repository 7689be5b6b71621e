package io.conclave.gossip.internal.runtime;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.gossip.internal.serf.ConsulEventCodec;
import io.conclave.gossip.internal.serf.ConsulEvents;
import io.conclave.gossip.internal.serf.SerfMember;
import io.conclave.gossip.internal.serf.Tags;
import io.conclave.gossip.internal.serf.UserEvent;
import io.conclave.gossip.internal.swim.NodeInfo;
import io.conclave.gossip.internal.swim.SwimNode;
import io.conclave.gossip.internal.wire.WireException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands serf's member and user events to the listeners (and the snapshot) as Consul sees them, and maps
 * serf's members to the API's. Loop-thread only.
 */
final class Delivery {

    // Log as the pool, so the lines read as they always did.
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    private final PoolConfig config;
    private final MembershipListener listeners;
    private final Supplier<SwimNode> swimNode;
    private final Supplier<Snapshotter> snapshotter;

    Delivery(PoolConfig config, MembershipListener listeners, Supplier<SwimNode> swim,
            Supplier<Snapshotter> snapshot) {
        this.config = config;
        this.listeners = listeners;
        this.swimNode = swim;
        this.snapshotter = snapshot;
    }

    /** A member joined, left, failed, changed or was reaped: log it as serf does, record it, tell the listeners. */
    void deliver(io.conclave.gossip.internal.serf.MemberEvent e) {
        Member m = toMember(e.member());
        switch (e.type()) {
            case JOIN -> LOG.info("serf ({}): EventMemberJoin: {} {}", config.label(), m.name(), m.addr());
            case LEAVE -> LOG.info("serf ({}): EventMemberLeave: {} {}", config.label(), m.name(), m.addr());
            case FAILED -> LOG.info("serf ({}): EventMemberFailed: {} {}", config.label(), m.name(), m.addr());
            case UPDATE -> LOG.info("serf ({}): EventMemberUpdate: {}", config.label(), m.name());
            case REAP -> LOG.info("serf ({}): EventMemberReap: {}", config.label(), m.name());
        }
        Snapshotter s = snapshotter.get();
        if (s != null) {
            switch (e.type()) {
                case JOIN -> s.alive(m.name(), m.addr(), m.port());
                case LEAVE, FAILED -> s.notAlive(m.name());
                default -> {
                }
            }
        }
        listeners.memberChanged(config.pool(), new MemberEvent(MemberEvent.Type.valueOf(e.type().name()), m));
    }

    /** A user event: Consul's are decoded, serf's internal ones dropped, plain serf ones passed as they are. */
    void deliver(UserEvent e) {
        Snapshotter s = snapshotter.get();
        if (s != null) {
            s.userEvent(e.ltime());
        }
        Optional<String> consulName = ConsulEvents.userEventName(e.name());
        io.conclave.api.gossip.UserEvent out;
        if (consulName.isPresent()) {
            try {
                out = ConsulEventCodec.decode(e.payload(), e.ltime());
            } catch (WireException ex) {
                LOG.error("agent: Failed to decode event {}: {}", e.name(), ex.getMessage());
                return;
            }
            if (out.version() > io.conclave.api.gossip.UserEvent.VERSION) {
                LOG.warn("agent: Event version {} may have unsupported features ({})", out.version(), e.name());
            }
        } else if (ConsulEvents.isInternal(e.name())) {
            return;
        } else {
            out = new io.conclave.api.gossip.UserEvent("", e.name(), e.payload(), "", "", "", 0, e.ltime());
        }
        LOG.debug("serf ({}): user event {} at {}", config.label(), e.name(), e.ltime());
        listeners.userEvent(config.pool(), out);
    }

    /** The serf tags {@code node} gossips in its meta; none when unknown or undecodable. */
    Map<String, String> tagsOf(String node) {
        NodeInfo info = swimNode.get().infoOf(node);
        if (info == null) {
            return Map.of();
        }
        try {
            return Tags.decode(info.meta());
        } catch (WireException e) {
            LOG.warn("serf ({}): Failed to decode tags of {}: {}", config.label(), node, e.getMessage());
            return Map.of();
        }
    }

    Member toMember(SerfMember m) {
        NodeInfo info = swimNode.get().infoOf(m.name());
        String addr = "";
        int port = 0;
        byte[] vsn = PoolConfig.VSN;
        if (info != null) {
            InetSocketAddress a = PacketWire.socketAddress(info.addr(), Math.max(1, info.port()));
            addr = a == null ? "" : a.getAddress().getHostAddress();
            port = info.port();
            if (info.vsn().length >= 6) {
                vsn = info.vsn();
            }
        }
        return new Member(m.name(), addr, port, m.tags(), m.status().code(), vsn[0] & 0xff, vsn[1] & 0xff,
                vsn[2] & 0xff, vsn[3] & 0xff, vsn[4] & 0xff, vsn[5] & 0xff);
    }

}
