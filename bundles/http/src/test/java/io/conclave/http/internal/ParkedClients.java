package io.conclave.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The client side of {@link ManyParkedReadsTest}, run in its own JVM (each process gets its own file
 * descriptor limit): opens {@code count} connections, {@code perIp} from each of 127.1.x.y so that no
 * source address passes {@code max_conns_per_client}, sends one blocking read on each, prints
 * {@code READY}, then counts the answers: {@code DONE ok=<200 with an index above the one asked> bad=<other>}.
 */
public final class ParkedClients {

    private static final class Conn {
        final ByteBuffer out;
        final java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        boolean done;

        Conn(byte[] request) {
            out = ByteBuffer.wrap(request);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int perIp = Integer.parseInt(args[2]);
        String target = args[3];
        long askedIndex = Long.parseLong(args[4]);
        long deadline = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);

        Selector selector = Selector.open();
        List<SocketChannel> all = new ArrayList<>();
        int ok = 0;
        int bad = 0;
        int batch = 500;
        for (int start = 0; start < count; start += batch) {
            int pending = 0;
            for (int i = start; i < Math.min(count, start + batch); i++) {
                int source = i / perIp;
                String ip = "127.1." + (source / 250) + "." + (source % 250 + 1);
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.bind(new InetSocketAddress(ip, 0));
                all.add(ch);
                Conn c = new Conn(request);
                if (ch.connect(server)) {
                    ch.register(selector, SelectionKey.OP_WRITE, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
                pending++;
            }
            while (pending > 0) {
                if (System.nanoTime() > deadline) {
                    System.out.println("FAILED connecting: " + pending + " pending");
                    System.exit(2);
                }
                selector.select(1000);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    SocketChannel ch = (SocketChannel) key.channel();
                    Conn c = (Conn) key.attachment();
                    if (key.isConnectable() && ch.finishConnect()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                    }
                    if (key.isValid() && key.isWritable()) {
                        ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                            pending--;
                        }
                    }
                    if (key.isValid() && key.isReadable()) {
                        // An early answer (a refusal): count it now.
                        int r = read(ch, c);
                        if (r < 0) {
                            bad++;
                            c.done = true;
                            key.cancel();
                            ch.close();
                        }
                    }
                }
            }
        }
        System.out.println("READY " + all.size());
        System.out.flush();

        int answered = bad;
        while (answered < count && System.nanoTime() < deadline) {
            selector.select(1000);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (!key.isValid() || !key.isReadable()) {
                    continue;
                }
                SocketChannel ch = (SocketChannel) key.channel();
                Conn c = (Conn) key.attachment();
                if (read(ch, c) < 0 && !c.done) {
                    c.done = true;
                    answered++;
                    if (isWoken(c.in.toString(StandardCharsets.ISO_8859_1), askedIndex)) {
                        ok++;
                    } else {
                        bad++;
                        if (bad <= 3) {
                            System.out.println("BAD " + c.in.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
                        }
                    }
                    key.cancel();
                    ch.close();
                }
            }
        }
        System.out.println("DONE ok=" + ok + " bad=" + bad + " missing=" + (count - answered));
        System.out.flush();
        System.exit(0);
    }

    private static int read(SocketChannel ch, Conn c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int n;
        try {
            while ((n = ch.read(buf)) > 0) {
                c.in.write(buf.array(), 0, n);
                buf.clear();
            }
        } catch (IOException reset) {
            return -1;
        }
        return n;
    }

    private static boolean isWoken(String response, long askedIndex) {
        if (!response.startsWith("HTTP/1.1 200")) {
            return false;
        }
        for (String line : response.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("x-consul-index:")) {
                return Long.parseLong(line.substring(15).trim()) > askedIndex;
            }
        }
        return false;
    }
}
