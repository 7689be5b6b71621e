package io.conclave.rpc.internal;

import static io.conclave.rpc.internal.TestRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.api.agent.Member;
import io.conclave.api.gossip.MemberEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finding servers among LAN members, as Consul's client does from Serf tags. */
class ServerDiscoveryTest {

    private static final int FAILED = 4;

    @Test
    void onlyAliveServersOfThisDatacenterWithAPortAreServers() {
        try (RpcClient client = new RpcClient(TestRig.clientSettings(Duration.ofSeconds(1)))) {
            ServerDiscovery discovery = new ServerDiscovery(client, "dc1");
            Member badPort = new Member("s-bad", "10.0.0.9", 8301, Map.of("role", "consul", "dc", "dc1", "port", "x"),
                    Member.STATUS_ALIVE, 1, 5, 2, 2, 5, 4);
            discovery.sync(List.of(
                    FakeMembership.server("s1", "10.0.0.1", 8300, "dc1", Member.STATUS_ALIVE),
                    FakeMembership.client("c1", "10.0.0.5", "dc1"),
                    FakeMembership.server("s2", "10.0.1.1", 8300, "dc2", Member.STATUS_ALIVE),
                    FakeMembership.server("s3", "10.0.0.3", 8305, "dc1", FAILED),
                    badPort));
            assertEquals(List.of(new ServerInfo("s1", "10.0.0.1", 8300, "dc1")), client.servers());
            assertEquals("s1 (Addr: tcp/10.0.0.1:8300) (DC: dc1)", client.servers().get(0).toString());

            // a later full list without s1 removes it
            discovery.sync(List.of(FakeMembership.server("s3", "10.0.0.3", 8305, "dc1", Member.STATUS_ALIVE)));
            assertEquals(List.of(new ServerInfo("s3", "10.0.0.3", 8305, "dc1")), client.servers());
        }
    }

    @Test
    void memberEventsAddAndRemoveServers() {
        try (RpcClient client = new RpcClient(TestRig.clientSettings(Duration.ofSeconds(1)))) {
            ServerDiscovery discovery = new ServerDiscovery(client, "dc1");
            Member s1 = FakeMembership.server("s1", "10.0.0.1", 8300, "dc1", Member.STATUS_ALIVE);
            Member s2 = FakeMembership.server("s2", "10.0.0.2", 8300, "dc1", Member.STATUS_ALIVE);
            discovery.onEvent(new MemberEvent(MemberEvent.Type.JOIN, s1));
            discovery.onEvent(new MemberEvent(MemberEvent.Type.JOIN, s2));
            discovery.onEvent(new MemberEvent(MemberEvent.Type.JOIN, FakeMembership.client("c", "10.0.0.7", "dc1")));
            assertEquals(List.of("s1", "s2"), names(client));

            discovery.onEvent(new MemberEvent(MemberEvent.Type.FAILED,
                    FakeMembership.server("s1", "10.0.0.1", 8300, "dc1", FAILED)));
            assertEquals(List.of("s2"), names(client));

            // s2 moves to another RPC port: replaced in place
            discovery.onEvent(new MemberEvent(MemberEvent.Type.UPDATE,
                    FakeMembership.server("s2", "10.0.0.2", 8310, "dc1", Member.STATUS_ALIVE)));
            assertEquals(List.of(new ServerInfo("s2", "10.0.0.2", 8310, "dc1")), client.servers());

            // an update that makes it a client (or another datacenter) removes it
            discovery.onEvent(new MemberEvent(MemberEvent.Type.UPDATE, FakeMembership.client("s2", "10.0.0.2", "dc1")));
            assertEquals(List.of(), names(client));

            discovery.onEvent(new MemberEvent(MemberEvent.Type.JOIN, s1));
            discovery.onEvent(new MemberEvent(MemberEvent.Type.LEAVE, s1));
            discovery.onEvent(new MemberEvent(MemberEvent.Type.JOIN, s2));
            discovery.onEvent(new MemberEvent(MemberEvent.Type.REAP, s2));
            assertEquals(List.of(), names(client));
        }
    }

    @Test
    void aServerFoundThroughMembershipAnswersCalls() throws Exception {
        try (TestRig rig = new TestRig()) {
            rig.client.removeServer("s1");
            FakeMembership lan = new FakeMembership();
            lan.members.add(FakeMembership.client("me", "127.0.0.1", "dc1"));
            lan.members.add(FakeMembership.server("srv", "127.0.0.1", rig.address.getPort(), "dc1", Member.STATUS_ALIVE));
            new ServerDiscovery(rig.client, "dc1").sync(lan.members());
            assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(rig.client).datacenters());
            assertEquals("10.0.0.2:8300",
                    await(rig.client.call(Methods.STATUS_LEADER, Methods.Empty.INSTANCE, null)));
        }
    }

    private static List<String> names(RpcClient client) {
        return client.servers().stream().map(ServerInfo::name).toList();
    }
}
