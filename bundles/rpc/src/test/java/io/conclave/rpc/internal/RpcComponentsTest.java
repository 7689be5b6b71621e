package io.conclave.rpc.internal;

import static io.conclave.rpc.internal.TestRig.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.agent.Member;
import io.conclave.api.catalog.CatalogEndpoint;
import io.conclave.api.catalog.HealthEndpoint;
import io.conclave.api.consensus.Consensus;
import io.conclave.api.gossip.MemberEvent;
import io.conclave.api.gossip.Membership;
import io.conclave.api.gossip.MembershipListener;
import io.conclave.api.kv.KvEndpoint;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.query.QueryOptions;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DS components as SCR drives them: configuration decides whether each one serves, forwards or idles. */
class RpcComponentsTest {

    private static void inject(Object component, String field, Object value) throws Exception {
        Field f = component.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(component, value);
    }

    private static RpcServerComponent serverComponent(TestRig fakes) throws Exception {
        RpcServerComponent c = new RpcServerComponent();
        inject(c, "kv", fakes.kv);
        inject(c, "catalog", fakes.catalog);
        inject(c, "health", fakes.health);
        inject(c, "consensus", fakes.consensus);
        return c;
    }

    private static Map<String, Object> config(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static int port(FakeBundleContext bc) {
        return (Integer) bc.only(RpcServer.class.getName()).properties().get(RpcServerComponent.PORT_PROPERTY);
    }

    @Test
    void aServerListensOnAnEphemeralPortAndAnnouncesIt() throws Exception {
        try (TestRig fakes = new TestRig()) {
            FakeBundleContext bc = new FakeBundleContext();
            RpcServerComponent c = serverComponent(fakes);
            c.activate(bc.context, config("server", true, "dev", true, "bind_addr", "127.0.0.1", "server_port", 0));
            try {
                int port = port(bc);
                assertTrue(port > 0);
                assertEquals("127.0.0.1", bc.only(RpcServer.class.getName()).properties().get("conclave.rpc.address"));

                RpcClient client = new RpcClient(TestRig.clientSettings(java.time.Duration.ofSeconds(5)));
                client.addServer(new ServerInfo("me", "127.0.0.1", port, "dc1"));
                assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(client).datacenters());

                // an unrelated change (a reload's service definitions) leaves the port and its connections alone
                c.modified(config("server", true, "dev", true, "bind_addr", "127.0.0.1", "server_port", 0,
                        "definitions", "[{\"service\":{}}]"));
                assertEquals(port, port(bc));
                assertTrue(await(new ForwardingKv(client).apply(KvRequest.set("still", null, 0))));
                client.close();

                // becoming a client stops the listener
                c.modified(config("server", false, "bind_addr", "127.0.0.1", "server_port", 0));
                assertEquals(List.of(), bc.types());
                assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000));
            } finally {
                c.deactivate();
            }
            assertEquals(List.of(), bc.types());
        }
    }

    @Test
    void aServerWhoseEndpointIsGoneAnswersThatCallWithAnError() throws Exception {
        try (TestRig fakes = new TestRig()) {
            FakeBundleContext bc = new FakeBundleContext();
            RpcServerComponent c = serverComponent(fakes);
            c.activate(bc.context, config("server", "true", "bind_addr", "127.0.0.1", "server_port", "0"));
            try (RpcClient client = new RpcClient(TestRig.clientSettings(java.time.Duration.ofSeconds(5)))) {
                client.addServer(new ServerInfo("me", "127.0.0.1", port(bc), "dc1"));
                inject(c, "catalog", null); // a dynamic reference between providers
                Exception e = assertThrows(IllegalStateException.class, () -> new ForwardingCatalog(client).datacenters());
                assertEquals("The catalog endpoint is not available on this server", e.getMessage());
                inject(c, "catalog", fakes.catalog);
                assertEquals(List.of("dc1", "dc2"), new ForwardingCatalog(client).datacenters());
            } finally {
                c.deactivate();
            }
        }
    }

    @Test
    void aClientRegistersForwardingEndpointsThatReachServersFoundInTheLanPool() throws Exception {
        try (TestRig server = new TestRig()) {
            FakeMembership lan = new FakeMembership();
            lan.members.add(FakeMembership.client("me", "127.0.0.1", "dc1"));
            Member srv = FakeMembership.server("srv", "127.0.0.1", server.address.getPort(), "dc1", Member.STATUS_ALIVE);
            lan.members.add(srv);

            FakeBundleContext bc = new FakeBundleContext();
            RpcClientComponent c = new RpcClientComponent();
            c.bindMembership(lan); // DS binds dynamic references before activation
            c.activate(bc.context, config("server", false, "datacenter", "dc1"));
            try {
                assertEquals(List.of(CatalogEndpoint.class.getName(), HealthEndpoint.class.getName(),
                        Consensus.class.getName(), MembershipListener.class.getName(), KvEndpoint.class.getName()),
                        bc.types());
                FakeBundleContext.Registered kvReg = bc.only(KvEndpoint.class.getName());
                assertEquals(true, kvReg.properties().get(RpcClientComponent.FORWARDING_PROPERTY));
                assertEquals(RpcClientComponent.RANKING, kvReg.properties().get("service.ranking"));

                KvEndpoint kv = (KvEndpoint) kvReg.service();
                assertTrue(await(kv.apply(KvRequest.set("via/client", new byte[] {1}, 0))));
                assertTrue(await(kv.get("via/client", QueryOptions.now())).value().isPresent());
                Consensus status = (Consensus) bc.only(Consensus.class.getName()).service();
                assertEquals("10.0.0.2:8300", status.status().leader());

                // the server fails in gossip: calls fail as Consul's do
                MembershipListener listener = (MembershipListener) bc.only(MembershipListener.class.getName()).service();
                Member failed = FakeMembership.server("srv", "127.0.0.1", server.address.getPort(), "dc1", 4);
                listener.memberChanged(Membership.WAN, new MemberEvent(MemberEvent.Type.FAILED, failed));
                assertTrue(await(kv.get("via/client", QueryOptions.now())).value().isPresent(), "WAN events are not ours");
                listener.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.FAILED, failed));
                assertEquals("No known Consul servers",
                        assertThrows(IllegalStateException.class, () -> await(kv.get("k", QueryOptions.now()))).getMessage());
                listener.memberChanged(Membership.LAN, new MemberEvent(MemberEvent.Type.JOIN, srv));
                assertTrue(await(kv.get("via/client", QueryOptions.now())).value().isPresent());

                // the pool going away (its bundle updated) keeps the servers; coming back reconciles the list
                c.unbindMembership(lan);
                assertTrue(await(kv.get("via/client", QueryOptions.now())).value().isPresent());
                lan.members.remove(srv);
                c.bindMembership(lan);
                assertEquals("No known Consul servers",
                        assertThrows(IllegalStateException.class, () -> await(kv.get("k", QueryOptions.now()))).getMessage());
                lan.members.add(srv);
                c.bindMembership(lan);
                assertTrue(await(kv.get("via/client", QueryOptions.now())).value().isPresent());

                // an unrelated change keeps the same proxies
                Object before = kvReg.service();
                c.modified(config("server", false, "datacenter", "dc1", "node_meta", "{}"));
                assertEquals(before, bc.only(KvEndpoint.class.getName()).service());

                // a datacenter change rebuilds them, and servers of the old one no longer count
                c.modified(config("server", false, "datacenter", "dc2"));
                KvEndpoint kv2 = (KvEndpoint) bc.only(KvEndpoint.class.getName()).service();
                assertNotEquals(before, kv2);
                assertEquals("No known Consul servers",
                        assertThrows(IllegalStateException.class, () -> await(kv2.get("k", QueryOptions.now()))).getMessage());

                // becoming a server removes everything
                c.modified(config("server", true));
                assertEquals(List.of(), bc.types());
            } finally {
                c.deactivate();
            }
            assertEquals(List.of(), bc.types());
        }
    }

    @Test
    void aServerAgentRegistersNoProxiesAndAClientAgentOpensNoPort() throws Exception {
        FakeBundleContext clientSide = new FakeBundleContext();
        RpcClientComponent client = new RpcClientComponent();
        client.activate(clientSide.context, config("server", true, "dev", true));
        assertEquals(List.of(), clientSide.types());
        client.deactivate();

        try (TestRig fakes = new TestRig()) {
            FakeBundleContext serverSide = new FakeBundleContext();
            RpcServerComponent server = serverComponent(fakes);
            server.activate(serverSide.context, config("server", false, "bind_addr", "127.0.0.1", "server_port", 0));
            assertEquals(List.of(), serverSide.types());
            server.deactivate();
        }
    }

    @Test
    void badConfigurationIsRefusedWithTheKeysName() throws Exception {
        try (TestRig fakes = new TestRig()) {
            RpcServerComponent c = serverComponent(fakes);
            FakeBundleContext bc = new FakeBundleContext();
            Exception port = assertThrows(IllegalArgumentException.class,
                    () -> c.activate(bc.context, config("server", true, "server_port", 70000)));
            assertTrue(port.getMessage().contains("server_port"), port.getMessage());
            Exception frame = assertThrows(IllegalArgumentException.class,
                    () -> c.activate(bc.context, config("server", true, "rpc_max_frame_size", 10)));
            assertTrue(frame.getMessage().contains("rpc_max_frame_size"), frame.getMessage());
            assertEquals(List.of(), bc.types());
        }
    }
}
