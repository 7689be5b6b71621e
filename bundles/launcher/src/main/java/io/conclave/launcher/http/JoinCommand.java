package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.List;
import java.util.Map;

/**
 * {@code conclave join [-wan] ADDR...}: Consul's {@code command/join}, one
 * {@code PUT /v1/agent/join/ADDR} per address; succeeds if any address was joined.
 */
public final class JoinCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave join [options] address ...

              Tells a running Conclave agent (with "conclave agent") to join the cluster
              by specifying at least one existing member.
            """;

    public JoinCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("wan", "Joins a server to another server in the WAN pool.")
                .httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Tell Conclave agent to join cluster";
    }

    @Override
    protected int execute(Flags flags, List<String> addrs) {
        if (addrs.isEmpty()) {
            return usageError("At least one address to join must be specified.");
        }
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        Map<String, String> query = flags.getBool("wan") ? Map.of("wan", "1") : Map.of();
        int joins = 0;
        for (String addr : addrs) {
            if (putOk(client, "/v1/agent/join/" + AgentClient.escapeSegment(addr), query,
                    "Error joining address '" + addr + "'")) {
                joins++;
            }
        }
        if (joins == 0) {
            ui.error("Failed to join any nodes.");
            return 1;
        }
        ui.output("Successfully joined cluster by contacting " + joins + " nodes.");
        return 0;
    }
}
