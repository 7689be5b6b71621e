package io.conclave.dns.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Asks a DNS server over plain sockets (dnsjava's resolvers would register a shutdown hook). */
final class DnsClient {

    static final int TIMEOUT_MS = 3000;

    private final InetSocketAddress server;

    DnsClient(int port) {
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type,
                    DClass.IN));
        } catch (IOException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** A query carrying an OPT record advertising {@code udpSize}. */
    static Message edns(String name, int type, int udpSize) {
        Message m = query(name, type);
        m.addRecord(new OPTRecord(udpSize, 0, 0), Section.ADDITIONAL);
        return m;
    }

    Message udp(String name, String type) throws IOException {
        return udp(query(name, Type.value(type)));
    }

    Message tcp(String name, String type) throws IOException {
        return tcp(query(name, Type.value(type)));
    }

    Message udp(Message query) throws IOException {
        byte[] answer = udpRaw(query.toWire());
        if (answer == null) {
            throw new IOException("no answer within " + TIMEOUT_MS + " ms");
        }
        return new Message(answer);
    }

    /** The raw answer to a datagram, or {@code null} when none came within {@code timeoutMs}. */
    byte[] udpRaw(byte[] packet, int timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(server);
            s.setSoTimeout(timeoutMs);
            s.send(new DatagramPacket(packet, packet.length));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            byte[] out = new byte[p.getLength()];
            System.arraycopy(buf, 0, out, 0, out.length);
            return out;
        }
    }

    /** Sends a datagram without waiting for any answer. */
    void udpSend(byte[] packet) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(packet, packet.length, server));
        }
    }

    byte[] udpRaw(byte[] packet) throws IOException {
        return udpRaw(packet, TIMEOUT_MS);
    }

    Message tcp(Message query) throws IOException {
        return tcp(List.of(query)).get(0);
    }

    /** Several queries down one connection, answers read in order. */
    List<Message> tcp(List<Message> queries) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            List<Message> answers = new ArrayList<>();
            for (Message q : queries) {
                byte[] wire = q.toWire();
                out.write(wire.length >> 8);
                out.write(wire.length);
                out.write(wire);
                out.flush();
                int len = in.readUnsignedShort();
                byte[] buf = new byte[len];
                in.readFully(buf);
                answers.add(new Message(buf));
            }
            return answers;
        }
    }

    /** The answer section as zone-file lines (owner, TTL, class, type, data), for readable assertions. */
    static List<String> lines(Message m, int section) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(section)) {
            if (r.getType() != Type.OPT) {
                out.add(r.toString().replace('\t', ' ').replaceAll(" +", " "));
            }
        }
        return out;
    }
}
