package io.conclave.dns.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * A stand-in for an upstream resolver on 127.0.0.1 (UDP and TCP, one port): answers each query with
 * what {@code answer} makes of it; {@code null} means stay silent. With {@link #truncateUdp} it answers
 * UDP with an empty TC message so the asker must come back over TCP.
 */
final class FakeUpstream implements AutoCloseable {

    final AtomicInteger udpQueries = new AtomicInteger();
    final AtomicInteger tcpQueries = new AtomicInteger();
    volatile boolean truncateUdp;
    volatile Function<Message, Message> answer;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean closed;

    FakeUpstream(Function<Message, Message> answer) throws IOException {
        this.answer = answer;
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int i = 0; i < 10 && t == null; i++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 16, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                u.close();
            }
        }
        this.udp = u;
        this.tcp = t;
        Thread ut = new Thread(this::serveUdp, "fake-upstream-udp");
        ut.setDaemon(true);
        ut.start();
        Thread tt = new Thread(this::serveTcp, "fake-upstream-tcp");
        tt.setDaemon(true);
        tt.start();
    }

    /** A reply to {@code q} with the given records (zone-file text) in the answer. */
    static Message reply(Message q, int rcode, String... records) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RD);
        r.getHeader().setFlag(Flags.RA);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        for (String text : records) {
            try {
                String[] f = text.split(" ", 5);
                r.addRecord(org.xbill.DNS.Record.fromString(org.xbill.DNS.Name.fromString(f[0]),
                        org.xbill.DNS.Type.value(f[3]), org.xbill.DNS.DClass.IN, Long.parseLong(f[1]), f[4], null),
                        Section.ANSWER);
            } catch (IOException e) {
                throw new IllegalArgumentException(text, e);
            }
        }
        return r;
    }

    String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                udpQueries.incrementAndGet();
                byte[] in = java.util.Arrays.copyOf(buf, p.getLength());
                Message q = new Message(in);
                Message r = answer.apply(q);
                if (r == null) {
                    continue;
                }
                if (truncateUdp) {
                    Message t = new Message(q.getHeader().getID());
                    t.getHeader().setFlag(Flags.QR);
                    t.getHeader().setFlag(Flags.TC);
                    t.addRecord(q.getQuestion(), Section.QUESTION);
                    r = t;
                }
                byte[] out = r.toWire();
                udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(2000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                tcpQueries.incrementAndGet();
                Message r = answer.apply(new Message(q));
                if (r == null) {
                    continue;
                }
                byte[] out = r.toWire();
                OutputStream os = s.getOutputStream();
                os.write(out.length >> 8);
                os.write(out.length);
                os.write(out);
                os.flush();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        udp.close();
        tcp.close();
    }
}
