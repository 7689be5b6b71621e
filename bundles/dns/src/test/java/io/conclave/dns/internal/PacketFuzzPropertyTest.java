package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Hostile input never harms the server: random datagrams, and valid queries with random bytes
 * overwritten, are either dropped or answered with a well-formed message for the same ID; and the
 * live UDP listener keeps answering a real query after each.
 */
class PacketFuzzPropertyTest {

    private static FakeAgent agent;
    private static DnsEngine engine;
    private static DnsClient dns;
    private static final List<byte[]> SEEDS = List.of(
            DnsClient.query("web.service.consul", Type.A).toWire(),
            DnsClient.edns("_web._tcp.service.consul", Type.SRV, 1232).toWire(),
            DnsClient.query("n1.node.dc1.consul", Type.ANY).toWire(),
            DnsClient.query("0a000001.addr.consul", Type.A).toWire(),
            DnsClient.query("consul", Type.SOA).toWire(),
            DnsClient.query("example.com", Type.A).toWire());

    @BeforeContainer
    static void start() throws IOException {
        agent = new FakeAgent();
        agent.node("n1", "10.0.0.1", Map.of("k", "v"));
        agent.service("n1", "web", "web", 80, "", List.of("t"));
        engine = new DnsEngine(() -> agent, DnsSettings.from(Map.of("port", 0))).start();
        dns = new DnsClient(engine.port());
    }

    @AfterContainer
    static void stop() {
        engine.close();
    }

    @Property(tries = 3000)
    void randomBytesAreDroppedOrAnsweredWellFormed(@ForAll @Size(max = 700) byte[] packet) {
        assertSafe(packet, engine.responder().handle(packet, false, "fuzz"));
        assertSafe(packet, engine.responder().handle(packet, true, "fuzz"));
    }

    @Property(tries = 3000)
    void corruptedQueriesAreDroppedOrAnsweredWellFormed(@ForAll("corruptedQueries") byte[] packet) {
        assertSafe(packet, engine.responder().handle(packet, false, "fuzz"));
    }

    @Property(tries = 300)
    void theListenerKeepsAnsweringAfterAnyDatagram(@ForAll("anyDatagram") byte[] packet) throws IOException {
        dns.udpSend(packet);
        Message m = dns.udp("web.service.consul", "A");
        assertEquals(1, m.getSection(1).size());
    }

    @Provide
    Arbitrary<byte[]> corruptedQueries() {
        Arbitrary<byte[]> seed = Arbitraries.of(SEEDS);
        Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> edits = Combinators.combine(
                Arbitraries.integers().between(0, 80), Arbitraries.bytes()).as(Tuple::of).list().ofMaxSize(6);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 100);
        return Combinators.combine(seed, edits, cut).as((s, es, c) -> {
            byte[] p = s.clone();
            for (Tuple.Tuple2<Integer, Byte> e : es) {
                if (e.get1() < p.length) {
                    p[e.get1()] = e.get2();
                }
            }
            // sometimes cut short
            return c < 20 ? java.util.Arrays.copyOf(p, Math.min(p.length, c)) : p;
        });
    }

    @Provide
    Arbitrary<byte[]> anyDatagram() {
        return Arbitraries.oneOf(corruptedQueries(), Arbitraries.bytes().array(byte[].class).ofMaxSize(600));
    }

    private static void assertSafe(byte[] in, byte[] out) {
        if (out == null) {
            return;
        }
        assertTrue(out.length >= Header.LENGTH && out.length <= 4096, () -> "answer of " + out.length + " bytes");
        Header h;
        try {
            h = new Header(java.util.Arrays.copyOf(out, Header.LENGTH));
            new Message(out);
        } catch (IOException e) {
            throw new AssertionError("answer does not parse: " + e, e);
        }
        assertTrue(h.getFlag(Flags.QR), "an answer");
        assertEquals(((in[0] & 0xFF) << 8) | (in[1] & 0xFF), h.getID(), "for the same ID");
    }
}
