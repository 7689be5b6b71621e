package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code conclave event -name NAME [-node RE] [-service RE] [-tag RE] [PAYLOAD]}: Consul's
 * {@code command/event}, over {@code PUT /v1/event/fire/NAME}; prints {@code Event ID: <id>}.
 */
public final class EventCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave event [options] [payload]

              Dispatches a custom user event across a datacenter. An event must provide
              a name, but a payload is optional. Events support filtering using
              regular expressions on node name, service, and tag definitions.
            """;

    public EventCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .string("name", "string", "", "Name of the event.")
                .string("node", "string", "", "Regular expression to filter on node names.")
                .string("service", "string", "", "Regular expression to filter on service instances.")
                .string("tag", "string", "", "Regular expression to filter on service tags. Must be used with "
                        + "-service.")
                .httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Fire a new event";
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        String name = flags.getString("name", "");
        if (name.isEmpty()) {
            return usageError("Event name must be specified");
        }
        String node = flags.getString("node", "");
        String service = flags.getString("service", "");
        String tag = flags.getString("tag", "");
        for (String[] filter : new String[][] {{"node", node}, {"service", service}, {"tag", tag}}) {
            if (!filter[1].isEmpty()) {
                try {
                    Pattern.compile(filter[1]);
                } catch (PatternSyntaxException e) {
                    ui.error("Failed to compile " + filter[0] + " filter regexp: " + e.getDescription());
                    return 1;
                }
            }
        }
        if (!tag.isEmpty() && service.isEmpty()) {
            ui.error("Cannot provide tag filter without service filter.");
            return 1;
        }
        byte[] payload;
        switch (args.size()) {
            case 0 -> payload = null;
            case 1 -> payload = args.get(0).getBytes(StandardCharsets.UTF_8);
            default -> {
                return usageError("Too many command line arguments.");
            }
        }

        AgentClient client = reachableClient(flags);
        if (client == null) {
            return 1;
        }

        Map<String, String> query = new LinkedHashMap<>();
        if (!node.isEmpty()) {
            query.put("node", node);
        }
        if (!service.isEmpty()) {
            query.put("service", service);
        }
        if (!tag.isEmpty()) {
            query.put("tag", tag);
        }
        Object id;
        try {
            Object body = json(client.call("PUT", "/v1/event/fire/" + AgentClient.escapeSegment(name), query,
                    payload));
            id = body instanceof Map<?, ?> m ? m.get("ID") : null;
            if (id == null) {
                throw new AgentClient.AgentException("the agent's answer has no event ID");
            }
        } catch (AgentClient.AgentException e) {
            ui.error("Error firing event: " + e.getMessage());
            return 1;
        }
        ui.output("Event ID: " + id);
        return 0;
    }
}
