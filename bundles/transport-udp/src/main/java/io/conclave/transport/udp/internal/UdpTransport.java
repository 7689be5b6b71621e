package io.conclave.transport.udp.internal;

import io.conclave.api.gossip.GossipEndpoint;
import io.conclave.api.gossip.GossipTransport;
import io.conclave.api.gossip.PacketHandler;
import io.conclave.api.gossip.StreamHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memberlist's NetTransport: per pool, one UDP socket and one TCP listener on the same address and
 * port. One shared scheduler enforces stream write deadlines for every endpoint.
 */
@Component(service = GossipTransport.class, immediate = true)
@Designate(ocd = UdpTransport.Config.class)
public final class UdpTransport implements GossipTransport {

    @ObjectClassDefinition(name = "Conclave gossip transport (UDP + TCP)")
    public @interface Config {
        @AttributeDefinition(description = "Concurrent inbound streams per endpoint; more are refused by closing them.")
        int maxInboundStreams() default 64;

        @AttributeDefinition(description = "UDP receive buffer asked of the OS (memberlist asks 2 MB).")
        int udpReceiveBufferBytes() default 2 * 1024 * 1024;
    }

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    private final Set<NetEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService watchdogs;
    private volatile int maxInboundStreams = 64;
    private volatile int udpReceiveBufferBytes = 2 * 1024 * 1024;

    @Activate
    void activate(Config config) {
        maxInboundStreams = Math.max(1, config.maxInboundStreams());
        udpReceiveBufferBytes = Math.max(65_536, config.udpReceiveBufferBytes());
        start();
    }

    /** Starts with the current settings (the defaults unless activated with a configuration). */
    void start() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gossip-stream-deadlines");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        watchdogs = scheduler;
    }

    void maxInboundStreams(int max) {
        maxInboundStreams = max;
    }

    @Deactivate
    void deactivate() {
        for (NetEndpoint endpoint : endpoints) {
            endpoint.close();
        }
        endpoints.clear();
        ScheduledExecutorService scheduler = watchdogs;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public GossipEndpoint open(String pool, InetSocketAddress bind, PacketHandler packets, StreamHandler streams)
            throws IOException {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(packets, "packets");
        Objects.requireNonNull(streams, "streams");
        ScheduledExecutorService scheduler = watchdogs;
        if (scheduler == null || scheduler.isShutdown()) {
            throw new IOException("gossip transport is not active");
        }
        NetEndpoint endpoint = NetEndpoint.bind(pool, bind, packets, streams, scheduler,
                maxInboundStreams, udpReceiveBufferBytes, endpoints::remove);
        endpoints.add(endpoint);
        LOG.info("Using address {} for gossip pool {}", endpoint.localAddress(), pool);
        return endpoint;
    }

    int openEndpoints() {
        return endpoints.size();
    }
}
