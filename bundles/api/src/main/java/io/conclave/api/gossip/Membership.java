package io.conclave.api.gossip;

import io.conclave.api.agent.Member;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One gossip pool as this agent sees it: Serf over memberlist, as Consul's LAN and WAN pools are.
 * Registered once per pool, with service property {@value #POOL} = {@value #LAN} or {@value #WAN}
 * (servers only). Consumers select a pool with a target filter such as {@code (conclave.gossip.pool=lan)}.
 *
 * <p>The member list survives the transport going away: while no {@link GossipTransport} is bound the
 * pool neither probes nor suspects anyone, and it resumes where it was when one comes back.
 */
@ProviderType
public interface Membership {

    String POOL = "conclave.gossip.pool";
    String LAN = "lan";
    String WAN = "wan";

    /** {@value #LAN} or {@value #WAN}. */
    String pool();

    /** This agent as a member of the pool (in the WAN pool its name is {@code NODE.DC}). */
    Member local();

    /** Every member this agent knows, itself included, alive or not (left and failed ones until reaped). */
    List<Member> members();

    /**
     * Joins the pool through the given agents ({@code host}, {@code host:port} or {@code [v6]:port}; the pool's
     * port when none is given): a push-pull exchange with each. Completes with the number contacted; fails
     * (with an {@link java.io.IOException} naming each address's error) when none could be.
     */
    CompletionStage<Integer> join(List<String> addresses);

    /**
     * Leaves gracefully: broadcasts the leave intent and waits (bounded) for it to spread, after which the
     * pool stops probing. Others see this member {@code left}.
     */
    CompletionStage<Void> leave();

    /**
     * Marks a failed member {@code left} (Serf's {@code RemoveFailedNode}); with {@code prune}, drops it from
     * the member list at once.
     *
     * @return false when no member has that name
     */
    boolean forceLeave(String node, boolean prune);

    /**
     * Broadcasts a Consul user event (Serf event {@code consul:event:NAME}, its payload the msgpack encoding
     * of {@code event}). Listeners here and elsewhere receive it once.
     *
     * @throws IllegalArgumentException when the encoded event exceeds Serf's user event size limit
     */
    void fire(UserEvent event);

    /** Runs one of Serf's key queries across the pool ({@code _serf_list-keys}, …). */
    CompletionStage<KeyringResponse> keyring(KeyringOperation operation, String key);
}
