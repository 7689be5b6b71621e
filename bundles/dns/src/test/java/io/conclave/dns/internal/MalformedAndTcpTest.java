package io.conclave.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class MalformedAndTcpTest extends DnsTestBase {

    @Override
    void seed(FakeAgent c) {
        c.node("n1", "10.0.0.1", Map.of());
        c.service("n1", "web", "web", 80, "", List.of());
    }

    @Test
    void truncatedHeaderIsDroppedAndTheServerKeepsAnswering() throws Exception {
        assertNull(dns.udpRaw(new byte[] {1, 2, 3}, 300));
        assertNull(dns.udpRaw(new byte[0], 300));
        assertAnswering();
    }

    @Test
    void headerWithAnUnparsableQuestionIsFormerrWithTheHeaderOnly() throws Exception {
        byte[] q = DnsClient.query("web.service.consul", Type.A).toWire();
        byte[] cut = Arrays.copyOf(q, 15);
        Header h = new Header(dns.udpRaw(cut));
        assertEquals(Rcode.FORMERR, h.getRcode());
        assertEquals(new Header(q).getID(), h.getID());
        assertTrue(h.getFlag(Flags.QR));
        assertEquals(0, h.getCount(Section.QUESTION));
        assertAnswering();
    }

    @Test
    void queryWithoutExactlyOneQuestionIsFormerr() throws Exception {
        Message none = new Message();
        assertEquals(Rcode.FORMERR, new Header(dns.udpRaw(none.toWire())).getRcode());
        Message two = DnsClient.query("web.service.consul", Type.A);
        two.addRecord(DnsClient.query("n1.node.consul", Type.A).getQuestion(), Section.QUESTION);
        assertEquals(Rcode.FORMERR, new Header(dns.udpRaw(two.toWire())).getRcode());
    }

    @Test
    void responsesAreIgnoredAndOtherOpcodesAreNotImplemented() throws Exception {
        Message resp = DnsClient.query("web.service.consul", Type.A);
        resp.getHeader().setFlag(Flags.QR);
        assertNull(dns.udpRaw(resp.toWire(), 300), "never answer an answer (no reflection loops)");
        Message update = DnsClient.query("web.service.consul", Type.A);
        update.getHeader().setOpcode(Opcode.UPDATE);
        assertEquals(Rcode.NOTIMP, new Header(dns.udpRaw(update.toWire())).getRcode());
        assertAnswering();
    }

    @Test
    void tcpConnectionCarriesManyQueriesInOrder() throws Exception {
        List<Message> queries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queries.add(DnsClient.query(i % 2 == 0 ? "web.service.consul" : "n1.node.consul", Type.A));
        }
        List<Message> answers = dns.tcp(queries);
        for (int i = 0; i < 20; i++) {
            assertEquals(queries.get(i).getHeader().getID(), answers.get(i).getHeader().getID());
            assertEquals(1, answers(answers.get(i)).size());
        }
    }

    @Test
    void tcpQueriesSentBackToBackAreAllAnswered() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            byte[] all = new byte[0];
            for (int i = 0; i < 5; i++) {
                byte[] w = DnsClient.query("web.service.consul", Type.A).toWire();
                byte[] framed = new byte[w.length + 2];
                framed[0] = (byte) (w.length >> 8);
                framed[1] = (byte) w.length;
                System.arraycopy(w, 0, framed, 2, w.length);
                all = concat(all, framed);
            }
            out.write(all);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < 5; i++) {
                byte[] buf = new byte[in.readUnsignedShort()];
                in.readFully(buf);
                assertEquals(1, answers(new Message(buf)).size());
            }
        }
    }

    @Test
    void tcpGarbageFrameClosesThatConnectionOnly() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(new byte[] {0, 3, 9, 9, 9});
            s.getOutputStream().flush();
            assertEquals(-1, s.getInputStream().read(), "closed by the server");
        }
        // a header that parses with a body that does not: FORMERR, and the connection stays usable
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(3000);
            byte[] cut = Arrays.copyOf(DnsClient.query("web.service.consul", Type.A).toWire(), 14);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0, (byte) cut.length});
            out.write(cut);
            byte[] good = DnsClient.query("web.service.consul", Type.A).toWire();
            out.write(new byte[] {(byte) (good.length >> 8), (byte) good.length});
            out.write(good);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] first = new byte[in.readUnsignedShort()];
            in.readFully(first);
            assertEquals(Rcode.FORMERR, new Header(first).getRcode());
            byte[] second = new byte[in.readUnsignedShort()];
            in.readFully(second);
            assertEquals(1, answers(new Message(second)).size());
        }
        assertAnswering();
    }

    @Test
    void idleTcpConnectionsAreClosed() throws Exception {
        restart(Map.of("tcp_idle_timeout", "300ms"));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
            s.setSoTimeout(3000);
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250 && millis < 2500, "closed after " + millis + " ms");
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnceWhileOthersAreServed() throws Exception {
        restart(Map.of("tcp_max_connections", 2));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), engine.port());
                held.add(s);
            }
            // the server accepts in order, so the third finds both slots taken
            try (Socket third = new Socket(InetAddress.getLoopbackAddress(), engine.port())) {
                third.setSoTimeout(3000);
                InputStream in = third.getInputStream();
                assertEquals(-1, in.read(), "over the cap: closed");
            }
            assertEquals(1, answers(dns.udp("web.service.consul", "A")).size(), "UDP unaffected");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        // slots free again
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                assertEquals(1, answers(dns.tcp("web.service.consul", "A")).size());
                break;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @org.junit.jupiter.api.AfterEach
    void defaultListeners() throws Exception {
        if (!engine.settings().sameListeners(DnsSettings.DEFAULTS.withPort(0))) {
            restart(Map.of());
        }
    }

    private void restart(Map<String, Object> config) throws Exception {
        engine.close();
        Map<String, Object> m = new java.util.HashMap<>(config);
        m.put("port", 0);
        engine = new DnsEngine(() -> agent, DnsSettings.from(m)).start();
        dns = new DnsClient(engine.port());
    }

    private void assertAnswering() throws Exception {
        assertEquals(List.of("web.service.consul. 0 IN A 10.0.0.1"), answers(dns.udp("web.service.consul", "A")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
