package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.query.Consistency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

class NodeLookupTest extends DnsTestBase {

    @Override
    void seed(FakeAgent c) {
        c.node("VM-0-17-centos", "127.0.0.1", Map.of("consul-network-segment", ""));
        c.node("db1", "10.0.0.5", Map.of("rack", "r1", "rfc1035-spf", "v=spf1 -all", "a=b", "", "`x", "y`"));
        c.node("six", "2001:db8::6", Map.of());
        c.node("dual", "10.0.0.7", Map.of("lan_ipv6", "2001:db8::7"), Map.of());
        c.node("ext", "db.example.com", Map.of());
        c.node("alias", "db1.node.consul", Map.of());
        c.node("loop", "loop.node.consul", Map.of());
    }

    /** The tutorial's {@code dig VM-0-17-centos.node.consul}: A answer, node meta TXT in additional. */
    @Test
    void nodeAQueryAnswersAddressWithMetaTxtInAdditionalAsTheTutorialShows() throws Exception {
        Message m = dns.udp("VM-0-17-centos.node.consul", "A");
        assertRcode(Rcode.NOERROR, m);
        assertTrue(flag(m, Flags.QR) && flag(m, Flags.AA) && flag(m, Flags.RD));
        assertFalse(flag(m, Flags.RA), "no recursors, no RA");
        assertEquals(List.of("VM-0-17-centos.node.consul. 0 IN A 127.0.0.1"), answers(m));
        assertEquals(List.of("VM-0-17-centos.node.consul. 0 IN TXT \"consul-network-segment=\""), additional(m));
        assertEquals(List.of(), authority(m));
    }

    @Test
    void namesAreCaseInsensitiveAndAnswersKeepTheQuestionsCase() throws Exception {
        Message m = dns.udp("vm-0-17-CENTOS.NODE.Consul", "A");
        assertEquals(List.of("vm-0-17-CENTOS.NODE.Consul. 0 IN A 127.0.0.1"), answers(m));
    }

    @Test
    void explicitDatacenterIsAccepted() throws Exception {
        assertEquals(List.of("db1.node.dc1.consul. 0 IN A 10.0.0.5"), answers(dns.udp("db1.node.dc1.consul", "A")));
    }

    @Test
    void readsAreStaleAndNonBlocking() throws Exception {
        dns.udp("db1.node.consul", "A");
        assertTrue(agent.reads.stream().allMatch(o -> o.consistency() == Consistency.STALE && o.minIndex() == 0));
        configure(Map.of("allow_stale", false));
        agent.reads.clear();
        dns.udp("db1.node.consul", "A");
        assertTrue(agent.reads.stream().allMatch(o -> o.consistency() == Consistency.DEFAULT));
    }

    @Test
    void txtQueryAnswersNodeMetaAsRfc1464AndRfc1035PrefixedValuesBare() throws Exception {
        Message m = dns.tcp("db1.node.consul", "TXT");
        assertEquals(List.of(
                "db1.node.consul. 0 IN TXT \"``x=y``\"",
                "db1.node.consul. 0 IN TXT \"a`=b=\"",
                "db1.node.consul. 0 IN TXT \"rack=r1\"",
                "db1.node.consul. 0 IN TXT \"v=spf1 -all\""), answers(m));
        assertEquals(List.of(), additional(m));
        // four records are over udp_answer_limit (3) for a plain UDP client: trimmed, with TC
        Message udp = dns.udp("db1.node.consul", "TXT");
        assertEquals(3, answers(udp).size());
        assertTrue(flag(udp, Flags.TC));
    }

    @Test
    void anyQueryAnswersAddressAndMeta() throws Exception {
        Message m = dns.udp("VM-0-17-centos.node.consul", "ANY");
        assertEquals(List.of("VM-0-17-centos.node.consul. 0 IN A 127.0.0.1",
                "VM-0-17-centos.node.consul. 0 IN TXT \"consul-network-segment=\""), answers(m));
    }

    @Test
    void additionalMetaTxtCanBeTurnedOff() throws Exception {
        configure(Map.of("enable_additional_node_meta_txt", false));
        Message m = dns.udp("VM-0-17-centos.node.consul", "A");
        assertEquals(1, answers(m).size());
        assertEquals(List.of(), additional(m));
    }

    @Test
    void aaaaForIpv6NodeAndNodataForTheOtherFamily() throws Exception {
        assertEquals(List.of("six.node.consul. 0 IN AAAA 2001:db8:0:0:0:0:0:6"), answers(dns.udp("six.node.consul", "AAAA")));
        assertNodata(dns.udp("six.node.consul", "A"), "consul.");
        assertNodata(dns.udp("db1.node.consul", "AAAA"), "consul.");
    }

    @Test
    void taggedLanIpv6AddressAnswersAaaaOfADualStackNode() throws Exception {
        assertEquals(List.of("dual.node.consul. 0 IN A 10.0.0.7"), answers(dns.udp("dual.node.consul", "A")));
        assertEquals(List.of("dual.node.consul. 0 IN AAAA 2001:db8:0:0:0:0:0:7"), answers(dns.udp("dual.node.consul", "AAAA")));
    }

    @Test
    void unknownNodeIsNxdomainWithSoa() throws Exception {
        assertNxdomain(dns.udp("nope.node.consul", "A"), "consul.");
    }

    /** Consul answers NOERROR without SOA for these; RFC 2308 wants the SOA (hashicorp/consul#1906). */
    @Test
    void knownNodeWithNoRecordOfTheAskedTypeIsNodataWithSoa() throws Exception {
        assertNodata(dns.udp("db1.node.consul", "MX"), "consul.");
        assertNodata(dns.udp("db1.node.consul", "SRV"), "consul.");
        assertNodata(dns.udp("six.node.consul", "TXT"), "consul.");
    }

    @Test
    void hostNameAddressIsACnameAndInDomainTargetsAreResolved() throws Exception {
        assertEquals(List.of("ext.node.consul. 0 IN CNAME db.example.com."), answers(dns.udp("ext.node.consul", "A")));
        assertEquals(List.of("alias.node.consul. 0 IN CNAME db1.node.consul.", "db1.node.consul. 0 IN A 10.0.0.5"),
                answers(dns.udp("alias.node.consul", "A")));
    }

    @Test
    void cnameLoopsInsideTheDomainStopAfterAFewRounds() throws Exception {
        Message m = dns.tcp("loop.node.consul", "A");
        assertRcode(Rcode.NOERROR, m);
        assertEquals(ConsulZone.MAX_RECURSION + 1, answers(m).size(), () -> m.toString());
        assertTrue(answers(m).stream().allMatch(l -> l.equals("loop.node.consul. 0 IN CNAME loop.node.consul.")));
    }

    @Test
    void nodeTtlAppliesToNodeAnswers() throws Exception {
        configure(Map.of("node_ttl", "30s"));
        Message m = dns.udp("VM-0-17-centos.node.consul", "A");
        assertEquals(List.of("VM-0-17-centos.node.consul. 30 IN A 127.0.0.1"), answers(m));
        assertEquals(List.of("VM-0-17-centos.node.consul. 30 IN TXT \"consul-network-segment=\""), additional(m));
    }

    /** hashicorp/consul#8102: a datacenter that does not exist is NXDOMAIN, not SERVFAIL. */
    @Test
    void unknownDatacenterIsNxdomain() throws Exception {
        assertNxdomain(dns.udp("db1.node.dc9.consul", "A"), "consul.");
        assertNxdomain(dns.udp("db1.node.dc2.consul", "A"), "consul.");
    }

    @Test
    void catalogFailureIsServfail() throws Exception {
        agent.failing = true;
        assertRcode(Rcode.SERVFAIL, dns.udp("db1.node.consul", "A"));
    }

    @Test
    void tcpAnswersTheSame() throws Exception {
        Message m = dns.tcp("VM-0-17-centos.node.consul", "A");
        assertEquals(List.of("VM-0-17-centos.node.consul. 0 IN A 127.0.0.1"), answers(m));
    }
}
