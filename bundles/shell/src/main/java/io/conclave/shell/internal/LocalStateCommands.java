package io.conclave.shell.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conclave.api.agent.Agent;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The agent's local state from the Gogo shell: {@code services}, {@code checks}, {@code check-types},
 * {@code service-register}, {@code service-deregister} and {@code maint} (worded as {@code consul maint}).
 * Refusals surface as {@link IllegalArgumentException}s carrying the agent's message.
 */
final class LocalStateCommands {

    static final String SERVICE_REGISTER_HELP = "service-register JSON: register a service from its definition, "
            + "e.g. service-register '{\"name\": \"web\", \"port\": 8080, \"check\": {\"http\": \"http://localhost:8080/health\", \"interval\": \"10s\"}}'";
    static final String MAINT_HELP = "maint [-enable|-disable] [-reason TEXT] [-service ID]: show or set maintenance mode";

    private final Agent agent;

    LocalStateCommands(Agent agent) {
        this.agent = agent;
    }

    String services(List<String> args) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "Service", "Address", "Port", "Tags"});
        for (NodeService s : agent.services().values()) {
            rows.add(new String[] {s.id(), s.service(), s.address(), Integer.toString(s.port()), String.join(",", s.tags())});
        }
        return Tables.render(rows);
    }

    String checks(List<String> args) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CheckID", "Status", "Type", "Service", "Name", "Output"});
        for (HealthCheck c : agent.checks().values()) {
            rows.add(new String[] {c.checkId(), c.status(), c.type(), c.serviceId(), c.name(), firstLine(c.output())});
        }
        return Tables.render(rows);
    }

    String checkTypes(List<String> args) {
        return String.join("\n", agent.checkTypes());
    }

    @SuppressWarnings("unchecked")
    String serviceRegister(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: " + SERVICE_REGISTER_HELP);
        }
        Object parsed;
        try {
            parsed = new ObjectMapper().readValue(String.join(" ", args), Object.class);
        } catch (JacksonException e) {
            String text = String.join(" ", args);
            // Gogo strips double quotes from unquoted words: the JSON must be wrapped in single quotes.
            String hint = text.indexOf('"') < 0 ? " (wrap the JSON in single quotes: service-register '{\"name\": \"web\"}')" : "";
            throw new IllegalArgumentException("Request decode failed: " + e.getOriginalMessage() + hint);
        }
        if (!(parsed instanceof Map<?, ?> definition)) {
            throw new IllegalArgumentException("a service definition is a JSON object");
        }
        Map<String, Object> def = (Map<String, Object>) definition;
        // A config file's {"service": {...}} is accepted as well as the bare definition.
        if (def.size() == 1 && def.get("service") instanceof Map<?, ?> inner) {
            def = (Map<String, Object>) inner;
        }
        Map<String, Object> service = def;
        call(() -> agent.registerService(service, false));
        Object name = service.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("name"))
                .map(Map.Entry::getValue).findFirst().orElse("");
        return "Registered service: " + name;
    }

    String serviceDeregister(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("usage: service-deregister ID");
        }
        call(() -> agent.deregisterService(args.get(0)));
        return "Deregistered service: " + args.get(0);
    }

    /** Consul's {@code consul maint}: list mode without flags; otherwise enable or disable for the node or a service. */
    String maint(List<String> args) {
        boolean enable = false;
        boolean disable = false;
        String reason = "";
        String service = "";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i).startsWith("--") ? args.get(i).substring(1) : args.get(i);
            if (a.equals("-enable")) {
                enable = true;
            } else if (a.equals("-disable")) {
                disable = true;
            } else if (a.equals("-reason") && i + 1 < args.size()) {
                reason = args.get(++i);
            } else if (a.startsWith("-reason=")) {
                reason = a.substring("-reason=".length());
            } else if (a.equals("-service") && i + 1 < args.size()) {
                service = args.get(++i);
            } else if (a.startsWith("-service=")) {
                service = a.substring("-service=".length());
            } else {
                throw new IllegalArgumentException("usage: " + MAINT_HELP);
            }
        }
        if (enable && disable) {
            throw new IllegalArgumentException("Only one of -enable or -disable may be provided");
        }
        if (!enable && !reason.isEmpty()) {
            throw new IllegalArgumentException("Reason may only be provided with -enable");
        }
        if (!enable && !disable && !service.isEmpty()) {
            throw new IllegalArgumentException("Service requires either -enable or -disable");
        }
        if (!enable && !disable) {
            StringBuilder out = new StringBuilder();
            for (HealthCheck c : agent.checks().values()) {
                if (c.checkId().equals(Health.NODE_MAINTENANCE_CHECK_ID)) {
                    out.append("Node:\n  Name:   ").append(agent.identity().nodeName())
                            .append("\n  Reason: ").append(c.notes()).append("\n\n");
                } else if (c.checkId().startsWith(Health.SERVICE_MAINTENANCE_CHECK_PREFIX)) {
                    out.append("Service:\n  ID:     ").append(c.serviceId())
                            .append("\n  Reason: ").append(c.notes()).append("\n\n");
                }
            }
            return out.toString().stripTrailing();
        }
        String id = service;
        String why = reason;
        if (id.isEmpty()) {
            boolean on = enable;
            call(() -> agent.setNodeMaintenance(on, why));
            return "Node maintenance is now " + (enable ? "enabled" : "disabled");
        }
        boolean on = enable;
        call(() -> agent.setServiceMaintenance(id, on, why));
        return "Service maintenance is now " + (enable ? "enabled" : "disabled") + " for \"" + id + "\"";
    }

    private static void call(Runnable r) {
        try {
            r.run();
        } catch (NoSuchElementException | IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl) + " …";
        }
        return line.length() > 60 ? line.substring(0, 59) + "…" : line;
    }
}
