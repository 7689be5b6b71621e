package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

class ZoneApexAndAddrTest extends DnsTestBase {

    @Override
    void seed(FakeAgent c) {
        c.node("Server-1", "10.0.0.1", Map.of());
        c.service("Server-1", "consul", "consul", 8300, "", List.of());
        c.node("web-1", "10.0.0.9", Map.of());
    }

    @Test
    void soaAtTheApexAnswersTheSoaWithServersAsNameserversAndGlue() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        Message m = dns.udp("consul", "SOA");
        assertRcode(Rcode.NOERROR, m);
        assertTrue(flag(m, Flags.AA));
        SOARecord soa = (SOARecord) m.getSection(Section.ANSWER).get(0);
        assertEquals("consul.", soa.getName().toString());
        assertEquals("ns.consul.", soa.getHost().toString());
        assertEquals("hostmaster.consul.", soa.getAdmin().toString());
        assertTrue(soa.getSerial() >= before && soa.getSerial() <= before + 5, "serial is the unix time");
        assertEquals(List.of(3600L, 600L, 86400L, 0L, 0L),
                List.of(soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum(), soa.getTTL()));
        assertEquals(List.of("consul. 0 IN NS server-1.node.dc1.consul."), authority(m));
        assertEquals(List.of("server-1.node.dc1.consul. 0 IN A 10.0.0.1"), additional(m));
    }

    @Test
    void nsAtTheApexAnswersNameserversWithGlue() throws Exception {
        Message m = dns.udp("consul", "NS");
        assertEquals(List.of("consul. 0 IN NS server-1.node.dc1.consul."), answers(m));
        assertEquals(List.of("server-1.node.dc1.consul. 0 IN A 10.0.0.1"), additional(m));
        // and the nameserver's name resolves
        assertEquals(List.of("server-1.node.dc1.consul. 0 IN A 10.0.0.1"),
                answers(dns.udp("server-1.node.dc1.consul", "A")));
    }

    @Test
    void withoutAHealthyServerThisAgentIsTheNameserver() throws Exception {
        agent.status("Server-1", Health.SERF_CHECK_ID, Health.CRITICAL);
        Message m = dns.udp("consul", "NS");
        assertEquals(List.of("consul. 0 IN NS node-1.node.dc1.consul."), answers(m));
        assertEquals(List.of("node-1.node.dc1.consul. 0 IN A 127.0.0.1"), additional(m));
    }

    @Test
    void soaSettingsAreConfigurable() throws Exception {
        configure(Map.of("soa_refresh", 1, "soa_retry", "2", "soa_expire", 3L, "soa_min_ttl", 4));
        SOARecord soa = (SOARecord) dns.udp("consul", "SOA").getSection(Section.ANSWER).get(0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 4L),
                List.of(soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum(), soa.getTTL()));
    }

    @Test
    void otherTypesAtTheApexAreNodata() throws Exception {
        assertNodata(dns.udp("consul", "A"), "consul.");
        assertNodata(dns.udp("consul", "TXT"), "consul.");
    }

    /** hashicorp/consul#15739: SOA asked below the apex goes in the authority section, not the answer. */
    @Test
    void soaBelowTheApexIsNodataOrNxdomain() throws Exception {
        assertNodata(dns.udp("web-1.node.consul", "SOA"), "consul.");
        assertNxdomain(dns.udp("ns.consul", "SOA"), "consul.");
    }

    /** RFC 8020: NXDOMAIN means nothing below exists, so names that only have names below are NODATA. */
    @Test
    void emptyNonTerminalsAreNodata() throws Exception {
        assertNodata(dns.udp("service.consul", "A"), "consul.");
        assertNodata(dns.udp("node.consul", "A"), "consul.");
        assertNodata(dns.udp("dc1.consul", "A"), "consul.");
        assertNodata(dns.udp("node.dc2.consul", "A"), "consul.");
        assertNxdomain(dns.udp("dc9.consul", "A"), "consul.");
        assertNxdomain(dns.udp("service.dc9.consul", "A"), "consul.");
    }

    @Test
    void unknownFormsUnderTheDomainAreNxdomain() throws Exception {
        assertNxdomain(dns.udp("foo.bar.consul", "A"), "consul.");
        assertNxdomain(dns.udp("web.query.consul", "A"), "consul.");
        assertNxdomain(dns.udp("web.connect.consul", "A"), "consul.");
        assertNxdomain(dns.udp("a.b.node.dc1.x.y.consul", "A"), "consul.");
    }

    @Test
    void zoneTransfersAreNotImplemented() throws Exception {
        assertRcode(Rcode.NOTIMP, dns.tcp("consul", "AXFR"));
    }

    @Test
    void addrNamesDecodeToTheirAddress() throws Exception {
        assertEquals(List.of("7f000001.addr.dc1.consul. 0 IN A 127.0.0.1"),
                answers(dns.udp("7f000001.addr.dc1.consul", "A")));
        assertEquals(List.of("C0A8010A.addr.consul. 0 IN A 192.168.1.10"),
                answers(dns.udp("C0A8010A.addr.consul", "ANY")));
        assertEquals(List.of("20010db8000000000000000000000001.addr.consul. 0 IN AAAA 2001:db8:0:0:0:0:0:1"),
                answers(dns.udp("20010db8000000000000000000000001.addr.consul", "AAAA")));
        assertNodata(dns.udp("7f000001.addr.consul", "AAAA"), "consul.");
        assertNxdomain(dns.udp("7f00001.addr.consul", "A"), "consul.");
        assertNxdomain(dns.udp("zz000001.addr.consul", "A"), "consul.");
        configure(Map.of("node_ttl", "9s"));
        assertEquals(List.of("7f000001.addr.consul. 9 IN A 127.0.0.1"), answers(dns.udp("7f000001.addr.consul", "A")));
    }

    @Test
    void reverseLookupOfANodeAddressNamesTheNode() throws Exception {
        assertEquals(List.of("9.0.0.10.in-addr.arpa. 0 IN PTR web-1.node.dc1.consul."),
                answers(dns.udp("9.0.0.10.in-addr.arpa", "PTR")));
        Message miss = dns.udp("8.0.0.10.in-addr.arpa", "PTR");
        assertNxdomain(miss, "consul.");
    }
}
