package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * {@code conclave shell}: attaches this terminal to the Gogo shell that an agent started with
 * {@code -shell-port=PORT} serves on loopback. Lines typed go to the agent; whatever it sends
 * (prompt, output) is copied to standard output, until either side closes.
 */
public final class ShellCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave shell [options]

              Attaches to the Gogo shell of a running agent. The agent must have been
              started with -shell-port=PORT; the shell listens on 127.0.0.1 only.

                  $ conclave agent -dev -shell-port=8700
                  $ conclave shell -addr=127.0.0.1:8700

              The address can also be given with the CONCLAVE_SHELL_ADDR environment
              variable. Type "exit" or end the input (Ctrl-D) to detach.
            """;

    public ShellCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags().string("addr", "address", "",
                "The host:port (or just the port, on 127.0.0.1) of the agent's shell, as set with the "
                        + "agent's -shell-port flag.");
    }

    @Override
    public String synopsis() {
        return "Attaches to the Gogo shell of a running agent";
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    protected int execute(Flags flags, List<String> rest) {
        if (!rest.isEmpty()) {
            ui.error("Too many arguments (expected 0, got " + rest.size() + ")");
            return 1;
        }
        String addr = flags.getString("addr", env.getOrDefault("CONCLAVE_SHELL_ADDR", ""));
        if (addr.isEmpty()) {
            ui.error("Error! Missing -addr: start the agent with -shell-port=PORT and pass -addr=127.0.0.1:PORT");
            return 1;
        }
        String host = "127.0.0.1";
        String portText = addr;
        int colon = addr.lastIndexOf(':');
        if (colon >= 0) {
            host = addr.substring(0, colon).isEmpty() ? host : addr.substring(0, colon);
            portText = addr.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            ui.error("Error! Invalid -addr " + addr + ": expected host:port");
            return 1;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            return pipe(socket, ui.in(), ui.out());
        } catch (IOException e) {
            ui.error("Error connecting to the Conclave shell at " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }

    /** Copies in→socket on a daemon thread and socket→out here, until the agent closes. */
    static int pipe(Socket socket, InputStream in, OutputStream out) throws IOException {
        OutputStream toAgent = socket.getOutputStream();
        Thread writer = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    toAgent.write(buf, 0, n);
                    toAgent.flush();
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // the agent went away; the reader below sees it too
            }
        }, "conclave-shell-stdin");
        writer.setDaemon(true);
        writer.start();
        InputStream fromAgent = socket.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        try {
            while ((n = fromAgent.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection reset: treat as closed
        }
        out.flush();
        return 0;
    }
}
