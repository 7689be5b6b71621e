package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class RecursorTest extends DnsTestBase {

    private FakeUpstream good;
    private FakeUpstream bad;
    private FakeUpstream silent;

    @Override
    void seed(FakeAgent c) {
        c.node("n1", "10.0.0.1", Map.of());
        c.service("n1", "ext", "ext", 443, "api.example.com", List.of());
        c.service("n1", "web", "web", 80, "", List.of());
    }

    @BeforeEach
    void upstreams() throws Exception {
        good = new FakeUpstream(q -> {
            String name = q.getQuestion().getName().toString();
            if (name.equals("missing.example.com.")) {
                return FakeUpstream.reply(q, Rcode.NXDOMAIN);
            }
            if (name.equals("huge.example.com.")) {
                List<String> many = new ArrayList<>();
                for (int i = 1; i <= 100; i++) {
                    many.add(name + " 60 IN A 198.51.100." + i);
                }
                return FakeUpstream.reply(q, Rcode.NOERROR, many.toArray(String[]::new));
            }
            return FakeUpstream.reply(q, Rcode.NOERROR, name + " 300 IN A 93.184.216.34");
        });
        bad = new FakeUpstream(q -> FakeUpstream.reply(q, Rcode.SERVFAIL));
        silent = new FakeUpstream(q -> null);
    }

    @AfterEach
    void closeUpstreams() throws Exception {
        good.close();
        bad.close();
        silent.close();
    }

    /** Consul answers SERVFAIL here; Conclave REFUSED, so a stub resolver moves on to its next server. */
    @Test
    void namesOutsideTheDomainAreRefusedWithoutRecursors() throws Exception {
        Message m = dns.udp("example.com", "A");
        assertRcode(Rcode.REFUSED, m);
        assertFalse(flag(m, Flags.AA));
        assertFalse(flag(m, Flags.RA));
        assertEquals(List.of(), authority(m));
        assertRcode(Rcode.REFUSED, dns.tcp("example.com", "A"));
    }

    @Test
    void namesOutsideTheDomainAreForwardedAndRelayedWithRa() throws Exception {
        configure(Map.of("recursors", good.address()));
        Message q = DnsClient.query("www.example.com", Type.A);
        Message m = dns.udp(q);
        assertRcode(Rcode.NOERROR, m);
        assertEquals(q.getHeader().getID(), m.getHeader().getID());
        assertTrue(flag(m, Flags.RA));
        assertEquals(List.of("www.example.com. 300 IN A 93.184.216.34"), answers(m));
        assertNxdomainRelayed(dns.udp("missing.example.com", "A"));
        assertEquals(List.of("www.example.com. 300 IN A 93.184.216.34"), answers(dns.tcp("www.example.com", "A")));
        assertEquals(1, good.tcpQueries.get(), "a TCP client is forwarded over TCP");
    }

    @Test
    void domainAnswersCarryRaOnceRecursorsAreConfigured() throws Exception {
        configure(Map.of("recursors", new String[] {good.address()}));
        Message m = dns.udp("web.service.consul", "A");
        assertTrue(flag(m, Flags.RA) && flag(m, Flags.AA));
    }

    @Test
    void failingAndSilentRecursorsAreSkippedInOrder() throws Exception {
        configure(Map.of("recursors", List.of(bad.address(), silent.address(), good.address()),
                "recursor_timeout", "200ms"));
        long start = System.nanoTime();
        Message m = dns.udp("www.example.com", "A");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("www.example.com. 300 IN A 93.184.216.34"), answers(m));
        assertEquals(1, bad.udpQueries.get());
        assertEquals(1, silent.udpQueries.get());
        assertTrue(millis >= 190, "waited for the silent one: " + millis + " ms");
    }

    @Test
    void allRecursorsFailingIsServfailWithRa() throws Exception {
        configure(Map.of("recursors", bad.address() + "," + silent.address(), "recursor_timeout", "100ms"));
        Message m = dns.udp("www.example.com", "A");
        assertRcode(Rcode.SERVFAIL, m);
        assertTrue(flag(m, Flags.RA));
        assertFalse(flag(m, Flags.AA));
    }

    @Test
    void truncatedUpstreamAnswerIsAskedAgainOverTcp() throws Exception {
        good.truncateUdp = true;
        configure(Map.of("recursors", good.address()));
        Message m = dns.udp(DnsClient.edns("www.example.com", Type.A, 1232));
        assertEquals(List.of("www.example.com. 300 IN A 93.184.216.34"), answers(m));
        assertFalse(flag(m, Flags.TC));
        assertEquals(1, good.udpQueries.get());
        assertEquals(1, good.tcpQueries.get());
    }

    @Test
    void relayedAnswerTooBigForTheClientsDatagramsIsSentAsTc() throws Exception {
        configure(Map.of("recursors", good.address()));
        Message m = dns.udp("huge.example.com", "A");
        assertTrue(flag(m, Flags.TC));
        assertEquals(List.of(), answers(m));
        assertEquals(100, answers(dns.tcp("huge.example.com", "A")).size());
    }

    @Test
    void hostNameServiceAddressIsResolvedThroughTheRecursors() throws Exception {
        configure(Map.of("recursors", good.address()));
        assertEquals(List.of("ext.service.consul. 0 IN CNAME api.example.com.",
                        "api.example.com. 0 IN A 93.184.216.34"),
                answers(dns.udp("ext.service.consul", "A")));
    }

    @Test
    void unknownReverseNamesAreForwarded() throws Exception {
        configure(Map.of("recursors", good.address()));
        Message m = dns.udp("4.3.2.1.in-addr.arpa", "PTR");
        assertRcode(Rcode.NOERROR, m);
        assertEquals(1, good.udpQueries.get());
    }

    private static void assertNxdomainRelayed(Message m) {
        assertRcode(Rcode.NXDOMAIN, m);
        assertTrue(flag(m, Flags.RA));
    }
}
