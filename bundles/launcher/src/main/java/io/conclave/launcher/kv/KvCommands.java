package io.conclave.launcher.kv;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.http.AgentClient;
import io.conclave.launcher.http.AgentClient.AgentException;
import io.conclave.launcher.http.AgentClient.Response;
import io.conclave.launcher.http.Commands;
import io.conclave.launcher.json.Json;
import io.conclave.launcher.json.JsonException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code conclave kv get|put|delete|export|import}: Consul's {@code command/kv/*}, with its
 * messages, flags and output formats, over the HTTP API of a running agent.
 */
public final class KvCommands {

    public static final String KV_HELP = """
            Usage: conclave kv <subcommand> [options] [args]

              This command has subcommands for interacting with Conclave's key-value
              store. Here are some simple examples, and more detailed examples are
              available in the subcommands or the documentation.

              Create or update the key named "redis/config/connections" with the value "5":

                  $ conclave kv put redis/config/connections 5

              Read this value back:

                  $ conclave kv get redis/config/connections

              Or get detailed key information:

                  $ conclave kv get -detailed redis/config/connections

              Finally, delete the key:

                  $ conclave kv delete redis/config/connections

              For more examples, ask for subcommand help or view the documentation.
            """;

    private KvCommands() {
    }

    public static Map<String, Command> all(Ui ui, Map<String, String> env) {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("kv get", new Get(ui, env));
        m.put("kv put", new Put(ui, env));
        m.put("kv delete", new Delete(ui, env));
        m.put("kv export", new Export(ui, env));
        m.put("kv import", new Import(ui, env));
        return m;
    }

    // ------------------------------------------------------------------ formatting

    /**
     * {@code kv get -detailed}: Go's tabwriter with padding 6 over the label column, so labels
     * are padded to 11 + 6 = 17 characters; the last row has no newline.
     */
    public static byte[] prettyKvPair(KvPair pair, boolean base64) {
        String[][] rows = {
            {"CreateIndex", Long.toString(pair.createIndex())},
            {"Flags", Long.toUnsignedString(pair.flags())},
            {"Key", pair.key()},
            {"LockIndex", Long.toString(pair.lockIndex())},
            {"ModifyIndex", Long.toString(pair.modifyIndex())},
            {"Session", pair.session().isEmpty() ? "-" : pair.session()},
        };
        int width = "ModifyIndex".length();
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        width += 6;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] r : rows) {
            write(out, pad(r[0], width) + r[1] + "\n");
        }
        write(out, pad("Value", width));
        if (base64) {
            write(out, Base64.getEncoder().encodeToString(pair.value()));
        } else {
            out.writeBytes(pair.value());
        }
        return out.toByteArray();
    }

    /** {@code kv export}: Go's {@code json.MarshalIndent(entries, "", "\t")}. */
    public static String exportJson(List<KvPair> pairs) {
        List<Object> entries = new ArrayList<>();
        for (KvPair p : pairs) {
            entries.add(p.toExportEntry());
        }
        return Json.writeIndented(entries, "\t");
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void infoBytes(Ui ui, byte[] bytes) {
        ui.out().write(bytes, 0, bytes.length);
        ui.out().println();
        ui.out().flush();
    }

    private static String stripSlash(String key) {
        return key.startsWith("/") ? key.substring(1) : key;
    }

    /** Reads {@code DATA}: {@code @file}, {@code -} for stdin, or the literal text. */
    static byte[] readData(String data, InputStream stdin) throws IOException {
        if (data.startsWith("@")) {
            Path file = Path.of(data.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IOException("Failed to read file: open " + file + ": no such file or directory");
            } catch (IOException e) {
                throw new IOException("Failed to read file: " + e.getMessage());
            }
        }
        if (data.equals("-")) {
            try {
                return stdin.readAllBytes();
            } catch (IOException e) {
                throw new IOException("Failed to read stdin: " + e.getMessage());
            }
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }

    /** Base of the KV commands: flags, the HTTP client, the usual error shapes. */
    private abstract static class KvCommand implements Command {
        final Ui ui;
        final Map<String, String> env;

        KvCommand(Ui ui, Map<String, String> env) {
            this.ui = ui;
            this.env = env;
        }

        abstract Flags flags();

        abstract String helpText();

        abstract int run(Flags flags, List<String> args) throws AgentException;

        @Override
        public String help() {
            return flags().usage(helpText());
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
            try {
                return run(flags, rest);
            } catch (AgentException e) {
                ui.error("Error connecting to Conclave agent: " + e.getMessage());
                return 1;
            }
        }

        Map<String, String> readQuery(AgentClient client) {
            Map<String, String> q = new LinkedHashMap<>();
            if (client.stale()) {
                q.put("stale", "");
            }
            return q;
        }
    }

    // ------------------------------------------------------------------ get

    static final class Get extends KvCommand {
        Get(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        public String synopsis() {
            return "Retrieves or lists data from the KV store";
        }

        @Override
        Flags flags() {
            return new Flags()
                    .bool("base64", "Base64 encode the value. The default value is false.")
                    .bool("detailed", "Provide additional metadata about the key in addition to the value such "
                            + "as the ModifyIndex and any flags that may have been set on the key. The default "
                            + "value is false.")
                    .bool("keys", "List keys which start with the given prefix, but not their values. This is "
                            + "especially useful if you only need the key names themselves. This option is "
                            + "commonly combined with the -separator option. The default value is false.")
                    .bool("recurse", "Recursively look at all keys prefixed with the given path. The default "
                            + "value is false.")
                    .string("separator", "string", "/", "String to use as a separator between keys. The "
                            + "default value is \"/\", but this option is only taken into account when paired "
                            + "with the -keys flag.")
                    .httpClientFlags(true);
        }

        @Override
        String helpText() {
            return """
                    Usage: conclave kv get [options] [KEY_OR_PREFIX]

                      Retrieves the value from Conclave's key-value store at the given key name. If no
                      key exists with that name, an error is returned. If a key exists with that
                      name but has no data, nothing is returned. If the name or prefix is omitted,
                      it defaults to "" which is the root of the key-value store.

                      To retrieve the value for the key named "foo" in the key-value store:

                          $ conclave kv get foo

                      This will return the original, raw value stored in Conclave. To view detailed
                      information about the key, specify the "-detailed" flag. This will output all
                      known metadata about the key including ModifyIndex and any user-supplied
                      flags:

                          $ conclave kv get -detailed foo

                      To treat the path as a prefix and list all keys which start with the given
                      prefix, specify the "-recurse" flag:

                          $ conclave kv get -recurse foo

                      This will return all key-value pairs. To just list the keys which start with
                      the specified prefix, use the "-keys" option instead:

                          $ conclave kv get -keys foo

                      For a full list of options and examples, please see the Consul documentation.
                    """;
        }

        @Override
        int run(Flags flags, List<String> args) throws AgentException {
            String key;
            switch (args.size()) {
                case 0 -> key = "";
                case 1 -> key = args.get(0);
                default -> {
                    ui.error("Too many arguments (expected 1, got " + args.size() + ")");
                    return 1;
                }
            }
            key = stripSlash(key);
            boolean recurse = flags.getBool("recurse");
            boolean keys = flags.getBool("keys");
            boolean detailed = flags.getBool("detailed");
            boolean base64 = flags.getBool("base64");
            if (key.isEmpty() && !(recurse || keys)) {
                ui.error("Error! Missing KEY argument");
                return 1;
            }
            AgentClient client = AgentClient.fromFlags(flags, env);
            String path = "/v1/kv/" + AgentClient.escapePath(key);
            try {
                if (keys) {
                    Map<String, String> q = readQuery(client);
                    q.put("keys", "");
                    String sep = flags.getString("separator", "/");
                    if (!sep.isEmpty()) {
                        q.put("separator", sep);
                    }
                    Response r = client.get(path, q);
                    if (r.status() == 404) {
                        return 0;
                    }
                    AgentClient.requireOk(r);
                    Object list = Json.parse(r.text());
                    if (list instanceof List<?> l) {
                        for (Object k : l) {
                            ui.info(String.valueOf(k));
                        }
                    }
                    return 0;
                }
                if (recurse) {
                    Map<String, String> q = readQuery(client);
                    q.put("recurse", "");
                    Response r = client.get(path, q);
                    if (r.status() == 404) {
                        return 0;
                    }
                    AgentClient.requireOk(r);
                    List<KvPair> pairs = KvPair.parseList(r.text());
                    for (int i = 0; i < pairs.size(); i++) {
                        KvPair p = pairs.get(i);
                        if (detailed) {
                            infoBytes(ui, prettyKvPair(p, base64));
                            if (i < pairs.size() - 1) {
                                ui.info("");
                            }
                        } else {
                            ByteArrayOutputStream line = new ByteArrayOutputStream();
                            write(line, p.key() + ":");
                            if (base64) {
                                write(line, Base64.getEncoder().encodeToString(p.value()));
                            } else {
                                line.writeBytes(p.value());
                            }
                            infoBytes(ui, line.toByteArray());
                        }
                    }
                    return 0;
                }
                Response r = client.get(path, readQuery(client));
                if (r.status() == 404) {
                    ui.error("Error! No key exists at: " + key);
                    return 1;
                }
                AgentClient.requireOk(r);
                List<KvPair> pairs = KvPair.parseList(r.text());
                if (pairs.isEmpty()) {
                    ui.error("Error! No key exists at: " + key);
                    return 1;
                }
                KvPair pair = pairs.get(0);
                infoBytes(ui, detailed ? prettyKvPair(pair, base64) : pair.value());
                return 0;
            } catch (AgentException | JsonException | IllegalArgumentException e) {
                ui.error("Error querying Conclave agent: " + e.getMessage());
                return 1;
            }
        }
    }

    // ------------------------------------------------------------------ put

    static final class Put extends KvCommand {
        Put(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        public String synopsis() {
            return "Sets or updates data in the KV store";
        }

        @Override
        Flags flags() {
            return new Flags()
                    .bool("acquire", "Obtain a lock on the key. If the key does not exist, this operation will "
                            + "create the key and obtain the lock. The session must already exist and be "
                            + "specified via the -session flag. The default value is false.")
                    .bool("base64", "Treat the data as base 64 encoded. The default value is false.")
                    .bool("cas", "Perform a Check-And-Set operation. Specifying this value also requires the "
                            + "-modify-index flag to be set. The default value is false.")
                    .unsigned("flags", "uint", "0", "Unsigned integer value to assign to this key-value pair. "
                            + "This value is not read by Conclave, so clients can use this value however makes "
                            + "sense for their use case. The default value is 0 (no flags).")
                    .unsigned("modify-index", "uint", "0", "Unsigned integer representing the ModifyIndex of "
                            + "the key. This is used in combination with the -cas flag.")
                    .bool("release", "Forfeit the lock on the key at the given path. This requires the -session "
                            + "flag to be set. The key must be held by the session in order to be unlocked. The "
                            + "default value is false.")
                    .string("session", "string", "", "User-defined identifer for this session as a string. This "
                            + "is commonly used with the -acquire and -release operations to build robust "
                            + "locking, but it can be set on any key. The default value is empty (no session).")
                    .httpClientFlags(true);
        }

        @Override
        String helpText() {
            return """
                    Usage: conclave kv put [options] KEY [DATA]

                      Writes the data to the given path in the key-value store. The data can be of
                      any type.

                          $ conclave kv put config/redis/maxconns 5

                      The data can also be consumed from a file on disk by prefixing with the "@"
                      symbol. For example:

                          $ conclave kv put config/program/license @license.lic

                      Or it can be read from stdin using the "-" symbol:

                          $ echo "abcd1234" | conclave kv put config/program/license -

                      The DATA argument itself is optional. If omitted, this will create an empty
                      key-value pair at the specified path:

                          $ conclave kv put webapp/beta/active

                      If the -base64 flag is specified, the data will be treated as base 64
                      encoded.

                      To perform a Check-And-Set operation, specify the -cas flag with the
                      appropriate -modify-index flag corresponding to the key you want to perform
                      the CAS operation on:

                          $ conclave kv put -cas -modify-index=844 config/redis/maxconns 5

                      Additional flags and more advanced use cases are detailed below.
                    """;
        }

        @Override
        int run(Flags flags, List<String> args) throws AgentException {
            if (args.isEmpty()) {
                ui.error("Error! Missing KEY argument");
                return 1;
            }
            if (args.size() > 2) {
                ui.error("Error! Too many arguments (expected 1 or 2, got " + args.size() + ")");
                return 1;
            }
            String key = args.get(0);
            byte[] data = new byte[0];
            if (args.size() == 2 && !args.get(1).isEmpty()) {
                try {
                    data = readData(args.get(1), ui.in());
                } catch (IOException e) {
                    ui.error("Error! " + e.getMessage());
                    return 1;
                }
            }
            if (flags.getBool("base64")) {
                try {
                    data = Base64.getDecoder().decode(new String(data, StandardCharsets.UTF_8).strip());
                } catch (IllegalArgumentException e) {
                    ui.error("Error! Cannot base 64 decode data: " + e.getMessage());
                    return 1;
                }
            }
            String session = flags.getString("session", "");
            boolean acquire = flags.getBool("acquire");
            boolean release = flags.getBool("release");
            boolean cas = flags.getBool("cas");
            long modifyIndex = flags.getLong("modify-index", 0);
            long kvFlags = flags.getLong("flags", 0);
            if ((release || acquire) && session.isEmpty()) {
                ui.error("Error! Missing -session (required with -acquire and -release)");
                return 1;
            }
            if (cas && modifyIndex == 0) {
                ui.error("Must specify -modify-index with -cas!");
                return 1;
            }
            AgentClient client = AgentClient.fromFlags(flags, env);
            String path = "/v1/kv/" + AgentClient.escapePath(key);
            Map<String, String> q = new LinkedHashMap<>();
            if (kvFlags != 0) {
                q.put("flags", Long.toUnsignedString(kvFlags));
            }
            if (cas) {
                q.put("cas", Long.toUnsignedString(modifyIndex));
                return write(client, path, q, data, "Error! Did not write to " + key + ": ",
                        "Error! Did not write to " + key + ": CAS failed", "Success! Data written to: " + key);
            }
            if (acquire) {
                q.put("acquire", session);
                return write(client, path, q, data, "Error! Failed writing data: ",
                        "Error! Did not acquire lock", "Success! Lock acquired on: " + key);
            }
            if (release) {
                q.put("release", session);
                return write(client, path, q, data, "Error! Failed writing data: ",
                        "Error! Did not release lock", "Success! Lock released on: " + key);
            }
            try {
                Response r = client.put(path, q, data);
                AgentClient.requireOk(r);
            } catch (AgentException e) {
                ui.error("Error! Failed writing data: " + e.getMessage());
                return 1;
            }
            ui.info("Success! Data written to: " + key);
            return 0;
        }

        private int write(AgentClient client, String path, Map<String, String> q, byte[] data, String errPrefix,
                          String falseMessage, String success) {
            try {
                Response r = client.put(path, q, data);
                AgentClient.requireOk(r);
                if (!r.text().strip().equals("true")) {
                    ui.error(falseMessage);
                    return 1;
                }
            } catch (AgentException e) {
                ui.error(errPrefix + e.getMessage());
                return 1;
            }
            ui.info(success);
            return 0;
        }
    }

    // ------------------------------------------------------------------ delete

    static final class Delete extends KvCommand {
        Delete(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        public String synopsis() {
            return "Removes data from the KV store";
        }

        @Override
        Flags flags() {
            return new Flags()
                    .bool("cas", "Perform a Check-And-Set operation. Specifying this value also requires the "
                            + "-modify-index flag to be set. The default value is false.")
                    .unsigned("modify-index", "uint", "0", "Unsigned integer representing the ModifyIndex of "
                            + "the key. This is used in combination with the -cas flag.")
                    .bool("recurse", "Recursively delete all keys with the path. The default value is false.")
                    .httpClientFlags(true);
        }

        @Override
        String helpText() {
            return """
                    Usage: conclave kv delete [options] KEY_OR_PREFIX

                      Removes the value from Conclave's key-value store at the given path. If no
                      key exists at the path, no action is taken.

                      To delete the value for the key named "foo" in the key-value store:

                          $ conclave kv delete foo

                      To delete all keys which start with "foo", specify the -recurse option:

                          $ conclave kv delete -recurse foo

                      This will delete the keys named "foo", "food", and "foo/bar/zip" if they
                      existed.
                    """;
        }

        @Override
        int run(Flags flags, List<String> args) throws AgentException {
            String key;
            switch (args.size()) {
                case 0 -> key = "";
                case 1 -> key = args.get(0);
                default -> {
                    ui.error("Too many arguments (expected 1, got " + args.size() + ")");
                    return 1;
                }
            }
            key = stripSlash(key);
            boolean recurse = flags.getBool("recurse");
            boolean cas = flags.getBool("cas");
            long modifyIndex = flags.getLong("modify-index", 0);
            if (key.isEmpty() && !recurse) {
                ui.error("Error! Missing KEY argument");
                return 1;
            }
            if (cas && modifyIndex == 0) {
                ui.error("Cannot delete a key that does not exist. Provide a -modify-index greater than than 0.");
                return 1;
            }
            if (modifyIndex != 0 && !cas) {
                ui.error("Cannot specify -modify-index without -cas!");
                return 1;
            }
            if (recurse && cas) {
                ui.error("Cannot specify both -cas and -recurse!");
                return 1;
            }
            AgentClient client = AgentClient.fromFlags(flags, env);
            String path = "/v1/kv/" + AgentClient.escapePath(key);
            Map<String, String> q = new LinkedHashMap<>();
            if (recurse) {
                q.put("recurse", "");
                try {
                    Response r = client.delete(path, q);
                    AgentClient.requireOk(r);
                } catch (AgentException e) {
                    ui.error("Error! Did not delete prefix " + key + ": " + e.getMessage());
                    return 1;
                }
                ui.info("Success! Deleted keys with prefix: " + key);
                return 0;
            }
            if (cas) {
                q.put("cas", Long.toUnsignedString(modifyIndex));
                try {
                    Response r = client.delete(path, q);
                    AgentClient.requireOk(r);
                    if (!r.text().strip().equals("true")) {
                        ui.error("Error! Did not delete key " + key + ": CAS failed");
                        return 1;
                    }
                } catch (AgentException e) {
                    ui.error("Error! Did not delete key " + key + ": " + e.getMessage());
                    return 1;
                }
                ui.info("Success! Deleted key: " + key);
                return 0;
            }
            try {
                Response r = client.delete(path, q);
                AgentClient.requireOk(r);
            } catch (AgentException e) {
                ui.error("Error deleting key " + key + ": " + e.getMessage());
                return 1;
            }
            ui.info("Success! Deleted key: " + key);
            return 0;
        }
    }

    // ------------------------------------------------------------------ export

    static final class Export extends KvCommand {
        Export(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        public String synopsis() {
            return "Exports a tree from the KV store as JSON";
        }

        @Override
        Flags flags() {
            return new Flags().httpClientFlags(true);
        }

        @Override
        String helpText() {
            return """
                    Usage: conclave kv export [KEY_OR_PREFIX]

                      Retrieves key-value pairs for the given prefix from Conclave's key-value store,
                      and writes a JSON representation to stdout. This can be used with the command
                      "conclave kv import" to move entire trees between clusters.

                          $ conclave kv export vault

                      For a full list of options and examples, please see the Consul documentation.
                    """;
        }

        @Override
        int run(Flags flags, List<String> args) throws AgentException {
            String key;
            switch (args.size()) {
                case 0 -> key = "";
                case 1 -> key = args.get(0);
                default -> {
                    ui.error("Too many arguments (expected 1, got " + args.size() + ")");
                    return 1;
                }
            }
            key = stripSlash(key);
            AgentClient client = AgentClient.fromFlags(flags, env);
            Map<String, String> q = readQuery(client);
            q.put("recurse", "");
            List<KvPair> pairs;
            try {
                Response r = client.get("/v1/kv/" + AgentClient.escapePath(key), q);
                if (r.status() == 404) {
                    pairs = List.of();
                } else if (r.status() != 200) {
                    throw AgentClient.unexpected(r);
                } else {
                    pairs = KvPair.parseList(r.text());
                }
            } catch (AgentException | JsonException | IllegalArgumentException e) {
                ui.error("Error querying Conclave agent: " + e.getMessage());
                return 1;
            }
            ui.info(exportJson(pairs));
            return 0;
        }
    }

    // ------------------------------------------------------------------ import

    static final class Import extends KvCommand {
        Import(Ui ui, Map<String, String> env) {
            super(ui, env);
        }

        @Override
        public String synopsis() {
            return "Imports a tree stored as JSON to the KV store";
        }

        @Override
        Flags flags() {
            return new Flags()
                    .string("prefix", "string", "", "Key prefix for imported data. The default value is empty "
                            + "meaning root of the key-value store.")
                    .httpClientFlags(true);
        }

        @Override
        String helpText() {
            return """
                    Usage: conclave kv import [DATA]

                      Imports key-value pairs to the key-value store from the JSON representation
                      generated by the "conclave kv export" command.

                      The data can be read from a file by prefixing the filename with the "@"
                      symbol. For example:

                          $ conclave kv import @filename.json

                      Or it can be read from stdin using the "-" symbol:

                          $ cat filename.json | conclave kv import -

                      Alternatively the data may be provided as the final parameter to the command,
                      though care must be taken with regards to shell escaping.

                      For a full list of options and examples, please see the Consul documentation.
                    """;
        }

        @Override
        int run(Flags flags, List<String> args) throws AgentException {
            if (args.isEmpty()) {
                ui.error("Error! Missing DATA argument");
                return 1;
            }
            if (args.size() > 1) {
                ui.error("Error! Too many arguments (expected 1, got " + args.size() + ")");
                return 1;
            }
            if (args.get(0).isEmpty()) {
                ui.error("Error! Empty DATA argument");
                return 1;
            }
            String data;
            try {
                data = new String(readData(args.get(0), ui.in()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                ui.error("Error! " + e.getMessage());
                return 1;
            }
            AgentClient client = AgentClient.fromFlags(flags, env);
            List<Map<String, Object>> entries;
            try {
                entries = parseEntries(data);
            } catch (JsonException e) {
                ui.error("Cannot unmarshal data: " + e.getMessage());
                return 1;
            }
            String prefix = flags.getString("prefix", "");
            for (Map<String, Object> entry : entries) {
                String key = prefix + field(entry, "key", Object::toString, "");
                byte[] value;
                try {
                    value = Base64.getDecoder().decode(field(entry, "value", Object::toString, ""));
                } catch (IllegalArgumentException e) {
                    ui.error("Error base 64 decoding value for key " + key + ": " + e.getMessage());
                    return 1;
                }
                long kvFlags = field(entry, "flags", o -> o instanceof Number n ? n.longValue() : 0L, 0L);
                Map<String, String> q = new LinkedHashMap<>();
                if (kvFlags != 0) {
                    q.put("flags", Long.toUnsignedString(kvFlags));
                }
                try {
                    Response r = client.put("/v1/kv/" + AgentClient.escapePath(key), q, value);
                    AgentClient.requireOk(r);
                } catch (AgentException e) {
                    ui.error("Error! Failed writing data for key " + key + ": " + e.getMessage());
                    return 1;
                }
                ui.info("Imported: " + key);
            }
            return 0;
        }

        /** Go's json.Unmarshal into {@code []*Entry}: field names match case-insensitively. */
        @SuppressWarnings("unchecked")
        static List<Map<String, Object>> parseEntries(String data) throws JsonException {
            Object root = Json.parse(data);
            if (root == null) {
                return List.of();
            }
            if (!(root instanceof List<?> list)) {
                throw new JsonException("json: cannot unmarshal " + (root instanceof Map ? "object" : "value")
                        + " into Go value of type []*impexp.Entry");
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object o : list) {
                if (o == null) {
                    continue;
                }
                if (!(o instanceof Map)) {
                    throw new JsonException("json: cannot unmarshal value into Go value of type impexp.Entry");
                }
                out.add((Map<String, Object>) o);
            }
            return out;
        }

        private static <T> T field(Map<String, Object> entry, String name, Function<Object, T> conv, T fallback) {
            for (Map.Entry<String, Object> e : entry.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
                    return conv.apply(e.getValue());
                }
            }
            return fallback;
        }
    }
}
