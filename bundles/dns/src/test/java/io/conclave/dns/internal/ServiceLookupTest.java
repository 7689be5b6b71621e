package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ServiceLookupTest extends DnsTestBase {

    @Override
    void seed(FakeAgent c) {
        c.node("VM-0-17-centos", "127.0.0.1", Map.of("consul-network-segment", ""));
        c.service("VM-0-17-centos", "web", "web", 8080, "", List.of("java"));
        c.check("VM-0-17-centos", "service:web", "web", Health.PASSING);
    }

    /** The tutorial's {@code dig web.service.consul}: one A record, nothing else but OPT. */
    @Test
    void serviceAQueryAsTheTutorialShows() throws Exception {
        Message m = dns.udp(DnsClient.edns("web.service.consul", Type.A, 4096));
        assertRcode(Rcode.NOERROR, m);
        assertTrue(flag(m, Flags.QR) && flag(m, Flags.AA) && flag(m, Flags.RD) && !flag(m, Flags.RA));
        assertEquals(List.of("web.service.consul. 0 IN A 127.0.0.1"), answers(m));
        assertEquals(List.of(), authority(m));
        assertEquals(List.of(), additional(m));
        assertEquals(4096, m.getOPT().getPayloadSize(), "OPT echoed with the client's size");
    }

    /** The tutorial's {@code dig web.service.consul SRV}: node target in dc1, A and meta TXT in additional. */
    @Test
    void serviceSrvQueryAsTheTutorialShows() throws Exception {
        Message m = dns.udp(DnsClient.edns("web.service.consul", Type.SRV, 4096));
        assertRcode(Rcode.NOERROR, m);
        assertEquals(List.of("web.service.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."), answers(m));
        assertEquals(List.of("VM-0-17-centos.node.dc1.consul. 0 IN A 127.0.0.1",
                "VM-0-17-centos.node.dc1.consul. 0 IN TXT \"consul-network-segment=\""), additional(m));
    }

    /** The tutorial's {@code dig java.web.service.consul SRV}. */
    @Test
    void tagQueryAsTheTutorialShows() throws Exception {
        Message m = dns.udp("java.web.service.consul", "SRV");
        assertEquals(List.of("java.web.service.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."), answers(m));
        assertEquals(2, additional(m).size());
        assertNxdomain(dns.udp("python.web.service.consul", "SRV"), "consul.");
    }

    /** The tutorial's {@code dig redis.service.consul SRV}. */
    @Test
    void unknownServiceIsNxdomainWithSoaAsTheTutorialShows() throws Exception {
        assertNxdomain(dns.udp("redis.service.consul", "SRV"), "consul.");
    }

    @Test
    void rfc2782FormsFilterByTagAndTcpOrUdpMeansNoTag() throws Exception {
        assertEquals(List.of("_web._tcp.service.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."),
                answers(dns.udp("_web._tcp.service.consul", "SRV")));
        assertEquals(1, answers(dns.udp("_web._udp.service.consul", "SRV")).size());
        assertEquals(1, answers(dns.udp("_web._java.service.consul", "SRV")).size());
        assertNxdomain(dns.udp("_web._python.service.consul", "SRV"), "consul.");
        // the service label may be left out of SRV questions, with or without a datacenter
        assertEquals(List.of("_web._tcp.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."),
                answers(dns.udp("_web._tcp.consul", "SRV")));
        assertEquals(1, answers(dns.udp("_web._tcp.dc1.consul", "SRV")).size());
    }

    @Test
    void serviceNamesAndTagsAreCaseInsensitive() throws Exception {
        assertEquals(List.of("JAVA.Web.SERVICE.consul. 0 IN A 127.0.0.1"),
                answers(dns.udp("JAVA.Web.SERVICE.consul", "A")));
        agent.service("VM-0-17-centos", "Api1", "Api", 9000, "", List.of("V1"));
        assertEquals(1, answers(dns.udp("v1.api.service.consul", "SRV")).size());
    }

    @Test
    void explicitDatacenterNamesTheSrvTarget() throws Exception {
        assertEquals(List.of("web.service.dc1.consul. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."),
                answers(dns.udp("web.service.dc1.consul", "SRV")));
        assertEquals(1, answers(dns.udp("web.service.dc1.dc.consul", "A")).size());
        assertNxdomain(dns.udp("web.service.dc9.consul", "A"), "consul.");
        assertNxdomain(dns.udp("web.service.dc1.extra.consul", "A"), "consul.");
    }

    @Test
    void serviceWithItsOwnAddressIsAnsweredByAddressAndSrvTargetsItsAddrName() throws Exception {
        agent.node("n2", "10.0.0.2", Map.of("zone", "b"));
        agent.service("n2", "api-1", "api", 9090, "192.168.1.10", List.of());
        assertEquals(List.of("api.service.consul. 0 IN A 192.168.1.10"), answers(dns.udp("api.service.consul", "A")));
        Message srv = dns.udp("api.service.consul", "SRV");
        assertEquals(List.of("api.service.consul. 0 IN SRV 1 1 9090 c0a8010a.addr.dc1.consul."), answers(srv));
        assertEquals(List.of("c0a8010a.addr.dc1.consul. 0 IN A 192.168.1.10",
                "n2.node.dc1.consul. 0 IN TXT \"zone=b\""), additional(srv));
        // and the target resolves
        assertEquals(List.of("c0a8010a.addr.dc1.consul. 0 IN A 192.168.1.10"),
                answers(dns.udp("c0a8010a.addr.dc1.consul", "A")));
    }

    @Test
    void ipv6InstancesAnswerAaaaAndNodataForA() throws Exception {
        agent.node("n6", "2001:db8::1", Map.of());
        agent.service("n6", "v6", "v6", 80, "", List.of());
        assertEquals(List.of("v6.service.consul. 0 IN AAAA 2001:db8:0:0:0:0:0:1"),
                answers(dns.udp("v6.service.consul", "AAAA")));
        assertNodata(dns.udp("v6.service.consul", "A"), "consul.");
        assertNodata(dns.udp("web.service.consul", "AAAA"), "consul.");
        assertNodata(dns.udp("web.service.consul", "TXT"), "consul.");
        assertEquals(List.of("v6.service.consul. 0 IN SRV 1 1 80 n6.node.dc1.consul."),
                answers(dns.udp("v6.service.consul", "SRV")));
    }

    @Test
    void taggedServiceAddressesServeEachFamily() throws Exception {
        agent.node("n3", "10.0.0.3", Map.of());
        agent.service("n3", "ds", "ds", 80, "10.0.0.30", List.of(), Weights.DEFAULT,
                Map.of("lan_ipv6", new ServiceAddress("2001:db8::30", 80)));
        assertEquals(List.of("ds.service.consul. 0 IN A 10.0.0.30"), answers(dns.udp("ds.service.consul", "A")));
        assertEquals(List.of("ds.service.consul. 0 IN AAAA 2001:db8:0:0:0:0:0:30"),
                answers(dns.udp("ds.service.consul", "AAAA")));
    }

    @Test
    void anyAnswersAddressRecords() throws Exception {
        assertEquals(List.of("web.service.consul. 0 IN A 127.0.0.1"), answers(dns.udp("web.service.consul", "ANY")));
    }

    // ---- health ----

    /** The tutorial's failing check: no healthy instance left, so NXDOMAIN with the SOA. */
    @Test
    void criticalServiceCheckExcludesTheInstance() throws Exception {
        agent.status("VM-0-17-centos", "service:web", Health.CRITICAL);
        assertNxdomain(dns.udp("web.service.consul", "A"), "consul.");
        assertNxdomain(dns.udp("web.service.consul", "SRV"), "consul.");
    }

    @Test
    void criticalNodeCheckExcludesEveryInstanceOnTheNode() throws Exception {
        agent.node("n2", "10.0.0.2", Map.of());
        agent.service("n2", "web2", "web", 8080, "", List.of());
        agent.status("n2", Health.SERF_CHECK_ID, Health.CRITICAL);
        assertEquals(List.of("web.service.consul. 0 IN A 127.0.0.1"), answers(dns.udp("web.service.consul", "A")));
    }

    @Test
    void maintenanceExcludesTheInstance() throws Exception {
        agent.check("VM-0-17-centos", Health.SERVICE_MAINTENANCE_CHECK_PREFIX + "web", "web", Health.CRITICAL);
        assertNxdomain(dns.udp("web.service.consul", "A"), "consul.");
    }

    @Test
    void warningIsAnsweredUnlessOnlyPassing() throws Exception {
        agent.status("VM-0-17-centos", "service:web", Health.WARNING);
        assertEquals(1, answers(dns.udp("web.service.consul", "A")).size());
        configure(Map.of("only_passing", true));
        assertNxdomain(dns.udp("web.service.consul", "A"), "consul.");
    }

    @Test
    void srvWeightFollowsTheInstanceState() throws Exception {
        agent.node("n2", "10.0.0.2", Map.of());
        agent.service("n2", "web2", "web", 8081, "", List.of(), new Weights(10, 3), Map.of());
        agent.check("n2", "service:web2", "web2", Health.PASSING);
        assertTrue(answers(dns.tcp("web.service.consul", "SRV")).contains(
                "web.service.consul. 0 IN SRV 1 10 8081 n2.node.dc1.consul."));
        agent.status("n2", "service:web2", Health.WARNING);
        assertTrue(answers(dns.tcp("web.service.consul", "SRV")).contains(
                "web.service.consul. 0 IN SRV 1 3 8081 n2.node.dc1.consul."));
    }

    // ---- many instances ----

    @Test
    void duplicateAddressesAreAnsweredOnce() throws Exception {
        agent.service("VM-0-17-centos", "web-b", "web", 8081, "", List.of());
        assertEquals(1, answers(dns.udp("web.service.consul", "A")).size());
        assertEquals(2, answers(dns.udp("web.service.consul", "SRV")).size(), "two ports, two SRV records");
    }

    @Test
    void answersAreShuffledPerQuery() throws Exception {
        addInstances(3);
        Map<String, Integer> firsts = new HashMap<>();
        Set<List<String>> orders = new HashSet<>();
        int queries = 120;
        for (int i = 0; i < queries; i++) {
            List<String> a = answers(dns.tcp("many.service.consul", "A"));
            orders.add(a);
            firsts.merge(a.get(0), 1, Integer::sum);
        }
        // 3 instances: each should come first about a third of the time; a fixed order would fail at once.
        assertEquals(3, firsts.size(), firsts::toString);
        for (int count : firsts.values()) {
            assertTrue(count >= queries / 3 / 3, () -> "badly skewed first answers " + firsts);
        }
        assertTrue(orders.size() >= 4, () -> "orders seen: " + orders);
    }

    @Test
    void aRecordLimitCapsAddressAnswersOnEveryTransport() throws Exception {
        addInstances(6);
        configure(Map.of("a_record_limit", 2));
        Message tcp = dns.tcp("many.service.consul", "A");
        assertEquals(2, answers(tcp).size());
        assertFalse(flag(tcp, Flags.TC));
        assertEquals(6, answers(dns.tcp("many.service.consul", "SRV")).size(), "SRV is not limited");
    }

    // ---- TTLs ----

    @Test
    void serviceTtlExactWinsThenLongestPrefixThenWildcard() throws Exception {
        agent.service("VM-0-17-centos", "webapp", "webapp", 81, "", List.of());
        agent.service("VM-0-17-centos", "db", "db", 82, "", List.of());
        agent.service("VM-0-17-centos", "weird", "weird", 83, "", List.of());
        configure(Map.of("service_ttl", new String[] {"*=5s", "web*=10s", "webapp=1m", "d*=7s"}));
        assertEquals(List.of("webapp.service.consul. 60 IN A 127.0.0.1"), answers(dns.udp("webapp.service.consul", "A")));
        assertEquals(List.of("web.service.consul. 10 IN A 127.0.0.1"), answers(dns.udp("web.service.consul", "A")));
        assertEquals(List.of("db.service.consul. 7 IN A 127.0.0.1"), answers(dns.udp("db.service.consul", "A")));
        assertEquals(List.of("weird.service.consul. 5 IN A 127.0.0.1"), answers(dns.udp("weird.service.consul", "A")));
        Message srv = dns.udp(DnsClient.edns("web.service.consul", Type.SRV, 1232));
        assertEquals(List.of("web.service.consul. 10 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.consul."), answers(srv));
        assertTrue(additional(srv).stream().allMatch(l -> l.contains(". 10 IN ")), additional(srv)::toString);
    }

    @Test
    void withoutServiceTtlEverythingIsTtlZero() throws Exception {
        configure(Map.of("node_ttl", "1h"));
        assertEquals(List.of("web.service.consul. 0 IN A 127.0.0.1"), answers(dns.udp("web.service.consul", "A")));
    }

    // ---- alt domain ----

    @Test
    void altDomainIsAnsweredInItsOwnNames() throws Exception {
        configure(Map.of("alt_domain", "example.internal"));
        Message srv = dns.udp(DnsClient.edns("web.service.example.internal", Type.SRV, 4096));
        assertEquals(List.of("web.service.example.internal. 0 IN SRV 1 1 8080 VM-0-17-centos.node.dc1.example.internal."),
                answers(srv));
        assertEquals("VM-0-17-centos.node.dc1.example.internal. 0 IN A 127.0.0.1", additional(srv).get(0));
        assertTrue(flag(srv, Flags.AA));
        assertNxdomain(dns.udp("nope.service.example.internal", "A"), "example.internal.");
        assertEquals(1, answers(dns.udp("web.service.consul", "A")).size(), "the primary domain still answers");
    }

    @Test
    void hostNameServiceAddressIsACname() throws Exception {
        agent.node("n4", "10.0.0.4", Map.of());
        agent.service("n4", "ext", "ext", 443, "api.example.com", List.of());
        assertEquals(List.of("ext.service.consul. 0 IN CNAME api.example.com."),
                answers(dns.udp("ext.service.consul", "A")));
        assertEquals(List.of("ext.service.consul. 0 IN SRV 1 1 443 api.example.com."),
                answers(dns.udp("ext.service.consul", "SRV")));
    }

    private void addInstances(int n) {
        for (int i = 1; i <= n; i++) {
            agent.node("m" + i, "10.1.0." + i, Map.of());
            agent.service("m" + i, "many", "many", 7000 + i, "", List.of());
        }
    }
}
