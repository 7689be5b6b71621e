package io.conclave.launcher.http;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.List;
import java.util.Map;

/** {@code conclave leave}: {@code PUT /v1/agent/leave}, which makes the agent stop. */
public final class LeaveCommand implements Command {

    private static final String HELP = """
            Usage: conclave leave [options]

              Causes the agent to gracefully leave the Conclave cluster and shutdown.
            """;

    private final Ui ui;
    private final Map<String, String> env;

    public LeaveCommand(Ui ui, Map<String, String> env) {
        this.ui = ui;
        this.env = env;
    }

    private static Flags flags() {
        return new Flags().httpClientFlags(false);
    }

    @Override
    public String synopsis() {
        return "Gracefully leaves the Conclave cluster and shuts down";
    }

    @Override
    public String help() {
        return flags().usage(HELP);
    }

    @Override
    public int run(List<String> args) {
        Flags flags = flags();
        List<String> rest;
        try {
            rest = flags.parse(args);
        } catch (FlagException e) {
            return Commands.flagError(ui, e, help());
        }
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
