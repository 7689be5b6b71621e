package io.conclave.launcher.http;

import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code conclave keyring -list|-install KEY|-use KEY|-remove KEY}: Consul's
 * {@code command/keyring} over {@code /v1/operator/keyring} (GET, POST, PUT, DELETE with
 * {@code {"Key": ...}}). Listing prints each pool ({@code WAN}, {@code dc1 (LAN)}) with every key
 * and how many of the pool's nodes hold it; keys are sorted so the output is stable.
 */
public final class KeyringCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave keyring [options]

              Manages encryption keys used for gossip messages. Gossip encryption is
              optional. When enabled, this command may be used to examine active encryption
              keys in the cluster, add new keys, and remove old ones. When combined, this
              functionality provides the ability to perform key rotation cluster-wide,
              without disrupting the cluster.

              All operations performed by this command can only be run against server nodes,
              and affect both the LAN and WAN keyrings in lock-step.

              All variations of the keyring command return 0 if all nodes reply and there
              are no errors. If any node fails to reply or reports failure, the exit code
              will be 1.
            """;

    public KeyringCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .string("install", "string", "", "Install a new encryption key. This will broadcast the new key to "
                        + "all members in the cluster.")
                .string("use", "string", "", "Change the primary encryption key, which is used to encrypt "
                        + "messages. The key must already be installed before this operation can succeed.")
                .string("remove", "string", "", "Remove the given key from the cluster. This operation may only be "
                        + "performed on keys which are not currently the primary key.")
                .bool("list", "List all keys currently in use within the cluster.")
                .integer("relay-factor", "int", "0", "Setting this to a non-zero value will cause nodes to relay "
                        + "their response to the operation through this many randomly-chosen other nodes in the "
                        + "cluster. The maximum allowed value is 5.")
                .bool("local-only", "Setting this to true will force the keyring query to only hit local servers "
                        + "(no WAN traffic). This flag can only be set for list queries.")
                .httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Manages gossip layer encryption keys";
    }

    /** Consul runs this command through a {@code PrefixedUi}: info lines start with {@code ==> }. */
    private void info(String s) {
        ui.output("==> " + s);
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        boolean list = flags.getBool("list");
        boolean found = list;
        for (String action : List.of("install", "use", "remove")) {
            boolean given = !flags.getString(action, "").isEmpty();
            if (found && given) {
                ui.error("Only a single action is allowed");
                return 1;
            }
            found = found || given;
        }
        if (!found) {
            ui.error(help());
            return 1;
        }
        long relay = flags.getLong("relay-factor", 0);
        if (relay < 0 || relay > 5) {
            ui.error("Error parsing relay factor: Relay factor must be in range: [0, 5]");
            return 1;
        }
        boolean localOnly = flags.getBool("local-only");
        if (localOnly && !list) {
            ui.error("The -local-only flag can only be used for list queries");
            return 1;
        }
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (relay > 0) {
            query.put("relay-factor", Long.toString(relay));
        }
        if (localOnly) {
            query.put("local-only", "true");
        }
        try {
            if (list) {
                info("Gathering installed encryption keys...");
                Object body = json(client.get("/v1/operator/keyring", query));
                printPools(body);
                return 0;
            }
            String method;
            String key;
            if (!flags.getString("install", "").isEmpty()) {
                info("Installing new gossip encryption key...");
                method = "POST";
                key = flags.getString("install", "");
            } else if (!flags.getString("use", "").isEmpty()) {
                info("Changing primary gossip encryption key...");
                method = "PUT";
                key = flags.getString("use", "");
            } else {
                info("Removing gossip encryption key...");
                method = "DELETE";
                key = flags.getString("remove", "");
            }
            byte[] body = Json.write(Map.of("Key", key)).getBytes(StandardCharsets.UTF_8);
            AgentClient.requireOk(client.call(method, "/v1/operator/keyring", query, body));
            return 0;
        } catch (AgentClient.AgentException e) {
            ui.error("error: " + e.getMessage());
            return 1;
        }
    }

    /** Consul's {@code handleList}: a blank line, the pool's name, then {@code   KEY [n/total]}. */
    private void printPools(Object body) {
        if (!(body instanceof List<?> pools)) {
            return;
        }
        for (Object o : pools) {
            if (!(o instanceof Map<?, ?> pool)) {
                continue;
            }
            String name = pool.get("Datacenter") + " (LAN)";
            Object segment = pool.get("Segment");
            if (segment != null && !segment.toString().isEmpty()) {
                name += " [" + segment + "]";
            }
            if (Boolean.TRUE.equals(pool.get("WAN"))) {
                name = "WAN";
            }
            long nodes = pool.get("NumNodes") instanceof Number n ? n.longValue() : 0;
            ui.output("");
            ui.output(name + ":");
            Map<String, Object> keys = new TreeMap<>();
            if (pool.get("Keys") instanceof Map<?, ?> k) {
                k.forEach((key, count) -> keys.put(String.valueOf(key), count));
            }
            keys.forEach((key, count) -> ui.output("  " + key + " [" + (count instanceof Number n ? n.longValue() : 0)
                    + "/" + nodes + "]"));
        }
    }
}
