package io.conclave.launcher.agent;

import io.conclave.launcher.BuildInfo;
import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code conclave agent}: merges defaults, config files and flags into an {@link AgentConfig},
 * prints Consul's banner and hands over to {@link FrameworkRunner}, which boots Felix.
 */
public final class AgentCommand implements Command {

    static final String HELP = """
            Usage: conclave agent [options]

              Starts the Conclave agent and runs until an interrupt is received. The
              agent represents a single node in a cluster.
            """;

    /** Consul agent flags that Conclave does not implement yet. */
    static final String[] UNSUPPORTED = {
        "server", "bootstrap", "bootstrap-expect", "node-meta", "domain", "alt-domain", "bind", "advertise",
        "advertise-wan", "serf-lan-bind", "serf-wan-bind", "serf-lan-allowed-cidrs", "serf-wan-allowed-cidrs",
        "config-format", "hcl", "join", "retry-join", "retry-interval", "retry-max", "join-wan",
        "retry-join-wan", "retry-interval-wan", "retry-max-wan", "rejoin", "ui", "ui-dir", "ui-content-path",
        "encrypt", "disable-keyring-file", "enable-script-checks", "enable-local-script-checks", "dns-port",
        "https-port", "grpc-port", "grpc-tls-port", "serf-lan-port", "serf-wan-port", "server-port",
        "recursor", "log-json", "log-file", "log-rotate-bytes", "log-rotate-duration", "log-rotate-max-files",
        "syslog", "pid-file", "protocol", "raft-protocol", "default-query-time", "max-query-time",
        "check_output_max_size", "auto-reload-config", "primary-gateway", "disable-host-node-id", "segment",
        "non-voting-server", "read-replica", "dev-no-store-state", "data-center", "dc", "client-addr",
        "sidecar-min-port", "sidecar-max-port", "expose-min-port", "expose-max-port", "allow-write-http-from",
    };

    private static final Pattern DATACENTER = Pattern.compile("^[a-z0-9_-]+$");
    private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "err");

    private final Ui ui;

    public AgentCommand(Ui ui) {
        this.ui = ui;
    }

    static Flags flags() {
        return new Flags()
                .bool("dev", "Starts the agent in development mode: an in-memory server that is its own "
                        + "leader, bound to 127.0.0.1.")
                .string("node", "value", "", "Name of this node. Must be unique in the cluster. Defaults to the "
                        + "host name.")
                .string("node-id", "value", "", "A unique ID for this node across space and time. Defaults to "
                        + "a randomly-generated ID that persists in the data-dir.")
                .string("datacenter", "value", "dc1", "Datacenter of the agent. The default is dc1.")
                .string("client", "value", "127.0.0.1", "Sets the address to bind for client access (HTTP). The default "
                        + "is 127.0.0.1; separate several addresses with spaces.")
                .integer("http-port", "int", "8500", "Sets the HTTP API port to listen on. The default is 8500.")
                .string("log-level", "value", "info", "Log level of the agent: trace, debug, info, warn or err. "
                        + "The default is info.")
                .listInto("config", "config-file", "value", "Path to a file in JSON format to read "
                        + "configuration from. This can be specified multiple times.")
                .listInto("config", "config-dir", "value", "Path to a directory to read configuration files "
                        + "from. Files ending in .json are read in lexical order. This can be specified "
                        + "multiple times.")
                .string("data-dir", "path", "", "Path to a data directory to store agent state.")
                .bool("shell", "Runs the Gogo shell of the agent in the foreground, on this terminal.")
                .integer("shell-port", "int", "0", "Serves the Gogo shell on this loopback port for "
                        + "`conclave shell -addr`. 0 (the default) turns it off.")
                .unsupported(UNSUPPORTED);
    }

    @Override
    public String synopsis() {
        return "Runs a Conclave agent";
    }

    @Override
    public String help() {
        return flags().usage(HELP);
    }

    @Override
    public int run(List<String> args) {
        Flags flags = flags();
        AgentConfig config;
        try {
            List<String> rest = flags.parse(args);
            if (!rest.isEmpty()) {
                ui.error("==> config: Unknown extra arguments: [" + String.join(" ", rest) + "]");
                return 1;
            }
            Map<String, Object> fromFiles = ConfigFiles.load(flags.getList("config"));
            config = build(flags, fromFiles, NodeIdentity::hostname);
        } catch (FlagException e) {
            if (!e.getMessage().isEmpty()) {
                ui.error(e.getMessage());
            }
            if (e.showUsage()) {
                ui.error(help());
            }
            return 1;
        } catch (ConfigFiles.ConfigException e) {
            ui.error("==> " + e.getMessage());
            return 1;
        }
        return new FrameworkRunner(config, Home.find(), ui).run();
    }

    /**
     * Merges defaults, then the config files' values, then flags (Consul's order), and validates
     * the result.
     */
    static AgentConfig build(Flags flags, Map<String, Object> files, Supplier<String> hostname)
            throws ConfigFiles.ConfigException {
        boolean dev = flags.getBool("dev");

        String datacenter = pick(flags, "datacenter", files, "datacenter", "dc1").toLowerCase(Locale.ROOT);
        if (datacenter.isEmpty()) {
            throw new ConfigFiles.ConfigException("datacenter cannot be empty");
        }
        if (!DATACENTER.matcher(datacenter).matches()) {
            throw new ConfigFiles.ConfigException(
                    "datacenter cannot be \"" + datacenter + "\". Please use only [a-z0-9-_].");
        }

        String dataDir = pick(flags, "data-dir", files, "data_dir", "");
        if (dataDir.isEmpty() && !dev) {
            throw new ConfigFiles.ConfigException("data_dir cannot be empty");
        }

        String nodeName = pick(flags, "node", files, "node_name", "");
        if (nodeName.isEmpty()) {
            nodeName = hostname.get();
        }
        if (nodeName.isEmpty()) {
            throw new ConfigFiles.ConfigException("node_name cannot be empty");
        }

        String logLevel = pick(flags, "log-level", files, "log_level", "info").toLowerCase(Locale.ROOT);
        if (logLevel.equals("error")) {
            logLevel = "err";
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigFiles.ConfigException("Invalid log level: \"" + pick(flags, "log-level", files,
                    "log_level", "") + "\". Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
        }

        String client = pick(flags, "client", files, "client_addr", "127.0.0.1").strip();
        if (client.isEmpty()) {
            client = "127.0.0.1";
        }
        List<String> clientAddrs = Arrays.asList(client.split("\\s+"));

        long httpPort = flags.isSet("http-port") ? flags.getLong("http-port", 8500)
                : ((Number) files.getOrDefault("http_port", 8500)).longValue();
        if (httpPort < 1 || httpPort > 65535) {
            throw new ConfigFiles.ConfigException("ports.http: invalid port " + httpPort
                    + " (HTTP cannot be disabled in this version of Conclave)");
        }
        long shellPort = flags.getLong("shell-port", 0);
        if (shellPort < 0 || shellPort > 65535) {
            throw new ConfigFiles.ConfigException("-shell-port: invalid port " + shellPort);
        }

        String nodeId = pick(flags, "node-id", files, "node_id", "").toLowerCase(Locale.ROOT);
        if (!nodeId.isEmpty() && !NodeIdentity.isValid(nodeId)) {
            throw new ConfigFiles.ConfigException("node_id: invalid node ID \"" + nodeId
                    + "\": it must be a UUID such as 41958888-acfb-fe9e-13ae-a3b8f8534b2a");
        }

        if (!dev) {
            throw new ConfigFiles.ConfigException("Only -dev mode is supported by this version of Conclave: "
                    + "run `conclave agent -dev` (a persistent agent with -data-dir comes later)");
        }
        if (nodeId.isEmpty()) {
            try {
                nodeId = dev ? NodeIdentity.random() : NodeIdentity.persisted(Path.of(dataDir));
            } catch (IOException e) {
                throw new ConfigFiles.ConfigException("Error reading node ID: " + e.getMessage());
            }
        }

        return new AgentConfig(dev, nodeName, nodeId, datacenter, dataDir, clientAddrs, "127.0.0.1",
                (int) httpPort, 8600, 8300, 8301, 8302, logLevel, flags.getBool("shell"), (int) shellPort,
                BuildInfo.version(), BuildInfo.revision());
    }

    private static String pick(Flags flags, String flag, Map<String, Object> files, String key, String fallback) {
        if (flags.isSet(flag)) {
            return flags.getString(flag, fallback);
        }
        Object v = files.get(key);
        return v == null ? fallback : (String) v;
    }
}
