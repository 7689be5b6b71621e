package io.conclave.launcher.catalog;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.Columnize;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.http.AgentClient;
import io.conclave.launcher.http.AgentClient.AgentException;
import io.conclave.launcher.http.HttpCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code conclave catalog datacenters|nodes|services}: Consul's {@code command/catalog/*}, with its
 * messages and table formats, over the catalog HTTP API.
 */
public final class CatalogCommands {

    public static final String SYNOPSIS = "Interact with the catalog";

    public static final String HELP = """
            Usage: conclave catalog <subcommand> [options] [args]

              This command has subcommands for interacting with Conclave's catalog. The
              catalog should not be confused with the agent, although the APIs and
              responses may be similar.

              Here are some simple examples, and more detailed examples are available
              in the subcommands or the documentation.

              List all datacenters:

                  $ conclave catalog datacenters

              List all nodes:

                  $ conclave catalog nodes

              List all services:

                  $ conclave catalog services

              For more examples, ask for subcommand help or view the documentation.
            """;

    private CatalogCommands() {
    }

    public static Map<String, Command> all(Ui ui, Map<String, String> env) {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("catalog datacenters", new Datacenters(ui, env));
        m.put("catalog nodes", new Nodes(ui, env));
        m.put("catalog services", new Services(ui, env));
        return m;
    }

    /** {@code mapToKV}: {@code k=v} pairs sorted by key, joined. */
    static String mapToKv(Object m, String joiner) {
        List<String> pairs = new ArrayList<>();
        if (m instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            sorted.forEach((k, v) -> pairs.add(k + "=" + (v == null ? "" : v)));
        }
        return String.join(joiner, pairs);
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static List<Map.Entry<String, String>> readQuery(AgentClient client, Flags flags) {
        List<Map.Entry<String, String>> q = new ArrayList<>();
        if (client.stale()) {
            q.add(Map.entry("stale", ""));
        }
        flags.getMap("node-meta").forEach((k, v) -> q.add(Map.entry("node-meta", k + ":" + v)));
        return q;
    }

    private static boolean tooMany(Ui ui, List<String> args) {
        if (!args.isEmpty()) {
            ui.error("Too many arguments (expected 0, got " + args.size() + ")");
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ datacenters

    static final class Datacenters extends HttpCommand {
        Datacenters(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        protected Flags flags() {
            return new Flags().httpClientFlags(true);
        }

        @Override
        protected String helpText() {
            return """
                    Usage: conclave catalog datacenters [options]

                      Retrieves the list of all known datacenters. This datacenters are sorted in
                      ascending order based on the estimated median round trip time from the servers
                      in this datacenter to the servers in the other datacenters.

                      To retrieve the list of datacenters:

                          $ conclave catalog datacenters

                      For a full list of options and examples, please see the Conclave documentation.
                    """;
        }

        @Override
        public String synopsis() {
            return "Lists all known datacenters";
        }

        @Override
        protected int execute(Flags flags, List<String> args) {
            if (tooMany(ui, args)) {
                return 1;
            }
            AgentClient client = client(flags);
            if (client == null) {
                return 1;
            }
            try {
                Object body = json(client.get("/v1/catalog/datacenters", Map.of()));
                if (body instanceof List<?> dcs) {
                    dcs.forEach(dc -> ui.info(String.valueOf(dc)));
                }
            } catch (AgentException e) {
                ui.error("Error listing datacenters: " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------ nodes

    static final class Nodes extends HttpCommand {
        Nodes(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        protected Flags flags() {
            return new Flags()
                    .string("filter", "string", "", "Filter to use with the request")
                    .bool("detailed", "Output detailed information about the nodes including their addresses "
                            + "and metadata.")
                    .string("near", "string", "", "Node name to sort the node list in ascending order based on "
                            + "estimated round-trip time from that node. Passing \"_agent\" will use this agent's "
                            + "node for sorting.")
                    .map("node-meta", "key=value", "Metadata to filter nodes with the given `key=value` pairs. "
                            + "This flag may be specified multiple times to filter on multiple sources of metadata.")
                    .string("service", "id or name", "", "Service `id or name` to filter nodes. Only nodes which "
                            + "are providing the given service will be returned.")
                    .httpClientFlags(true);
        }

        @Override
        protected String helpText() {
            return """
                    Usage: conclave catalog nodes [options]

                      Retrieves the list nodes registered in a given datacenter. By default, the
                      datacenter of the local agent is queried.

                      To retrieve the list of nodes:

                          $ conclave catalog nodes

                      To print detailed information including full node IDs, tagged addresses, and
                      metadata information:

                          $ conclave catalog nodes -detailed

                      To list nodes which are running a particular service:

                          $ conclave catalog nodes -service=web

                      To filter by node metadata:

                          $ conclave catalog nodes -node-meta="foo=bar"

                      To sort nodes by estimated round-trip time from node-web:

                          $ conclave catalog nodes -near=node-web

                      For a full list of options and examples, please see the Conclave documentation.
                    """;
        }

        @Override
        public String synopsis() {
            return "Lists all nodes in the given datacenter";
        }

        @Override
        protected int execute(Flags flags, List<String> args) {
            if (tooMany(ui, args)) {
                return 1;
            }
            AgentClient client = client(flags);
            if (client == null) {
                return 1;
            }
            List<Map.Entry<String, String>> q = readQuery(client, flags);
            if (!flags.getString("near", "").isEmpty()) {
                q.add(Map.entry("near", flags.getString("near", "")));
            }
            if (!flags.getString("filter", "").isEmpty()) {
                q.add(Map.entry("filter", flags.getString("filter", "")));
            }
            String service = flags.getString("service", "");
            List<Map<?, ?>> nodes = new ArrayList<>();
            try {
                if (!service.isEmpty()) {
                    Object body = json(client.get("/v1/catalog/service/" + AgentClient.escapeSegment(service), q));
                    for (Object o : body instanceof List<?> l ? l : List.of()) {
                        if (o instanceof Map<?, ?> s) {
                            Map<String, Object> n = new LinkedHashMap<>();
                            n.put("ID", s.get("ID"));
                            n.put("Node", s.get("Node"));
                            n.put("Address", s.get("Address"));
                            n.put("Datacenter", s.get("Datacenter"));
                            n.put("TaggedAddresses", s.get("TaggedAddresses"));
                            n.put("Meta", s.get("NodeMeta"));
                            nodes.add(n);
                        }
                    }
                } else {
                    Object body = json(client.get("/v1/catalog/nodes", q));
                    for (Object o : body instanceof List<?> l ? l : List.of()) {
                        if (o instanceof Map<?, ?> n) {
                            nodes.add(n);
                        }
                    }
                }
            } catch (AgentException e) {
                ui.error((service.isEmpty() ? "Error listing nodes: " : "Error listing nodes for service: ")
                        + e.getMessage());
                return 1;
            }
            if (nodes.isEmpty()) {
                ui.error("No nodes match the given query - try expanding your search.");
                return 0;
            }
            boolean detailed = flags.getBool("detailed");
            String d = Columnize.DELIM;
            List<String> lines = new ArrayList<>();
            lines.add(detailed ? String.join(d, "Node", "ID", "Address", "DC", "TaggedAddresses", "Meta")
                    : String.join(d, "Node", "ID", "Address", "DC"));
            for (Map<?, ?> n : nodes) {
                String id = str(n, "ID");
                if (detailed) {
                    lines.add(String.join(d, str(n, "Node"), id, str(n, "Address"), str(n, "Datacenter"),
                            mapToKv(n.get("TaggedAddresses"), ", "), mapToKv(n.get("Meta"), ", ")));
                } else {
                    int dash = id.indexOf('-'); // the ID's first group only
                    lines.add(String.join(d, str(n, "Node"), dash > 0 ? id.substring(0, dash) : id,
                            str(n, "Address"), str(n, "Datacenter")));
                }
            }
            ui.info(Columnize.format(lines));
            return 0;
        }
    }

    // ------------------------------------------------------------------ services

    static final class Services extends HttpCommand {
        Services(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        protected Flags flags() {
            return new Flags()
                    .string("node", "id or name", "", "Node `id or name` for which to list services.")
                    .map("node-meta", "key=value", "Metadata to filter nodes with the given `key=value` pairs. If "
                            + "specified, only services running on nodes matching the given metadata will be "
                            + "returned. This flag may be specified multiple times to filter on multiple sources "
                            + "of metadata.")
                    .bool("tags", "Display each service's tags as a comma-separated list beside each service entry.")
                    .httpClientFlags(true);
        }

        @Override
        protected String helpText() {
            return """
                    Usage: conclave catalog services [options]

                      Retrieves the list services registered in a given datacenter. By default, the
                      datacenter of the local agent is queried.

                      To retrieve the list of services:

                          $ conclave catalog services

                      To include the services' tags in the output:

                          $ conclave catalog services -tags

                      To list services which run on a particular node:

                          $ conclave catalog services -node=web

                      To filter services on node metadata:

                          $ conclave catalog services -node-meta="foo=bar"

                      For a full list of options and examples, please see the Conclave documentation.
                    """;
        }

        @Override
        public String synopsis() {
            return "Lists all registered services in a datacenter";
        }

        @Override
        protected int execute(Flags flags, List<String> args) {
            if (tooMany(ui, args)) {
                return 1;
            }
            AgentClient client = client(flags);
            if (client == null) {
                return 1;
            }
            List<Map.Entry<String, String>> q = readQuery(client, flags);
            String node = flags.getString("node", "");
            Map<String, List<String>> services = new TreeMap<>();
            try {
                if (!node.isEmpty()) {
                    Object body = json(client.get("/v1/catalog/node/" + AgentClient.escapeSegment(node), q));
                    if (body instanceof Map<?, ?> n && n.get("Services") instanceof Map<?, ?> svcs) {
                        for (Object o : svcs.values()) {
                            if (o instanceof Map<?, ?> s) {
                                List<String> tags = services.computeIfAbsent(str(s, "Service"), k -> new ArrayList<>());
                                if (s.get("Tags") instanceof List<?> t) {
                                    t.forEach(x -> tags.add(String.valueOf(x)));
                                }
                            }
                        }
                    }
                } else {
                    Object body = json(client.get("/v1/catalog/services", q));
                    if (body instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> {
                            List<String> tags = new ArrayList<>();
                            if (v instanceof List<?> t) {
                                t.forEach(x -> tags.add(String.valueOf(x)));
                            }
                            services.put(String.valueOf(k), tags);
                        });
                    }
                }
            } catch (AgentException e) {
                ui.error((node.isEmpty() ? "Error listing services: " : "Error listing services for node: ")
                        + e.getMessage());
                return 1;
            }
            if (services.isEmpty()) {
                ui.error("No services match the given query - try expanding your search.");
                return 0;
            }
            if (flags.getBool("tags")) {
                List<String[]> rows = new ArrayList<>();
                services.forEach((name, tags) -> {
                    List<String> sorted = new ArrayList<>(tags);
                    sorted.sort(null);
                    rows.add(new String[] {name, String.join(",", sorted)});
                });
                ui.output(Columnize.tabwriter(rows, 0, 6).strip());
            } else {
                services.keySet().forEach(ui::output);
            }
            return 0;
        }
    }
}
