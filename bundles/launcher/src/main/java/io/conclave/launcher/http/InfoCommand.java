package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.json.Json;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code conclave info}: Consul's {@code command/info}: the {@code Stats} of
 * {@code GET /v1/agent/self}, one {@code section:} per key and a tab-indented {@code key = value}
 * per entry, both sorted. Whatever sections the agent returns are printed.
 */
public final class InfoCommand extends HttpCommand {

    public InfoCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags().httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return """
                Usage: conclave info [options]

                  Provides debugging information for operators
                """;
    }

    @Override
    public String synopsis() {
        return "Provides debugging information for operators.";
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        Object self;
        try {
            self = json(client.get("/v1/agent/self", Map.of()));
        } catch (AgentClient.AgentException e) {
            ui.error("Error querying agent: " + e.getMessage());
            return 1;
        }
        Object stats = self instanceof Map<?, ?> m ? m.get("Stats") : null;
        if (!(stats instanceof Map<?, ?> sections)) {
            ui.error("Agent response did not contain 'Stats' key: " + Json.write(self));
            return 1;
        }
        for (Map.Entry<String, Object> section : sorted(sections).entrySet()) {
            ui.output(section.getKey() + ":");
            if (!(section.getValue() instanceof Map<?, ?> values)) {
                ui.error("Got invalid subkey in stats: " + Json.write(section.getValue()));
                return 1;
            }
            for (Map.Entry<String, Object> e : sorted(values).entrySet()) {
                Object v = e.getValue();
                ui.output("\t" + e.getKey() + " = " + (v instanceof String s ? s : Json.write(v)));
            }
        }
        return 0;
    }

    private static Map<String, Object> sorted(Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
