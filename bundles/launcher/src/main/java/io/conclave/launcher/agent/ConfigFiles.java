package io.conclave.launcher.agent;

import io.conclave.launcher.json.Json;
import io.conclave.launcher.json.JsonException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads agent configuration files ({@code -config-file}, {@code -config-dir}) in the order given
 * and merges them, later files winning, as Consul does. JSON only for now; HCL fails clearly.
 *
 * <p>The merged result is keyed by the flat names {@link AgentCommand} understands:
 * {@code node_name node_id datacenter data_dir client_addr log_level http_port}.
 */
public final class ConfigFiles {

    /** A configuration error, printed as {@code ==> message}. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    private static final Set<String> STRING_KEYS =
            Set.of("node_name", "node_id", "datacenter", "data_dir", "client_addr", "log_level");

    /** Consul keys Conclave knows but does not implement yet: named as such, not as typos. */
    private static final Set<String> CONSUL_KEYS = Set.of(
            "acl", "acl_datacenter", "acl_default_policy", "acl_down_policy", "acl_master_token", "acl_token",
            "addresses", "advertise_addr", "advertise_addr_wan", "auto_encrypt", "auto_reload_config",
            "autopilot", "bind_addr", "bootstrap", "bootstrap_expect", "ca_file", "ca_path", "cert_file",
            "check", "checks", "check_update_interval", "client_addr_ipv6", "config_entries", "connect",
            "disable_anonymous_signature", "disable_host_node_id", "disable_keyring_file", "disable_remote_exec",
            "disable_update_check", "discard_check_output", "dns_config", "domain", "alt_domain",
            "enable_central_service_config", "enable_debug", "enable_local_script_checks",
            "enable_script_checks", "enable_syslog", "encrypt", "encrypt_verify_incoming",
            "encrypt_verify_outgoing", "http_config", "key_file", "leave_on_terminate", "limits", "log_file",
            "log_json", "log_rotate_bytes", "log_rotate_duration", "log_rotate_max_files", "node_meta",
            "performance", "pid_file", "primary_datacenter", "primary_gateways", "protocol", "raft_protocol",
            "reconnect_timeout", "reconnect_timeout_wan", "recursor", "recursors", "rejoin_after_leave",
            "retry_interval", "retry_interval_wan", "retry_join", "retry_join_wan", "retry_max",
            "retry_max_wan", "segment", "serf_lan", "serf_wan", "server", "server_name", "service",
            "services", "session_ttl_min", "skip_leave_on_interrupt", "start_join", "start_join_wan",
            "syslog_facility", "telemetry", "tls", "translate_wan_addrs", "ui", "ui_config", "ui_dir",
            "unix_sockets", "verify_incoming", "verify_incoming_https", "verify_incoming_rpc",
            "verify_outgoing", "verify_server_hostname", "watches");

    private static final Set<String> CONSUL_PORT_KEYS =
            Set.of("dns", "https", "grpc", "grpc_tls", "serf_lan", "serf_wan", "server", "sidecar_min_port",
                    "sidecar_max_port", "expose_min_port", "expose_max_port");

    private ConfigFiles() {
    }

    /**
     * Loads the sources in order. Each entry is {@code config-file=PATH} or
     * {@code config-dir=PATH}, as {@link io.conclave.launcher.cli.Flags#listInto} records them.
     */
    public static Map<String, Object> load(List<String> sources) throws ConfigException {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String source : sources) {
            int eq = source.indexOf('=');
            String kind = source.substring(0, eq);
            Path path = Path.of(source.substring(eq + 1));
            if (kind.equals("config-dir")) {
                for (Path file : listDir(path)) {
                    merged.putAll(loadFile(file));
                }
            } else {
                if (Files.isDirectory(path)) {
                    for (Path file : listDir(path)) {
                        merged.putAll(loadFile(file));
                    }
                } else {
                    merged.putAll(loadFile(path));
                }
            }
        }
        return merged;
    }

    private static List<Path> listDir(Path dir) throws ConfigException {
        if (!Files.exists(dir)) {
            throw new ConfigException("Error reading " + dir + ": stat " + dir + ": no such file or directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("Error reading " + dir + ": not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".json") || n.endsWith(".hcl");
                    })
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new ConfigException("Error reading " + dir + ": " + e.getMessage());
        }
        return files;
    }

    /** Parses one JSON file into the flat key set, rejecting unknown and unsupported keys. */
    public static Map<String, Object> loadFile(Path file) throws ConfigException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (name.endsWith(".hcl")) {
            throw new ConfigException("Error parsing " + file
                    + ": HCL configuration files are not supported by this version of Conclave yet; use JSON");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Error reading " + file + ": open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new ConfigException("Error reading " + file + ": " + e.getMessage());
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (JsonException e) {
            throw new ConfigException("Error parsing " + file + ": " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw new ConfigException("Error parsing " + file + ": the top level must be a JSON object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) root).entrySet()) {
            String key = (String) e.getKey();
            Object value = e.getValue();
            if (STRING_KEYS.contains(key)) {
                if (!(value instanceof String)) {
                    throw new ConfigException("Error parsing " + file + ": " + key + ": expected a string, got "
                            + Json.write(value));
                }
                out.put(key, value);
            } else if (key.equals("ports")) {
                if (!(value instanceof Map)) {
                    throw new ConfigException("Error parsing " + file + ": ports: expected an object, got "
                            + Json.write(value));
                }
                for (Map.Entry<?, ?> p : ((Map<?, ?>) value).entrySet()) {
                    String port = (String) p.getKey();
                    if (port.equals("http")) {
                        if (!(p.getValue() instanceof Long)) {
                            throw new ConfigException("Error parsing " + file
                                    + ": ports.http: expected an integer, got " + Json.write(p.getValue()));
                        }
                        out.put("http_port", ((Long) p.getValue()).intValue());
                    } else if (CONSUL_PORT_KEYS.contains(port)) {
                        throw unsupported(file, "ports." + port);
                    } else {
                        throw new ConfigException("Error parsing " + file + ": invalid config key ports." + port);
                    }
                }
            } else if (CONSUL_KEYS.contains(key)) {
                throw unsupported(file, key);
            } else {
                throw new ConfigException("Error parsing " + file + ": invalid config key " + key);
            }
        }
        return out;
    }

    private static ConfigException unsupported(Path file, String key) {
        return new ConfigException("Error parsing " + file + ": config key " + key
                + " is not supported by this version of Conclave yet");
    }
}
