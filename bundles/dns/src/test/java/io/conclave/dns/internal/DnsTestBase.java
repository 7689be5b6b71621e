package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A DNS engine on 127.0.0.1, port 0 (UDP and TCP), in front of a {@link FakeAgent}; one per test
 * class. {@link #configure} swaps the configuration in place as a ConfigAdmin update would, and each
 * test starts from the defaults and the catalog {@link #seed} builds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DnsTestBase {

    FakeAgent agent;
    DnsEngine engine;
    DnsClient dns;

    @BeforeAll
    void startServer() throws IOException {
        agent = new FakeAgent();
        engine = new DnsEngine(() -> agent, DnsSettings.from(Map.of("port", 0))).start();
        dns = new DnsClient(engine.port());
    }

    @AfterAll
    void stopServer() {
        engine.close();
    }

    @BeforeEach
    void reset() {
        configure(Map.of());
        agent.nodes.clear();
        agent.instances.clear();
        agent.checks.clear();
        agent.reads.clear();
        agent.failing = false;
        seed(agent);
    }

    /** The catalog every test of the class starts from. */
    abstract void seed(FakeAgent catalog);

    void configure(Map<String, ?> config) {
        Map<String, Object> m = new HashMap<>(config);
        m.put("port", 0);
        engine.update(DnsSettings.from(m));
    }

    static List<String> answers(Message m) {
        return DnsClient.lines(m, Section.ANSWER);
    }

    static List<String> authority(Message m) {
        return DnsClient.lines(m, Section.AUTHORITY);
    }

    static List<String> additional(Message m) {
        return DnsClient.lines(m, Section.ADDITIONAL);
    }

    static void assertRcode(int expected, Message m) {
        assertEquals(Rcode.string(expected), Rcode.string(m.getRcode()), () -> "answer was\n" + m);
    }

    static boolean flag(Message m, int flag) {
        return m.getHeader().getFlag(flag);
    }

    /** NXDOMAIN with the SOA of {@code zone} (and nothing else) in the authority section. */
    static void assertNxdomain(Message m, String zone) {
        assertRcode(Rcode.NXDOMAIN, m);
        assertSoaOnly(m, zone);
    }

    /** NOERROR, no answer, the SOA of {@code zone} in the authority section (RFC 2308 NODATA). */
    static void assertNodata(Message m, String zone) {
        assertRcode(Rcode.NOERROR, m);
        assertEquals(List.of(), answers(m), () -> "answer was\n" + m);
        assertSoaOnly(m, zone);
    }

    private static void assertSoaOnly(Message m, String zone) {
        List<String> auth = authority(m);
        assertEquals(1, auth.size(), () -> "answer was\n" + m);
        String soa = auth.get(0);
        assertTrue(soa.matches(java.util.regex.Pattern.quote(zone)
                + " 0 IN SOA ns\\." + java.util.regex.Pattern.quote(zone) + " hostmaster\\."
                + java.util.regex.Pattern.quote(zone) + " \\d+ 3600 600 86400 0"), soa);
        assertTrue(flag(m, Flags.AA), "authoritative");
    }
}
