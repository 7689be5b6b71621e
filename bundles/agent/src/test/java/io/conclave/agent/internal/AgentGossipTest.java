package io.conclave.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.KeyringOperation;
import io.conclave.api.gossip.KeyringResponse;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.UserEvent;
import io.conclave.api.query.Consistency;
import io.conclave.api.query.QueryOptions;
import io.conclave.api.query.QueryResult;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent facade over the gossip pools, with {@link FakeMembership}s in place of the gossip bundle. */
class AgentGossipTest {

    private LocalAgent local;

    private AgentImpl agent(boolean server) {
        Map<String, Object> config = new HashMap<>();
        config.put("node_name", "node1");
        config.put("node_id", "2b1e7a3c-0000-4000-8000-000000000001");
        config.put("server", server);
        config.put("serf_lan_port", 8301);
        config.put("serf_wan_port", 8302);
        local = new LocalAgent();
        local.activate(config);
        return new AgentImpl(local, null, null);
    }

    @AfterEach
    void stop() {
        if (local != null) {
            local.deactivate();
        }
    }

    @Test
    void withoutGossipTheAgentKnowsOnlyItself() {
        AgentImpl server = agent(true);
        Member self = server.self();
        assertEquals("node1", self.name());
        assertEquals(8301, self.port());
        assertEquals("consul", self.tags().get("role"));
        assertEquals(List.of(self), server.members(false));
        Member wanSelf = server.members(true).get(0);
        assertEquals("node1.dc1", wanSelf.name());
        assertEquals(8302, wanSelf.port());
        assertEquals(AgentImpl.NO_GOSSIP,
                assertThrows(IllegalStateException.class, () -> server.join(List.of("127.0.0.2"), false)).getMessage());
        assertEquals(AgentImpl.NO_GOSSIP,
                assertThrows(IllegalStateException.class, () -> server.forceLeave("x", false, false)).getMessage());
        assertEquals(AgentImpl.NO_GOSSIP,
                assertThrows(IllegalStateException.class, () -> server.fireEvent("e", null, "", "", "")).getMessage());
        assertEquals(AgentImpl.NO_GOSSIP, assertThrows(IllegalStateException.class,
                () -> server.keyring(KeyringOperation.LIST, null)).getMessage());
    }

    @Test
    void aClientIsInNoWanPool() {
        AgentImpl client = agent(false);
        assertEquals(List.of(), client.members(true));
        assertEquals("node", client.self().tags().get("role"));
        client.setWan(new FakeMembership(Membership.WAN, "node1.dc1", 8302));
        assertEquals(List.of(), client.members(true), "even if a WAN pool were registered");
        assertEquals("Must be a server to join WAN cluster",
                assertThrows(IllegalStateException.class, () -> client.join(List.of("10.0.0.1"), true)).getMessage());
        assertEquals("Must be a server to force-leave a node from the WAN cluster",
                assertThrows(IllegalStateException.class, () -> client.forceLeave("x", false, true)).getMessage());
    }

    @Test
    void membersAndSelfComeFromThePools() {
        AgentImpl server = agent(true);
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 18301);
        lan.members.put("node2", FakeMembership.member("node2", 8301, 4));
        FakeMembership wan = new FakeMembership(Membership.WAN, "node1.dc1", 18302);
        server.setLan(lan);
        server.setWan(wan);
        assertEquals(lan.local, server.self());
        assertEquals(List.of("node1", "node2"), server.members(false).stream().map(Member::name).toList());
        assertEquals(List.of("node1.dc1"), server.members(true).stream().map(Member::name).toList());

        server.unsetLan(new FakeMembership(Membership.LAN, "stale", 1));
        assertEquals(lan.local, server.self(), "unbinding another instance leaves the bound one");
        server.unsetLan(lan);
        assertEquals(8301, server.self().port(), "back to the configured identity");
    }

    @Test
    void joinDelegatesToThePoolAndReportsItsFailure() {
        AgentImpl server = agent(true);
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 8301);
        FakeMembership wan = new FakeMembership(Membership.WAN, "node1.dc1", 8302);
        lan.reachable.add("127.0.0.2");
        server.setLan(lan);
        server.setWan(wan);
        assertEquals(1, server.join(List.of("127.0.0.2", "127.0.0.3"), false).toCompletableFuture().join());
        assertEquals(List.of("join [127.0.0.2, 127.0.0.3]"), lan.calls);

        CompletionException failed = assertThrows(CompletionException.class,
                () -> server.join(List.of("127.0.0.9"), true).toCompletableFuture().join());
        assertTrue(failed.getCause() instanceof IOException);
        assertEquals("Failed to join 127.0.0.9: connection refused;", failed.getCause().getMessage());
        assertEquals(List.of("join [127.0.0.9]"), wan.calls);
    }

    @Test
    void forceLeaveOnAServerAlsoRemovesTheNodeFromTheWanPool() {
        AgentImpl server = agent(true);
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 8301);
        FakeMembership wan = new FakeMembership(Membership.WAN, "node1.dc1", 8302);
        lan.members.put("node2", FakeMembership.member("node2", 8301, 4));
        wan.members.put("node2.dc1", FakeMembership.member("node2.dc1", 8302, 4));
        server.setLan(lan);
        server.setWan(wan);

        assertTrue(server.forceLeave("node2", false, false));
        assertEquals(3, lan.members.get("node2").status());
        assertEquals(List.of("forceLeave node2.dc1 false"), wan.calls);

        assertFalse(server.forceLeave("ghost", false, false));
        assertEquals(1, wan.calls.size(), "no WAN removal for a node the LAN pool does not know");

        assertTrue(server.forceLeave("node2.dc1", true, true));
        assertNull(wan.members.get("node2.dc1"), "pruned");
    }

    @Test
    void fireValidatesAsConsulThenSendsOnTheLanPool() {
        AgentImpl agent = agent(false);
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 8301);
        agent.setLan(lan);
        assertEquals("User event missing name",
                assertThrows(IllegalArgumentException.class, () -> agent.fireEvent("", null, "", "", "")).getMessage());
        assertEquals("Cannot provide tag filter without service filter",
                assertThrows(IllegalArgumentException.class, () -> agent.fireEvent("x", null, null, null, "t")).getMessage());
        assertTrue(lan.fired.isEmpty());

        UserEvent sent = agent.fireEvent("deploy", new byte[0], null, "web", "v2");
        assertEquals(UUID.fromString(sent.id()).toString(), sent.id());
        assertEquals("deploy", sent.name());
        assertNull(sent.payload(), "no body is no payload");
        assertEquals("", sent.nodeFilter());
        assertEquals("web", sent.serviceFilter());
        assertEquals("v2", sent.tagFilter());
        assertEquals(1, sent.version());
        assertEquals(0, sent.ltime());
        assertEquals(List.of(sent), lan.fired);
        byte[] body = {1, 2, 3};
        UserEvent second = agent.fireEvent("deploy", body, "", "", "");
        body[0] = 9;
        assertEquals(1, second.payload()[0], "the payload is the agent's own copy");
        assertFalse(sent.id().equals(second.id()));
    }

    @Test
    void lanEventsThatPassTheFiltersAreListedAndWanOnesAreNot() throws Exception {
        AgentImpl agent = agent(false);
        local.userEvent(Membership.LAN, new UserEvent(UUID.randomUUID().toString(), "deploy", null, "^node1$", "", "", 1, 3));
        local.userEvent(Membership.LAN, new UserEvent(UUID.randomUUID().toString(), "deploy", null, "node2", "", "", 1, 4));
        local.userEvent(Membership.WAN, new UserEvent(UUID.randomUUID().toString(), "deploy", null, "", "", "", 1, 5));
        local.userEvent(Membership.LAN, new UserEvent(UUID.randomUUID().toString(), "restart", null, "", "web", "", 1, 6));
        List<UserEvent> listed = agent.events("", QueryOptions.now()).toCompletableFuture().get(5, TimeUnit.SECONDS).value();
        assertEquals(List.of(3L), listed.stream().map(UserEvent::ltime).toList());

        agent.registerService(Map.of("name", "web"), false);
        local.userEvent(Membership.LAN, new UserEvent(UUID.randomUUID().toString(), "restart", null, "", "web", "", 1, 7));
        QueryResult<List<UserEvent>> restarts = agent.events("restart", QueryOptions.now()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(7L), restarts.value().stream().map(UserEvent::ltime).toList());

        CompletableFuture<QueryResult<List<UserEvent>>> parked = agent.events("restart",
                new QueryOptions(null, restarts.meta().index(), Duration.ofMinutes(1), Consistency.DEFAULT)).toCompletableFuture();
        assertFalse(parked.isDone());
        local.userEvent(Membership.LAN, new UserEvent(UUID.randomUUID().toString(), "restart", null, "", "", "", 1, 8));
        assertEquals(2, parked.get(5, TimeUnit.SECONDS).value().size());
    }

    @Test
    void keyringAsksTheWanPoolThenTheLanPoolOnAServerAndOnlyTheLanPoolOnAClient() {
        AgentImpl server = agent(true);
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 8301);
        FakeMembership wan = new FakeMembership(Membership.WAN, "node1.dc1", 8302);
        server.setLan(lan);
        server.setWan(wan);
        List<KeyringResponse> both = server.keyring(KeyringOperation.INSTALL, "k2").toCompletableFuture().join();
        assertEquals(List.of(true, false), both.stream().map(KeyringResponse::wan).toList());
        assertEquals(List.of("keyring INSTALL k2"), lan.calls);
        assertEquals(List.of("keyring INSTALL k2"), wan.calls);
        stop();

        AgentImpl client = agent(false);
        client.setLan(lan);
        List<KeyringResponse> one = client.keyring(KeyringOperation.LIST, null).toCompletableFuture().join();
        assertEquals(1, one.size());
        assertFalse(one.get(0).wan());
        assertEquals(Map.of("k1", 1), one.get(0).keys());
    }

    @Test
    void leavingLeavesTheWanPoolThenTheLanPoolEachWithinABound() {
        AgentImpl server = agent(true);
        server.leaveWait = Duration.ofMillis(200);
        List<String> order = new java.util.ArrayList<>();
        FakeMembership lan = new FakeMembership(Membership.LAN, "node1", 8301) {
            @Override
            public synchronized java.util.concurrent.CompletionStage<Void> leave() {
                order.add("lan");
                return super.leave();
            }
        };
        FakeMembership wan = new FakeMembership(Membership.WAN, "node1.dc1", 8302) {
            @Override
            public synchronized java.util.concurrent.CompletionStage<Void> leave() {
                order.add("wan");
                return super.leave();
            }
        };
        wan.leaveResult = new CompletableFuture<>();
        server.setLan(lan);
        server.setWan(wan);
        long start = System.nanoTime();
        server.leavePools();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("wan", "lan"), order);
        assertTrue(tookMillis >= 200 && tookMillis < 5_000, "a WAN pool that never finishes costs only the bound: " + tookMillis);
    }

    @Test
    void aServerJoiningTheLanPoolPromptsASyncThatFailedForWantOfOne() {
        TestAgent a = new TestAgent(Map.of("server", false));
        a.catalog.unreachable = new IllegalStateException("No known Consul servers");
        a.connectCatalog();
        a.registerService("{\"name\": \"web\"}");
        a.clock.runDue();
        assertTrue(a.catalog.servicesOf(TestAgent.NODE).isEmpty());

        // A client joining changes nothing; a server of another datacenter neither.
        a.catalog.unreachable = null;
        LocalAgent.serverUp(a.state, new io.conclave.api.gossip.MemberEvent(io.conclave.api.gossip.MemberEvent.Type.JOIN,
                new Member("c2", "127.0.0.3", 8301, Map.of("role", "node", "dc", "dc1"), 1, 1, 5, 2, 2, 5, 4)));
        LocalAgent.serverUp(a.state, new io.conclave.api.gossip.MemberEvent(io.conclave.api.gossip.MemberEvent.Type.JOIN,
                new Member("s9", "127.0.0.9", 8301, Map.of("role", "consul", "dc", "dc9"), 1, 1, 5, 2, 2, 5, 4)));
        a.advance(Duration.ofSeconds(3));
        assertTrue(a.catalog.servicesOf(TestAgent.NODE).isEmpty());

        LocalAgent.serverUp(a.state, new io.conclave.api.gossip.MemberEvent(io.conclave.api.gossip.MemberEvent.Type.JOIN,
                new Member("s1", "127.0.0.2", 8301, Map.of("role", "consul", "dc", "dc1"), 1, 1, 5, 2, 2, 5, 4)));
        a.advance(Duration.ofSeconds(3));
        assertEquals(java.util.Set.of("web"), a.catalog.servicesOf(TestAgent.NODE).keySet(),
                "synced within the server-up stagger, not the 15s retry");
    }

    @Test
    void withoutServersAClientRetriesItsSyncEvery15sWithoutEndingTheLoop() {
        TestAgent a = new TestAgent(Map.of("server", false));
        a.catalog.unreachable = new IllegalStateException("No known Consul servers");
        a.connectCatalog();
        a.registerService("{\"name\": \"web\"}");
        for (int i = 0; i < 10; i++) {
            a.advance(Duration.ofSeconds(15));
        }
        assertTrue(a.catalog.servicesOf(TestAgent.NODE).isEmpty());
        assertTrue(a.clock.pending() <= 4, "retries do not pile up: " + a.clock.pending());
        a.catalog.unreachable = null;
        a.advance(Duration.ofSeconds(15));
        assertEquals(java.util.Set.of("web"), a.catalog.servicesOf(TestAgent.NODE).keySet());
    }
}
