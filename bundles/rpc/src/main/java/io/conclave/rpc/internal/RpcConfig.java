package io.conclave.rpc.internal;

import io.conclave.api.config.ConfigValues;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * What the RPC components read from PID {@value #AGENT_PID}. Besides the agent's own keys ({@code server},
 * {@code datacenter}, {@code bind_addr}, {@code server_port}) the limits can be tuned with flat keys named
 * after Consul's {@code limits} block: {@code rpc_max_conns_per_client}, {@code rpc_handshake_timeout},
 * {@code rpc_client_timeout}, and Conclave's {@code rpc_max_connections}, {@code rpc_max_calls_per_conn},
 * {@code rpc_max_frame_size}, {@code rpc_idle_timeout}, {@code rpc_write_timeout}.
 */
final class RpcConfig {

    static final String AGENT_PID = "io.conclave.agent";

    /** Consul's {@code bind_addr} default: every interface. */
    static final String DEFAULT_BIND = "0.0.0.0";
    static final int DEFAULT_SERVER_PORT = 8300;

    private RpcConfig() {
    }

    /** Consul's default agent mode when unset is client, but Conclave's identity defaults to server. */
    static boolean server(Map<String, ?> config) {
        return ConfigValues.bool(config, "server", true);
    }

    static String datacenter(Map<String, ?> config) {
        String dc = ConfigValues.string(config, "datacenter", "");
        return dc.isEmpty() ? "dc1" : dc;
    }

    static InetSocketAddress bindAddress(Map<String, ?> config) {
        String bind = ConfigValues.string(config, "bind_addr", "");
        long port = ConfigValues.number(config, "server_port", DEFAULT_SERVER_PORT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server_port must be between 0 and 65535, not " + port);
        }
        return new InetSocketAddress(bind.isEmpty() ? DEFAULT_BIND : bind, (int) port);
    }

    static RpcServer.Limits serverLimits(Map<String, ?> config) {
        RpcServer.Limits d = RpcServer.Limits.defaults();
        return new RpcServer.Limits(
                intValue(config, "rpc_max_frame_size", d.maxFrameBytes()),
                intValue(config, "rpc_max_connections", d.maxConnections()),
                intValue(config, "rpc_max_conns_per_client", d.maxConnsPerClient()),
                intValue(config, "rpc_max_calls_per_conn", d.maxInflightPerConn()),
                ConfigValues.duration(config, "rpc_handshake_timeout", d.handshakeTimeout()),
                ConfigValues.duration(config, "rpc_idle_timeout", d.idleTimeout()),
                ConfigValues.duration(config, "rpc_write_timeout", d.writeTimeout()),
                d.maxPendingReplyBytes(),
                d.workers());
    }

    static RpcClient.Settings clientSettings(Map<String, ?> config) {
        RpcClient.Settings d = RpcClient.Settings.defaults();
        return new RpcClient.Settings(
                ConfigValues.duration(config, "rpc_client_timeout", d.callTimeout()),
                d.blockingMargin(), d.connectTimeout(), d.idleTimeout(),
                ConfigValues.duration(config, "rpc_write_timeout", d.writeTimeout()),
                d.minBackoff(), d.maxBackoff(),
                intValue(config, "rpc_max_frame_size", d.maxFrameBytes()));
    }

    private static int intValue(Map<String, ?> config, String key, int fallback) {
        long v = ConfigValues.number(config, key, fallback);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be a positive whole number, not " + v);
        }
        return (int) v;
    }
}
