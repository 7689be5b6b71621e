package io.conclave.launcher.services;

import io.conclave.launcher.Command;
import io.conclave.launcher.agent.AgentConfig;
import io.conclave.launcher.agent.ConfigBuilder;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.config.Schema;
import io.conclave.launcher.http.AgentClient;
import io.conclave.launcher.http.HttpCommand;
import io.conclave.launcher.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code conclave services register|deregister}: Consul's {@code command/services/*}. Files are
 * ordinary agent configuration files (JSON or HCL, {@code service} or {@code services}), read and
 * validated as the agent reads them; their definitions are sent to
 * {@code PUT /v1/agent/service/register} with the HTTP API's field names.
 */
public final class ServicesCommands {

    public static final String SYNOPSIS = "Interact with services";

    public static final String HELP = """
            Usage: conclave services <subcommand> [options] [args]

              This command has subcommands for interacting with services. The subcommands
              default to working with services registered with the local agent. Please see
              the "conclave catalog" command for interacting with the entire catalog.

              For more examples, ask for subcommand help or view the documentation.
            """;

    private ServicesCommands() {
    }

    public static Map<String, Command> all(Ui ui, Map<String, String> env) {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("services register", new Register(ui, env));
        m.put("services deregister", new Deregister(ui, env));
        return m;
    }

    /** Consul's {@code ServicesFromFiles}: the files built as a dev agent's configuration. */
    static List<Map<String, Object>> servicesFromFiles(List<String> files) throws ConfigException {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> merged = ConfigBuilder.merge(files, "", Map.of(), Map.of(), List.of(), warnings);
        AgentConfig config = ConfigBuilder.build(merged, warnings, true, false, 0,
                new ConfigBuilder.Options(ConfigBuilder.Mode.VALIDATE, () -> "services-command", null));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object s : config.services()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> def = (Map<String, Object>) s;
            out.add(toApi(def, Schema::serviceField));
        }
        return out;
    }

    /**
     * A definition as the HTTP API names its fields ({@code enable_tag_override} becomes
     * {@code EnableTagOverride}); keys the schema does not know (a custom check type's settings)
     * are passed as written.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toApi(Map<String, Object> def, Function<String, Schema.Field> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : def.entrySet()) {
            Schema.Field f = fields.apply(e.getKey());
            if (f == null || f.apiName() == null) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            Object v = e.getValue();
            switch (f.kind()) {
                case CHECK -> v = toApi((Map<String, Object>) v, Schema::checkField);
                case CHECK_LIST -> {
                    List<Object> l = new ArrayList<>();
                    for (Object c : (List<Object>) v) {
                        l.add(toApi((Map<String, Object>) c, Schema::checkField));
                    }
                    v = l;
                }
                case OBJECT -> v = toApi((Map<String, Object>) v, lower(f.children()));
                case ADDRESS_MAP -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    ((Map<String, Object>) v).forEach((k, a) -> m.put(k, toApi((Map<String, Object>) a, lower(f.children()))));
                    v = m;
                }
                default -> { }
            }
            out.put(f.apiName(), v);
        }
        return out;
    }

    private static Function<String, Schema.Field> lower(Map<String, Schema.Field> fields) {
        return key -> fields.get(key.toLowerCase(Locale.ROOT));
    }

    private static String name(Map<String, Object> svc) {
        Object n = svc.get("Name");
        return n == null ? "" : String.valueOf(n);
    }

    // ------------------------------------------------------------------ register

    static final class Register extends HttpCommand {
        Register(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        protected Flags flags() {
            return new Flags()
                    .string("id", "string", "", "ID of the service to register for arg-based registration. If this "
                            + "isn't set, it will default to the -name value.")
                    .string("name", "string", "", "Name of the service to register for arg-based registration.")
                    .string("address", "string", "", "Address of the service to register for arg-based "
                            + "registration.")
                    .integer("port", "int", "0", "Port of the service to register for arg-based registration.")
                    .map("meta", "key=value", "Metadata to set on the service, formatted as key=value. This flag "
                            + "may be specified multiple times to set multiple meta fields.")
                    .list("tag", "value", "Tag to add to the service. This flag can be specified multiple times to "
                            + "set multiple tags.")
                    .string("kind", "string", "", "The services 'kind'")
                    .httpClientFlags(true);
        }

        @Override
        protected String helpText() {
            return """
                    Usage: conclave services register [options] [FILE...]

                      Register one or more services using the local agent API. Services can
                      be registered from standard Conclave configuration files (HCL or JSON) or
                      using flags. The service is registered and the command returns. The caller
                      must remember to call "conclave services deregister" or a similar API to
                      deregister the service when complete.

                          $ conclave services register web.json

                      Additional flags and more advanced use cases are detailed below.
                    """;
        }

        @Override
        public String synopsis() {
            return "Register services with the local agent";
        }

        @Override
        protected int execute(Flags flags, List<String> args) {
            Map<String, Object> fromFlags = new LinkedHashMap<>();
            putIf(fromFlags, "Kind", flags.getString("kind", ""));
            putIf(fromFlags, "ID", flags.getString("id", ""));
            putIf(fromFlags, "Name", flags.getString("name", ""));
            putIf(fromFlags, "Address", flags.getString("address", ""));
            if (flags.getLong("port", 0) != 0) {
                fromFlags.put("Port", flags.getLong("port", 0));
            }
            if (!flags.getList("tag").isEmpty()) {
                fromFlags.put("Tags", new ArrayList<Object>(flags.getList("tag")));
            }
            if (!flags.getMap("meta").isEmpty()) {
                fromFlags.put("Meta", new LinkedHashMap<String, Object>(flags.getMap("meta")));
            }
            String flagName = flags.getString("name", "");
            if (args.isEmpty() && flagName.isEmpty()) {
                ui.error("Service registration requires at least one argument or flags.");
                return 1;
            } else if (!args.isEmpty() && !flagName.isEmpty()) {
                ui.error("Service registration requires arguments or -id, not both.");
                return 1;
            }
            List<Map<String, Object>> svcs;
            if (!args.isEmpty()) {
                try {
                    svcs = servicesFromFiles(args);
                } catch (ConfigException e) {
                    ui.error("Error: " + e.getMessage());
                    return 1;
                }
                for (Map<String, Object> s : svcs) {
                    combine(s, fromFlags);
                }
            } else {
                svcs = List.of(fromFlags);
            }
            AgentClient client = client(flags);
            if (client == null) {
                return 1;
            }
            for (Map<String, Object> svc : svcs) {
                try {
                    AgentClient.Response r = client.put("/v1/agent/service/register", Map.of(),
                            Json.write(svc).getBytes(StandardCharsets.UTF_8));
                    AgentClient.requireOk(r);
                } catch (AgentClient.AgentException e) {
                    ui.error("Error registering service " + quote(name(svc)) + ": " + e.getMessage());
                    return 1;
                }
                ui.output("Registered service: " + name(svc));
            }
            return 0;
        }

        private static void putIf(Map<String, Object> m, String key, String value) {
            if (!value.isEmpty()) {
                m.put(key, value);
            }
        }

        /** Consul's {@code CombineArgs}: flags fill what the file leaves out; meta merges, tags append. */
        @SuppressWarnings("unchecked")
        static void combine(Map<String, Object> file, Map<String, Object> flags) {
            for (String k : List.of("ID", "Name", "Address", "Port", "Kind")) {
                if (flags.containsKey(k) && !file.containsKey(k)) {
                    file.put(k, flags.get(k));
                }
            }
            if (flags.containsKey("Meta")) {
                Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) file.getOrDefault("Meta", Map.of()));
                meta.putAll((Map<String, Object>) flags.get("Meta"));
                file.put("Meta", meta);
            }
            if (flags.containsKey("Tags")) {
                List<Object> tags = new ArrayList<>((List<Object>) file.getOrDefault("Tags", List.of()));
                tags.addAll((List<Object>) flags.get("Tags"));
                file.put("Tags", tags);
            }
        }
    }

    // ------------------------------------------------------------------ deregister

    static final class Deregister extends HttpCommand {
        Deregister(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        protected Flags flags() {
            return new Flags()
                    .string("id", "string", "", "ID to delete. This must not be set if arguments are given.")
                    .httpClientFlags(true);
        }

        @Override
        protected String helpText() {
            return """
                    Usage: conclave services deregister [options] [FILE...]

                      Deregister one or more services that were previously registered with
                      the local agent.

                          $ conclave services deregister web.json db.json

                      The -id flag may be used to deregister a single service by ID:

                          $ conclave services deregister -id=web

                      Services are deregistered from the local agent catalog. This command must
                      be run against the same agent where the service was registered.
                    """;
        }

        @Override
        public String synopsis() {
            return "Deregister services with the local agent";
        }

        @Override
        protected int execute(Flags flags, List<String> args) {
            String flagId = flags.getString("id", "");
            if (args.isEmpty() && flagId.isEmpty()) {
                ui.error("Service deregistration requires at least one argument or -id.");
                return 1;
            } else if (!args.isEmpty() && !flagId.isEmpty()) {
                ui.error("Service deregistration requires arguments or -id, not both.");
                return 1;
            }
            List<String> ids = new ArrayList<>();
            if (!args.isEmpty()) {
                try {
                    for (Map<String, Object> s : servicesFromFiles(args)) {
                        Object id = s.get("ID");
                        ids.add(id == null || String.valueOf(id).isEmpty() ? name(s) : String.valueOf(id));
                    }
                } catch (ConfigException e) {
                    ui.error("Error: " + e.getMessage());
                    return 1;
                }
            } else {
                ids.add(flagId);
            }
            AgentClient client = client(flags);
            if (client == null) {
                return 1;
            }
            for (String id : ids) {
                if (id.isEmpty()) {
                    continue;
                }
                if (!putOk(client, "/v1/agent/service/deregister/" + AgentClient.escapeSegment(id), Map.of(),
                        "Error deregistering service " + quote(id))) {
                    return 1;
                }
                ui.output("Deregistered service: " + id);
            }
            return 0;
        }
    }
}
