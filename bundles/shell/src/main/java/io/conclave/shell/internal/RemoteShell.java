package io.conclave.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attach port for {@code conclave shell}: a line-oriented Gogo console on a loopback-only TCP
 * port, off unless {@code remote_port} is configured. One thread per attached operator (at most
 * {@link #MAX_SESSIONS}); this is an operator tool, not a request path.
 */
@Component(configurationPid = "io.conclave.shell", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class RemoteShell {

    static final int MAX_SESSIONS = 4;
    static final String PROMPT = "conclave> ";
    private static final Logger LOG = LoggerFactory.getLogger("agent.shell");

    private final CommandProcessor processor;
    private final ServerSocket server;
    private final Set<Socket> sessions = ConcurrentHashMap.newKeySet();

    @Activate
    public RemoteShell(@Reference CommandProcessor processor, Map<String, Object> config) throws IOException {
        this.processor = processor;
        int port = Integer.parseInt(String.valueOf(config.getOrDefault("remote_port", "0")));
        String address = String.valueOf(config.getOrDefault("remote_address", "127.0.0.1"));
        if (port <= 0) {
            server = null;
            return;
        }
        InetAddress bind = InetAddress.getByName(address);
        if (!bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("the remote shell binds only to loopback, not " + address);
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), MAX_SESSIONS);
        LOG.info("Started remote shell: address={}:{}", address, server.getLocalPort());
        Thread acceptor = new Thread(this::acceptLoop, "conclave-shell-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                if (sessions.size() >= MAX_SESSIONS) {
                    socket.getOutputStream().write("too many shell sessions\n".getBytes(StandardCharsets.UTF_8));
                    socket.close();
                    continue;
                }
                sessions.add(socket);
                Thread t = new Thread(() -> serve(socket), "conclave-shell-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("remote shell accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             PrintStream out = new PrintStream(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            CommandSession session = processor.createSession(socket.getInputStream(), out, out);
            try {
                out.print(PROMPT);
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    line = line.strip();
                    if (line.equals("exit") || line.equals("quit")) {
                        break;
                    }
                    if (!line.isEmpty()) {
                        try {
                            Object result = session.execute(line);
                            if (result != null) {
                                out.println(session.format(result, Converter.INSPECT));
                            }
                        } catch (Exception e) {
                            out.println(e.getMessage() == null ? e.toString() : e.getMessage());
                        }
                    }
                    out.print(PROMPT);
                    out.flush();
                }
            } finally {
                session.close();
            }
        } catch (IOException e) {
            LOG.debug("remote shell session ended: {}", e.getMessage());
        } finally {
            sessions.remove(socket);
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket s : sessions) {
            s.close();
        }
    }
}
