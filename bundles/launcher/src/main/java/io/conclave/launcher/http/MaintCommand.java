package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code conclave maint}: Consul's {@code command/maint}. Without {@code -enable}/{@code -disable}
 * it lists the node and services in maintenance (checks {@code _node_maintenance} and
 * {@code _service_maintenance:<id>} of {@code GET /v1/agent/checks}, in check ID order).
 */
public final class MaintCommand extends HttpCommand {

    public MaintCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .httpClientFlags(false)
                .bool("enable", "Enable maintenance mode.")
                .bool("disable", "Disable maintenance mode.")
                .string("reason", "string", "", "Text describing the maintenance reason.")
                .string("service", "string", "", "Control maintenance mode for a specific service ID.");
    }

    @Override
    protected String helpText() {
        return """
                Usage: conclave maint [options]

                  Places a node or service into maintenance mode. During maintenance mode,
                  the node or service will be excluded from all queries through the DNS
                  or API interfaces, effectively taking it out of the pool of available
                  nodes. This is done by registering an additional critical health check.

                  When enabling maintenance mode for a node or service, you may optionally
                  specify a reason string. This string will appear in the "Notes" field
                  of the critical health check which is registered against the node or
                  service. If no reason is provided, a default value will be used.

                  Maintenance mode is persistent, and will be restored in the event of an
                  agent restart. It is therefore required to disable maintenance mode on
                  a given node or service before it will be placed back into the pool.

                  By default, we operate on the node as a whole. By specifying the
                  "-service" argument, this behavior can be changed to enable or disable
                  only a specific service.

                  If no arguments are given, the agent's maintenance status will be shown.
                  This will return blank if nothing is currently under maintenance.
                """;
    }

    @Override
    public String synopsis() {
        return "Controls node or service maintenance mode";
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        boolean enable = flags.getBool("enable");
        boolean disable = flags.getBool("disable");
        String reason = flags.getString("reason", "");
        String service = flags.getString("service", "");
        if (enable && disable) {
            ui.error("Only one of -enable or -disable may be provided");
            return 1;
        }
        if (!enable && !reason.isEmpty()) {
            ui.error("Reason may only be provided with -enable");
            return 1;
        }
        if (!enable && !disable && !service.isEmpty()) {
            ui.error("Service requires either -enable or -disable");
            return 1;
        }
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        String nodeName;
        try {
            Object self = json(client.get("/v1/agent/self", Map.of()));
            Object config = self instanceof Map<?, ?> m ? m.get("Config") : null;
            nodeName = config instanceof Map<?, ?> c && c.get("NodeName") != null ? String.valueOf(c.get("NodeName"))
                    : "";
        } catch (AgentClient.AgentException e) {
            ui.error("Error querying Conclave agent: " + e.getMessage());
            return 1;
        }

        if (!enable && !disable) {
            Map<String, Object> checks = new TreeMap<>();
            try {
                Object body = json(client.get("/v1/agent/checks", Map.of()));
                if (body instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> checks.put(String.valueOf(k), v));
                }
            } catch (AgentClient.AgentException e) {
                ui.error("Error getting checks: " + e.getMessage());
                return 1;
            }
            for (Map.Entry<String, Object> e : checks.entrySet()) {
                Map<?, ?> check = e.getValue() instanceof Map<?, ?> m ? m : Map.of();
                String id = check.get("CheckID") == null ? e.getKey() : String.valueOf(check.get("CheckID"));
                String notes = check.get("Notes") == null ? "" : String.valueOf(check.get("Notes"));
                if (id.equals("_node_maintenance")) {
                    ui.output("Node:");
                    ui.output("  Name:   " + nodeName);
                    ui.output("  Reason: " + notes);
                    ui.output("");
                } else if (id.startsWith("_service_maintenance:")) {
                    ui.output("Service:");
                    ui.output("  ID:     " + (check.get("ServiceID") == null ? "" : check.get("ServiceID")));
                    ui.output("  Reason: " + notes);
                    ui.output("");
                }
            }
            return 0;
        }

        Map<String, String> q = new LinkedHashMap<>();
        q.put("enable", enable ? "true" : "false");
        if (enable && !reason.isEmpty()) {
            q.put("reason", reason);
        }
        String path = service.isEmpty() ? "/v1/agent/maintenance"
                : "/v1/agent/service/maintenance/" + AgentClient.escapeSegment(service);
        String what = (enable ? "enabling " : "disabling ") + (service.isEmpty() ? "node" : "service") + " maintenance";
        if (!putOk(client, path, q, "Error " + what)) {
            return 1;
        }
        if (service.isEmpty()) {
            ui.output("Node maintenance is now " + (enable ? "enabled" : "disabled"));
        } else {
            ui.output("Service maintenance is now " + (enable ? "enabled" : "disabled") + " for " + quote(service));
        }
        return 0;
    }
}
