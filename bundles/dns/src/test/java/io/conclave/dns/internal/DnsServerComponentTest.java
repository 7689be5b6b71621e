package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/** The DS component's lifecycle as SCR drives it: activate, modified in place or rebound, agent swap, deactivate. */
class DnsServerComponentTest {

    @Test
    void lifecycle() throws Exception {
        FakeAgent first = new FakeAgent().node("n1", "10.0.0.1", Map.of());
        DnsServer component = new DnsServer();
        setAgent(component, first);
        component.activate(Map.of("port", 0));
        int port = component.port();
        DnsClient dns = new DnsClient(port);
        assertEquals(List.of("n1.node.consul. 0 IN A 10.0.0.1"), DnsTestBase.answers(dns.udp("n1.node.consul", "A")));

        // an answering change is applied in place: same port, new behaviour
        component.modified(Map.of("port", 0, "node_ttl", "5s"));
        assertEquals(port, component.port());
        assertEquals(List.of("n1.node.consul. 5 IN A 10.0.0.1"), DnsTestBase.answers(dns.udp("n1.node.consul", "A")));

        // the dynamic agent reference is swapped under a running listener
        setAgent(component, new FakeAgent().node("n1", "10.0.0.2", Map.of()));
        assertEquals(List.of("n1.node.consul. 5 IN A 10.0.0.2"), DnsTestBase.answers(dns.udp("n1.node.consul", "A")));
        setAgent(component, null);
        DnsTestBase.assertRcode(Rcode.SERVFAIL, dns.udp("n1.node.consul", "A"));
        setAgent(component, first);

        // a listener change rebinds
        component.modified(Map.of("port", 0, "tcp_max_connections", 5));
        int rebound = component.port();
        assertNotEquals(-1, rebound);
        assertEquals(1, DnsTestBase.answers(new DnsClient(rebound).tcp("n1.node.consul", "A")).size());

        component.deactivate();
        assertEquals(-1, component.port());
        // both ports are free again: nothing was left bound
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), rebound));
             ServerSocket t = new ServerSocket(rebound, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(rebound, u.getLocalPort());
            assertEquals(rebound, t.getLocalPort());
        }
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("conclave-dns") && t.isAlive()).count(), "threads stopped");
    }

    /** Another loopback address can take the same port only if the listeners are not on the wildcard. */
    @Test
    void listenersBindOnlyTheConfiguredAddress() throws Exception {
        DnsServer component = new DnsServer();
        setAgent(component, new FakeAgent());
        component.activate(Map.of("port", 0, "address", "127.0.0.1"));
        try {
            int port = component.port();
            InetAddress other = InetAddress.getByName("127.0.0.2");
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(other, port));
                 ServerSocket t = new ServerSocket(port, 1, other)) {
                assertEquals(port, u.getLocalPort());
                assertEquals(port, t.getLocalPort());
            }
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aTakenPortFailsActivationAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DnsServer component = new DnsServer();
            setAgent(component, new FakeAgent());
            assertThrows(IOException.class, () -> component.activate(Map.of("port", taken.getLocalPort())));
            try (DatagramSocket u = new DatagramSocket(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()))) {
                assertEquals(taken.getLocalPort(), u.getLocalPort(), "the UDP socket was released");
            }
        }
    }

    private static void setAgent(DnsServer component, Object agent) throws Exception {
        Field f = DnsServer.class.getDeclaredField("agent");
        f.setAccessible(true);
        f.set(component, agent);
    }
}
