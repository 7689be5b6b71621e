package io.conclave.dns.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Forwards questions outside the domain to the configured {@code recursors}, in order, as Consul's
 * {@code handleRecurse} does: an upstream that times out, fails, or answers anything but NOERROR or
 * NXDOMAIN is skipped for the next one.
 *
 * <p>It speaks DNS over plain JDK sockets on purpose: dnsjava's resolvers register a JVM shutdown hook
 * that would outlive this bundle. Each attempt uses a fresh random ID and accepts only an answer with
 * that ID, the QR bit and the same question, from the upstream it asked.
 */
final class Recursor {

    private static final Logger LOG = LoggerFactory.getLogger("agent.dns");
    private static final int MAX_MESSAGE = 65535;

    private final List<InetSocketAddress> upstreams;
    private final Duration timeout;
    private final Random ids = new SecureRandom();

    Recursor(List<InetSocketAddress> upstreams, Duration timeout) {
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
    }

    boolean enabled() {
        return !upstreams.isEmpty();
    }

    /**
     * Asks each upstream in turn. Over UDP first unless the client came over TCP; a truncated UDP answer
     * is asked again over TCP.
     *
     * @param query the client's message as received (its ID is replaced on the wire)
     * @return the first acceptable answer, its ID still the upstream one; {@code null} when all failed
     */
    Message forward(byte[] query, Message parsed, boolean clientTcp) {
        Record question = parsed.getQuestion();
        for (InetSocketAddress upstream : upstreams) {
            Message r = exchange(query, question, upstream, clientTcp);
            if (r == null) {
                continue;
            }
            int rcode = r.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                LOG.debug("recurse failed for question: question={} recursor={} rcode={}", question, upstream,
                        Rcode.string(rcode));
                continue;
            }
            LOG.debug("recurse succeeded for question: question={} recursor={}", question, upstream);
            return r;
        }
        LOG.error("all resolvers failed for question: question={}", question);
        return null;
    }

    /** A and AAAA (or CNAME) records for a name outside the domain (a service's host name address). */
    List<Record> resolve(Name name, int type) {
        Record q = Record.newRecord(name, type, DClass.IN);
        Message m = Message.newQuery(q);
        byte[] wire = m.toWire();
        for (InetSocketAddress upstream : upstreams) {
            Message r = exchange(wire, q, upstream, false);
            if (r != null && r.getRcode() == Rcode.NOERROR) {
                return r.getSection(Section.ANSWER);
            }
        }
        return List.of();
    }

    private Message exchange(byte[] query, Record question, InetSocketAddress upstream, boolean tcp) {
        int id = ids.nextInt(0x10000);
        byte[] out = query.clone();
        out[0] = (byte) (id >> 8);
        out[1] = (byte) id;
        try {
            if (!tcp) {
                Message r = udp(out, id, question, upstream);
                if (r == null || !r.getHeader().getFlag(Flags.TC)) {
                    return r;
                }
                try {
                    Message full = tcp(out, id, question, upstream);
                    return full != null ? full : r;
                } catch (IOException e) {
                    LOG.debug("recurse over TCP after a truncated answer failed: recursor={} error={}", upstream,
                            e.toString());
                    return r;
                }
            }
            return tcp(out, id, question, upstream);
        } catch (IOException e) {
            LOG.error("recurse failed: recursor={} error={}", upstream, e.toString());
            return null;
        }
    }

    private Message udp(byte[] out, int id, Record question, InetSocketAddress upstream) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(upstream);
            socket.send(new DatagramPacket(out, out.length));
            byte[] buf = new byte[MAX_MESSAGE];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message r = accept(buf, p.getLength(), id, question);
                if (r != null) {
                    return r;
                }
            }
        }
    }

    private Message tcp(byte[] out, int id, Record question, InetSocketAddress upstream) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(upstream, millis);
            socket.setSoTimeout(millis);
            OutputStream os = socket.getOutputStream();
            byte[] framed = new byte[out.length + 2];
            framed[0] = (byte) (out.length >> 8);
            framed[1] = (byte) out.length;
            System.arraycopy(out, 0, framed, 2, out.length);
            os.write(framed);
            os.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int len = in.readUnsignedShort();
            byte[] buf = new byte[len];
            in.readFully(buf);
            Message r = accept(buf, len, id, question);
            if (r == null) {
                throw new IOException("unacceptable answer over TCP");
            }
            return r;
        }
    }

    private static Message accept(byte[] buf, int len, int id, Record question) {
        if (len < 12 || ((buf[0] & 0xFF) << 8 | (buf[1] & 0xFF)) != id) {
            return null;
        }
        try {
            byte[] exact = new byte[len];
            System.arraycopy(buf, 0, exact, 0, len);
            Message r = new Message(exact);
            Record q = r.getQuestion();
            if (!r.getHeader().getFlag(Flags.QR) || q == null || !q.getName().equals(question.getName())
                    || q.getType() != question.getType()) {
                return null;
            }
            return r;
        } catch (IOException | RuntimeException e) {
            LOG.debug("unparsable answer from recursor: {}", e.toString());
            return null;
        }
    }
}
