package io.conclave.api.agent;

import io.conclave.api.consensus.ConsensusStatus;
import io.conclave.api.kv.KvEndpoint;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The local agent: its identity, and the endpoint each call is routed to (the local server's on
 * a server; a remote server's over RPC on a client). HTTP, DNS and the shell talk only to this.
 */
@ProviderType
public interface Agent {

    AgentIdentity identity();

    KvEndpoint kv();

    /** The consensus group as this agent sees it ({@code /v1/status/leader}, {@code /v1/status/peers}). */
    ConsensusStatus status();

    /** The LAN pool members this agent knows (just itself until gossip exists). */
    List<Member> members();

    /** This agent as a member of the LAN pool. */
    Member self();

    /**
     * Leaves the cluster gracefully and shuts the agent down. Returns once the shutdown is under
     * way; the process exits when the framework has stopped.
     */
    void leave();
}
