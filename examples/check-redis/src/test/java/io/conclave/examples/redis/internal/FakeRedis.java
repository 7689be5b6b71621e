package io.conclave.examples.redis.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny Redis for tests: parses RESP commands (arrays of bulk strings) and answers AUTH and PING as
 * Redis 7 does, or misbehaves on request. It records every command it received.
 */
final class FakeRedis implements AutoCloseable {

    enum Mode { NORMAL, SILENT, HANG_UP, LOADING }

    final BlockingQueue<List<String>> commands = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final Mode mode;
    private final String password;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Socket> clients = new ArrayList<>();

    FakeRedis(Mode mode, String password) throws IOException {
        this.mode = mode;
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-redis");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (clients) {
                    clients.add(s);
                }
                Thread t = new Thread(() -> serve(s), "fake-redis-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (mode == Mode.HANG_UP) {
                return;
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean authed = password == null;
            while (true) {
                List<String> cmd = readCommand(in);
                if (cmd == null) {
                    return;
                }
                commands.add(cmd);
                String reply;
                String name = cmd.get(0).toUpperCase();
                if (mode == Mode.SILENT) {
                    closed.await(30, TimeUnit.SECONDS);
                    return;
                } else if (name.equals("AUTH")) {
                    String given = cmd.get(cmd.size() - 1);
                    if (password == null) {
                        reply = "-ERR AUTH <password> called without any password configured for the default user. "
                                + "Are you sure your configuration is correct?";
                    } else if (given.equals(password) && (cmd.size() == 2 || cmd.get(1).equals("default"))) {
                        authed = true;
                        reply = "+OK";
                    } else {
                        reply = "-WRONGPASS invalid username-password pair or user is disabled.";
                    }
                } else if (!authed) {
                    reply = "-NOAUTH Authentication required.";
                } else if (mode == Mode.LOADING) {
                    reply = "-LOADING Redis is loading the dataset in memory";
                } else if (name.equals("PING")) {
                    reply = "+PONG";
                } else {
                    reply = "-ERR unknown command '" + cmd.get(0) + "'";
                }
                out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** One RESP array of bulk strings, or null at end of stream. */
    private static List<String> readCommand(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        if (!header.startsWith("*")) {
            throw new IOException("not a RESP array: " + header);
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String len = line(in);
            if (len == null || !len.startsWith("$")) {
                throw new IOException("not a bulk string: " + len);
            }
            byte[] data = in.readNBytes(Integer.parseInt(len.substring(1)));
            if (in.read() != '\r' || in.read() != '\n') {
                throw new IOException("bulk string not followed by CRLF");
            }
            args.add(new String(data, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF");
                }
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        synchronized (clients) {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
