package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conclave force-leave [-prune] [-wan] NODE}: Consul's {@code command/forceleave}, over
 * {@code PUT /v1/agent/force-leave/NODE}; prints nothing when it succeeds.
 */
public final class ForceLeaveCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave force-leave [options] name

              Forces a member of a Conclave cluster to enter the "left" state. Note
              that if the member is still actually alive, it will eventually rejoin
              the cluster. This command is most useful for cleaning out "failed" nodes
              that are never coming back. If you do not force leave a failed node,
              Conclave will attempt to reconnect to those failed nodes for some period of
              time before eventually reaping them.
            """;

    public ForceLeaveCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("prune", "Remove agent completely from list of members")
                .bool("wan", "Exclusively leave the agent from the WAN serf pool.")
                .httpClientFlags(true);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Forces a member of the cluster to enter the \"left\" state";
    }

    @Override
    protected int execute(Flags flags, List<String> nodes) {
        if (nodes.size() != 1) {
            return usageError("A single node name must be specified to force leave.");
        }
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (flags.getBool("prune")) {
            query.put("prune", "1");
        }
        if (flags.getBool("wan")) {
            query.put("wan", "1");
        }
        boolean left = putOk(client, "/v1/agent/force-leave/" + AgentClient.escapeSegment(nodes.get(0)), query,
                "Error force leaving");
        return left ? 0 : 1;
    }
}
