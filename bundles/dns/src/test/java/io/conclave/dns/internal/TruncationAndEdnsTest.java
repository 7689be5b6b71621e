package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TruncationAndEdnsTest extends DnsTestBase {

    static final int INSTANCES = 60;

    @Override
    void seed(FakeAgent c) {
        for (int i = 1; i <= INSTANCES; i++) {
            String node = "node-with-a-rather-long-name-" + i;
            c.node(node, "10.2." + (i / 256) + "." + (i % 256), Map.of("rack", "r" + i));
            c.service(node, "big", "big", 9000 + i, "", List.of());
        }
        c.node("solo", "10.3.0.1", Map.of());
        c.service("solo", "solo", "solo", 80, "", List.of());
    }

    @Test
    void plainUdpIsCutToUdpAnswerLimitWithTc() throws Exception {
        Message m = dns.udp("big.service.consul", "A");
        assertEquals(3, answers(m).size());
        assertTrue(flag(m, Flags.TC), "enable_truncate defaults to true in Conclave");
        assertNull(m.getOPT(), "no OPT for a client that sent none");
        configure(Map.of("udp_answer_limit", 5));
        assertEquals(5, answers(dns.udp("big.service.consul", "A")).size());
        configure(Map.of("udp_answer_limit", 50));
        assertEquals(8, answers(dns.udp("big.service.consul", "A")).size(), "Consul's hard cap of 8");
    }

    @Test
    void tcpAnswersEverything() throws Exception {
        Message a = dns.tcp("big.service.consul", "A");
        assertEquals(INSTANCES, answers(a).size());
        assertFalse(flag(a, Flags.TC));
        Message srv = dns.tcp("big.service.consul", "SRV");
        assertEquals(INSTANCES, answers(srv).size());
        assertEquals(2 * INSTANCES, additional(srv).size(), "A and TXT per target");
    }

    @Test
    void withoutEnableTruncateTheAnswerIsCutSilentlyAsConsulDoesByDefault() throws Exception {
        configure(Map.of("enable_truncate", false));
        Message m = dns.udp("big.service.consul", "A");
        assertEquals(3, answers(m).size());
        assertFalse(flag(m, Flags.TC));
    }

    @Test
    void ednsBufferSizeIsHonouredAndEchoed() throws Exception {
        for (int size : new int[] {1232, 4096}) {
            byte[] raw = dns.udpRaw(DnsClient.edns("big.service.consul", Type.SRV, size).toWire());
            Message m = new Message(raw);
            assertTrue(raw.length <= size, () -> raw.length + " > " + size);
            assertTrue(flag(m, Flags.TC));
            int n = answers(m).size();
            assertTrue(n > 3 && n < INSTANCES, () -> "answers: " + n);
            assertEquals(size, m.getOPT().getPayloadSize());
            assertEveryTargetHasItsAddressAndNothingElse(m);
        }
        // more than this server's cap of 4096 is treated as 4096
        byte[] raw = dns.udpRaw(DnsClient.edns("big.service.consul", Type.SRV, 65000).toWire());
        assertTrue(raw.length <= 4096);
        assertEquals(4096, new Message(raw).getOPT().getPayloadSize());
        // less than 512 is treated as 512, where udp_answer_limit applies
        assertEquals(3, answers(dns.udp(DnsClient.edns("big.service.consul", Type.A, 100))).size());
    }

    @Test
    void smallAnswersAreNotTouched() throws Exception {
        Message m = dns.udp(DnsClient.edns("solo.service.consul", Type.SRV, 1232));
        assertFalse(flag(m, Flags.TC));
        assertEquals(1, answers(m).size());
        assertEquals(List.of("solo.node.dc1.consul. 0 IN A 10.3.0.1"), additional(m));
    }

    @Test
    void disabledCompressionStillFitsTheBuffer() throws Exception {
        int compressed = answers(dns.udp(DnsClient.edns("big.service.consul", Type.SRV, 4096))).size();
        configure(Map.of("disable_compression", true));
        byte[] raw = dns.udpRaw(DnsClient.edns("big.service.consul", Type.SRV, 4096).toWire());
        Message m = new Message(raw);
        assertTrue(raw.length <= 4096);
        assertTrue(answers(m).size() < compressed, "uncompressed records take more room");
        assertEveryTargetHasItsAddressAndNothingElse(m);
        Message tcp = dns.tcp("big.service.consul", "SRV");
        assertEquals(INSTANCES, answers(tcp).size());
    }

    @Test
    void ednsVersionAboveZeroIsBadvers() throws Exception {
        Message q = DnsClient.query("solo.service.consul", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message m = dns.udp(q);
        assertEquals(Rcode.BADVERS, m.getRcode());
        assertEquals(0, m.getOPT().getVersion());
        assertEquals(List.of(), answers(m));
    }

    @Test
    void clientSubnetIsEchoedWithGlobalScope() throws Exception {
        Message q = DnsClient.query("solo.service.consul", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0, 0,
                List.<EDNSOption>of(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0")))), Section.ADDITIONAL);
        Message m = dns.udp(q);
        ClientSubnetOption ecs = (ClientSubnetOption) m.getOPT().getOptions().get(0);
        assertEquals(24, ecs.getSourcePrefixLength());
        assertEquals(0, ecs.getScopePrefixLength());
        assertEquals(1, answers(m).size());
    }

    @Test
    void oneRecordTooBigForUdpIsSentEmptyWithTc() throws Exception {
        agent.node("fat", "10.4.0.1", Map.of("blob", "x".repeat(700)));
        Message m = dns.udp("fat.node.consul", "TXT");
        assertTrue(flag(m, Flags.TC));
        assertEquals(List.of(), answers(m));
        Message tcp = dns.tcp("fat.node.consul", "TXT");
        assertEquals(1, answers(tcp).size());
        assertEquals(3, ((org.xbill.DNS.TXTRecord) tcp.getSection(Section.ANSWER).get(0)).getStrings().size(),
                "a 705-byte string is sent as 255+255+195");
    }

    private static void assertEveryTargetHasItsAddressAndNothingElse(Message m) {
        Set<String> targets = new HashSet<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            targets.add(((SRVRecord) r).getTarget().toString());
        }
        Set<String> addressed = new HashSet<>();
        for (Record r : m.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                continue;
            }
            assertTrue(targets.contains(r.getName().toString()), () -> "stray additional " + r);
            if (r.getType() == Type.A) {
                addressed.add(r.getName().toString());
            }
        }
        assertEquals(targets, addressed);
    }
}
