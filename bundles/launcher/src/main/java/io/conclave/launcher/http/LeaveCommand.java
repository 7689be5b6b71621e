package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.List;
import java.util.Map;

/** {@code conclave leave}: {@code PUT /v1/agent/leave}, which makes the agent stop. */
public final class LeaveCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave leave [options]

              Causes the agent to gracefully leave the Conclave cluster and shutdown.
            """;

    public LeaveCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags().httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Gracefully leaves the Conclave cluster and shuts down";
    }

    @Override
    protected int execute(Flags flags, List<String> rest) {
        if (!rest.isEmpty()) {
            ui.error("Error found unexpected args: [" + String.join(" ", rest) + "]");
            ui.output(help());
            return 1;
        }
        try {
            AgentClient client = AgentClient.fromFlags(flags, env);
            AgentClient.Response r = client.put("/v1/agent/leave", Map.of(), new byte[0]);
            AgentClient.requireOk(r);
        } catch (AgentClient.AgentException e) {
            ui.error("Error leaving: " + e.getMessage());
            return 1;
        }
        ui.output("Graceful leave complete");
        return 0;
    }
}
