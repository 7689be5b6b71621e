package io.conclave.http.internal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.conclave.api.agent.AgentIdentity;
import io.conclave.api.agent.Member;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.time.GoDuration;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.glassfish.jersey.server.ContainerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/agent/self}, {@code /v1/agent/members}, {@code /v1/agent/maintenance}, {@code /v1/agent/reload}
 * and {@code /v1/agent/leave} ({@code agent/agent_endpoint.go}). Services and checks are in
 * {@link AgentServicesResource} and {@link AgentChecksResource}.
 */
@Path("v1/agent")
public final class AgentResource {

    private static final Logger LOG = LoggerFactory.getLogger("http");

    private final ApiContext api;

    public AgentResource(ApiContext api) {
        this.api = api;
    }

    /** Consul's {@code Self}: Config, DebugConfig, Coord, Member, Stats, Meta, in that order. */
    @JsonPropertyOrder({"Config", "DebugConfig", "Coord", "Member", "Stats", "Meta"})
    record Self(Config config, Map<String, Object> debugConfig, Coord coord, MemberJson member,
                Map<String, Map<String, String>> stats, Map<String, String> meta) {
    }

    @JsonPropertyOrder({"Datacenter", "PrimaryDatacenter", "NodeName", "NodeID", "Revision", "Server", "Version"})
    record Config(String datacenter, String primaryDatacenter, String nodeName, String nodeID, String revision,
                  boolean server, String version) {
    }

    /** Serf's {@code coordinate.Coordinate}; a new agent's is the origin with serf's default error and height. */
    @JsonPropertyOrder({"Vec", "Error", "Adjustment", "Height"})
    record Coord(List<BigDecimal> vec, BigDecimal error, BigDecimal adjustment, BigDecimal height) {
        static final Coord ORIGIN = new Coord(Collections.nCopies(8, BigDecimal.ZERO), new BigDecimal("1.5"),
                BigDecimal.ZERO, new BigDecimal("0.00001"));
    }

    /** Serf's {@code Member}. */
    @JsonPropertyOrder({"Name", "Addr", "Port", "Tags", "Status", "ProtocolMin", "ProtocolMax", "ProtocolCur",
            "DelegateMin", "DelegateMax", "DelegateCur"})
    record MemberJson(String name, String addr, int port, Map<String, String> tags, int status,
                      int protocolMin, int protocolMax, int protocolCur,
                      int delegateMin, int delegateMax, int delegateCur) {
        static MemberJson of(Member m) {
            return new MemberJson(m.name(), m.addr(), m.port(), new TreeMap<>(m.tags()), m.status(),
                    m.protocolMin(), m.protocolMax(), m.protocolCur(),
                    m.delegateMin(), m.delegateMax(), m.delegateCur());
        }
    }

    @GET
    @Path("self")
    public Response self(@Context ContainerRequest request) {
        AgentIdentity id = api.agent().identity();
        Member member = api.agent().self();
        Config config = new Config(id.datacenter(), id.datacenter(), id.nodeName(), id.nodeId(), id.revision(),
                id.server(), id.version());
        Self self = new Self(config, debugConfig(id), Coord.ORIGIN, MemberJson.of(member), stats(id),
                Map.of("consul-network-segment", ""));
        return Meta.json(Response.ok(), self, api.pretty(StatusResource.query(request))).build();
    }

    /** A small, sanitized part of Consul's {@code RuntimeConfig}: identity, addresses, ports and limits. */
    private Map<String, Object> debugConfig(AgentIdentity id) {
        Settings s = api.settings();
        Map<String, Object> c = new TreeMap<>();
        c.put("AdvertiseAddrLAN", id.advertiseAddr());
        c.put("AdvertiseAddrWAN", id.advertiseAddr());
        c.put("ClientAddrs", List.of(id.clientAddr()));
        c.put("Datacenter", id.datacenter());
        c.put("DefaultQueryTime", GoDuration.format(QueryOptions.DEFAULT_WAIT));
        c.put("DevMode", s.devMode());
        c.put("DNSPort", id.dnsPort());
        c.put("HTTPAddrs", List.of("tcp://" + s.address() + ":" + id.httpPort()));
        c.put("HTTPMaxConnsPerClient", s.maxConnsPerClient());
        c.put("HTTPPort", id.httpPort());
        c.put("KVMaxValueSize", s.kvMaxValueSize());
        c.put("MaxQueryTime", GoDuration.format(QueryOptions.MAX_WAIT));
        c.put("NodeID", id.nodeId());
        c.put("NodeName", id.nodeName());
        c.put("PrimaryDatacenter", id.datacenter());
        c.put("Revision", id.revision());
        c.put("SerfPortLAN", id.serfLanPort());
        c.put("SerfPortWAN", id.serfWanPort());
        c.put("ServerMode", id.server());
        c.put("ServerPort", id.serverPort());
        c.put("Version", id.version());
        return c;
    }

    private Map<String, Map<String, String>> stats(AgentIdentity id) {
        Map<String, Map<String, String>> stats = new TreeMap<>();
        stats.put("build", Map.of("prerelease", "", "revision", id.revision(), "version", id.version(),
                "version_metadata", ""));
        Runtime rt = Runtime.getRuntime();
        stats.put("runtime", Map.of("arch", System.getProperty("os.arch", ""), "os", System.getProperty("os.name", ""),
                "cpu_count", Integer.toString(rt.availableProcessors()),
                "max_procs", Integer.toString(rt.availableProcessors()),
                "goroutines", Integer.toString(Thread.activeCount()),
                "version", "java" + System.getProperty("java.version", "")));
        if (id.server()) {
            ConsensusStatus status = api.agent().status();
            stats.put("consul", Map.of("server", "true", "bootstrap", "false", "known_datacenters", "1",
                    "leader", Boolean.toString(status.isLeader()), "leader_addr", status.leader()));
            stats.put("raft", Map.of("state", status.isLeader() ? "Leader" : "Follower",
                    "num_peers", Integer.toString(Math.max(0, status.peers().size() - 1)),
                    "last_contact", status.isLeader() ? "0" : status.lastContactMillis() + "ms"));
        } else {
            stats.put("consul", Map.of("server", "false", "known_servers", "1"));
        }
        stats.put("serf_lan", Map.of("members", Integer.toString(api.agent().members().size())));
        return stats;
    }

    /**
     * Consul's {@code AgentMembers}: the LAN pool, or with a non-empty {@code wan} the WAN pool (where a server is
     * {@code <node>.<dc>}; a client is in no WAN pool). {@code segment} is accepted; there is only the default one.
     */
    @GET
    @Path("members")
    public Response members(@Context ContainerRequest request) {
        GoQuery query = StatusResource.query(request);
        boolean wan = !query.get("wan").isEmpty();
        String segment = query.get("segment");
        if (wan && !segment.isEmpty() && !segment.equals("_all")) {
            throw HttpError.badRequest("Cannot provide a segment with wan=true");
        }
        List<MemberJson> members = api.agent().members(wan).stream().map(MemberJson::of).toList();
        return Meta.json(Response.ok(), members, api.pretty(query)).build();
    }

    /**
     * Consul's {@code AgentJoin}: joins the LAN pool (or with a non-empty {@code wan} the WAN pool) through the
     * agent at the address in the path. 200 with no body on success; otherwise 500 with the error.
     */
    @PUT
    @Path("join/{address: .*}")
    public void join(@Context ContainerRequest request, @Suspended AsyncResponse async) {
        GoQuery query = StatusResource.query(request);
        boolean wan = !query.get("wan").isEmpty();
        String address = AgentCalls.after(request, "/v1/agent/join/");
        CompletionStage<Integer> joined = AgentCalls.get(() -> api.agent().join(List.of(address), wan));
        api.resume(async, joined.handle((n, failure) -> failure == null ? AgentCalls.ok()
                : ErrorMapper.plain(500, message(failure))), answer -> answer);
    }

    /**
     * Consul's {@code AgentForceLeave}: marks a failed member left ({@code prune}: forgets it at once), in the LAN
     * pool or with {@code wan} the WAN pool. An unknown node is Consul's 500 {@code agent: No node found with name}.
     */
    @PUT
    @Path("force-leave/{node: .*}")
    public Response forceLeave(@Context ContainerRequest request) {
        GoQuery query = StatusResource.query(request);
        boolean prune = query.has("prune");
        boolean wan = query.has("wan");
        String node = AgentCalls.after(request, "/v1/agent/force-leave/");
        boolean found = AgentCalls.get(() -> api.agent().forceLeave(node, prune, wan));
        if (!found) {
            throw new HttpError(500, "agent: No node found with name '" + node + "'");
        }
        return AgentCalls.ok();
    }

    /** The message of a failed stage, unwrapped as {@link ErrorMapper} does. */
    static String message(Throwable failure) {
        Throwable t = ErrorMapper.unwrap(failure);
        return t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
    }

    /** Consul's {@code AgentNodeMaintenance}: {@code enable} is required, {@code reason} becomes the check's notes. */
    @PUT
    @Path("maintenance")
    public Response maintenance(@Context ContainerRequest request) {
        GoQuery query = StatusResource.query(request);
        boolean enable = AgentCalls.enable(query);
        String reason = query.get("reason");
        AgentCalls.run(() -> api.agent().setNodeMaintenance(enable, reason));
        return AgentCalls.ok();
    }

    /** Consul's {@code AgentReload}: re-reads the configuration; a refused one is a 500 with its reason. */
    @PUT
    @Path("reload")
    public Response reload() {
        AgentCalls.run(() -> api.agent().reload());
        return AgentCalls.ok();
    }

    /**
     * Answers 200 first and leaves once the answer is written: leaving stops the framework, this bundle
     * with it, and the caller deserves its answer.
     */
    @PUT
    @Path("leave")
    public void leave(@Suspended AsyncResponse async) {
        async.register((jakarta.ws.rs.container.CompletionCallback) failure -> {
            Thread t = new Thread(() -> {
                try {
                    api.agent().leave();
                } catch (RuntimeException e) {
                    LOG.error("leave failed", e);
                }
            }, "conclave-http-leave");
            t.setDaemon(true);
            t.start();
        });
        async.resume(Response.ok().build());
    }
}
