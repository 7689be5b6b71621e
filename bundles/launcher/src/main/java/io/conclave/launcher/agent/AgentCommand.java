package io.conclave.launcher.agent;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.http.Commands;

import java.util.List;

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
        "serf-lan-bind", "serf-wan-bind", "serf-lan-allowed-cidrs", "serf-wan-allowed-cidrs", "ui-dir",
        "ui-content-path", "disable-keyring-file", "https-port", "grpc-port", "grpc-tls-port", "log-json", "log-file",
        "log-rotate-bytes", "log-rotate-duration", "log-rotate-max-files", "syslog", "pid-file", "protocol",
        "raft-protocol", "default-query-time", "max-query-time", "check_output_max_size", "auto-reload-config",
        "primary-gateway", "disable-host-node-id", "segment", "non-voting-server", "read-replica",
        "dev-no-store-state", "data-center", "dc", "client-addr", "sidecar-min-port", "sidecar-max-port",
        "expose-min-port", "expose-max-port", "allow-write-http-from",
    };

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
                .list("node-meta", "key:value", "An arbitrary metadata key/value pair for this node, of the "
                        + "format `key:value`. Can be specified multiple times.")
                .string("datacenter", "value", "dc1", "Datacenter of the agent. The default is dc1.")
                .string("client", "value", "127.0.0.1", "Sets the address to bind for client access (HTTP, DNS). "
                        + "The default is 127.0.0.1; separate several addresses with spaces.")
                .string("bind", "value", "0.0.0.0", "Sets the bind address for cluster communication "
                        + "(127.0.0.1 in -dev).")
                .string("advertise", "value", "", "Sets the advertise address to use. Defaults to the bind "
                        + "address, or the private IPv4 address when binding to 0.0.0.0.")
                .string("advertise-wan", "value", "", "Sets address to advertise on WAN instead of -advertise "
                        + "address.")
                .bool("server", "Switches agent to server mode (a -dev agent is always a server). Without "
                        + "-server or -dev the agent is a client.")
                .bool("bootstrap", "Sets server to bootstrap mode.")
                .integer("bootstrap-expect", "int", "0", "Sets server to expect bootstrap mode. Only 0 or 1 for "
                        + "now (a single server); not allowed in -dev.")
                .list("join", "value", "Address of an agent to join at start time. Can be specified multiple "
                        + "times.")
                .list("retry-join", "value", "Address of an agent to join at start time with retries enabled. "
                        + "Can be specified multiple times.")
                .duration("retry-interval", "duration", "30s", "Time to wait between join attempts.")
                .integer("retry-max", "int", "0", "Maximum number of join attempts. Defaults to 0, which will "
                        + "retry indefinitely.")
                .list("join-wan", "value", "Address of an agent to join -wan at start time. Can be specified "
                        + "multiple times.")
                .list("retry-join-wan", "value", "Address of an agent to join -wan at start time with retries "
                        + "enabled. Can be specified multiple times.")
                .duration("retry-interval-wan", "duration", "30s", "Time to wait between join -wan attempts.")
                .integer("retry-max-wan", "int", "0", "Maximum number of join -wan attempts. Defaults to 0, which "
                        + "will retry indefinitely.")
                .bool("rejoin", "Ignores a previous leave and attempts to rejoin the cluster.")
                .string("encrypt", "value", "", "Provides the gossip encryption key (base64 of 16, 24 or 32 bytes; "
                        + "see `conclave keygen`).")
                .integer("http-port", "int", "8500", "Sets the HTTP API port to listen on. The default is 8500.")
                .integer("dns-port", "int", "8600", "DNS port to use. The default is 8600; -1 disables DNS.")
                .integer("server-port", "int", "8300", "Sets the server port to listen on.")
                .integer("serf-lan-port", "int", "8301", "Sets the Serf LAN port to listen on.")
                .integer("serf-wan-port", "int", "8302", "Sets the Serf WAN port to listen on.")
                .string("domain", "value", "consul.", "Domain to use for DNS interface.")
                .string("alt-domain", "value", "", "Alternate domain to use for DNS interface.")
                .list("recursor", "value", "Address of an upstream DNS server. Can be specified multiple times.")
                .bool("enable-script-checks", "Enables health check scripts.")
                .bool("enable-local-script-checks", "Enables health check scripts from configuration file.")
                .bool("ui", "Enables the built-in static web UI server (accepted; there is no UI in this version "
                        + "of Conclave yet).")
                .string("log-level", "value", "info", "Log level of the agent: trace, debug, info, warn or err. "
                        + "The default is info.")
                .listInto("config", "config-file", "value", "Path to a file in JSON or HCL format with a matching "
                        + "file extension. Can be specified multiple times.")
                .listInto("config", "config-dir", "value", "Path to a directory to read configuration files "
                        + "from. This will read every file ending in '.json' or '.hcl' as configuration in this "
                        + "directory in alphabetical order. Can be specified multiple times.")
                .string("config-format", "value", "", "Config files are in this format irrespective of their "
                        + "extension. Must be 'hcl' or 'json'")
                .list("hcl", "value", "hcl config fragment. Can be specified multiple times.")
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
            config = ConfigBuilder.build(flags,
                    new ConfigBuilder.Options(ConfigBuilder.Mode.RUN, NodeIdentity::hostname, null));
        } catch (FlagException e) {
            return Commands.flagError(ui, e, help());
        } catch (ConfigException e) {
            ui.error("==> " + e.getMessage());
            return 1;
        }
        Reloader reloader = new Reloader(List.copyOf(args), config);
        return new FrameworkRunner(config, Home.find(), ui, reloader).run();
    }

}
