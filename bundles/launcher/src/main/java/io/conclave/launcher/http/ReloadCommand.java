package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.List;
import java.util.Map;

/** {@code conclave reload}: Consul's {@code command/reload}, {@code PUT /v1/agent/reload}. */
public final class ReloadCommand extends HttpCommand {

    public ReloadCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags().httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return """
                Usage: conclave reload

                  Causes the agent to reload configurations. This can be used instead
                  of sending the SIGHUP signal to the agent.
                """;
    }

    @Override
    public String synopsis() {
        return "Triggers the agent to reload configuration files";
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        if (!putOk(client, "/v1/agent/reload", Map.of(), "Error reloading")) {
            return 1;
        }
        ui.output("Configuration reload triggered");
        return 0;
    }
}
