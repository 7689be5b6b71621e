package io.conclave.api.agent;

import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The local agent: its identity, and the endpoint each call is routed to (the local server's on
 * a server; a remote server's over RPC on a client). HTTP, DNS and the shell talk only to this.
 *
 * <p>The agent also owns its <em>local state</em>: the services and checks defined on this node (from
 * config files, HTTP or the shell), which it runs and keeps in step with the catalog (anti-entropy).
 * Definitions are passed as parsed JSON ({@code Map}s, lists, strings, numbers, booleans) with keys in
 * any case and in snake_case or PascalCase, exactly as Consul accepts them; the agent validates them.
 *
 * <p>Errors: {@link IllegalArgumentException} for a bad definition or argument (HTTP 400, its message
 * as the body), {@link java.util.NoSuchElementException} for an unknown ID (HTTP 404, message worded as
 * Consul's, e.g. {@code Unknown service ID "x". Ensure that the service ID is passed, not the service name.}),
 * {@link IllegalStateException} for anything else (HTTP 500).
 */
@ProviderType
public interface Agent {

    AgentIdentity identity();

    KvEndpoint kv();

    CatalogEndpoint catalog();

    HealthEndpoint health();

    /** The consensus group as this agent sees it ({@code /v1/status/leader}, {@code /v1/status/peers}). */
    ConsensusStatus status();

    /** The LAN pool members this agent knows ({@code members(false)}). */
    default List<Member> members() {
        return members(false);
    }

    /**
     * The members this agent knows in the LAN pool, or with {@code wan} the WAN pool (a client is in no WAN
     * pool: an empty list). Just this agent while the gossip bundle is absent.
     */
    List<Member> members(boolean wan);

    /**
     * Joins the LAN (or WAN) pool through the given agents ({@code host[:port]}). Completes with the number
     * of agents contacted; fails when none could be, with each address's error in the message.
     *
     * @throws IllegalStateException for {@code wan} on a client ({@code Must be a server to join WAN cluster})
     *                               or while the gossip bundle is absent
     */
    CompletionStage<Integer> join(List<String> addresses, boolean wan);

    /**
     * Marks a failed member left in the LAN (or WAN) pool; with {@code prune} forgets it at once.
     *
     * @return false when the pool has no member of that name
     */
    boolean forceLeave(String node, boolean prune, boolean wan);

    /**
     * Fires a user event to the datacenter (Consul's {@code /v1/event/fire/NAME}).
     *
     * @return the event as sent, with its new ID
     * @throws IllegalArgumentException for an empty name, an invalid filter or a payload over the size limit
     */
    UserEvent fireEvent(String name, byte[] payload, String nodeFilter, String serviceFilter, String tagFilter);

    /**
     * The user events this agent received and kept (the most recent 256, oldest first) whose filters match
     * this agent, those named {@code name} only when it is not empty. Blocks per {@code options} as Consul's
     * {@code /v1/event/list} does: the index is derived from the newest event's ID.
     */
    CompletionStage<QueryResult<List<UserEvent>>> events(String name, QueryOptions options);

    /** Runs a key query in the LAN pool and, on a server, the WAN pool: one response per pool, WAN first. */
    CompletionStage<List<KeyringResponse>> keyring(KeyringOperation operation, String key);

    /** This agent as a member of the LAN pool. */
    Member self();

    /**
     * Leaves the cluster gracefully and shuts the agent down. Returns once the shutdown is under
     * way; the process exits when the framework has stopped.
     */
    void leave();

    // ---- local state ----

    /** This agent's services by ID, as {@code /v1/agent/services} shows them. */
    Map<String, NodeService> services();

    Optional<NodeService> service(String id);

    /**
     * Registers (or replaces) a service and the checks it names ({@code check}/{@code checks}).
     * Script checks need {@code enable_script_checks}.
     *
     * @param replaceExistingChecks drop checks of this service that the new definition does not name
     */
    void registerService(Map<String, Object> definition, boolean replaceExistingChecks);

    void deregisterService(String serviceId);

    /** This agent's checks by ID, with their current status and output. */
    Map<String, HealthCheck> checks();

    void registerCheck(Map<String, Object> definition);

    void deregisterCheck(String checkId);

    /** A TTL check's new status ({@code passing}/{@code warning}/{@code critical}) and output. */
    void updateCheck(String checkId, String status, String output);

    void setNodeMaintenance(boolean enable, String reason);

    void setServiceMaintenance(String serviceId, boolean enable, String reason);

    /** The installed check types (names of the {@code CheckType} services present now). */
    List<String> checkTypes();

    /**
     * Re-reads the configuration and applies only what changed: unchanged services and checks keep
     * their status and schedule.
     *
     * @throws IllegalStateException with the reason when the new configuration is invalid (nothing changes)
     */
    void reload();
}
