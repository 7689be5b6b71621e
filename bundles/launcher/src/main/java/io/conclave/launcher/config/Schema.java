package io.conclave.launcher.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration keys Conclave reads, with their types, after Consul's
 * {@code agent/config/config.go}. A key is <em>supported</em> (read and validated; it may still
 * have no effect yet, which {@code docs/configuration.md} says) or a known Consul key that is
 * <em>not supported yet</em> (an error naming it, rather than silently ignoring what the operator
 * asked for). Anything else is an unknown key ({@code invalid config key ...}).
 *
 * <p>Keys match case-insensitively, as Consul's decoder (mapstructure) matches them. Inside
 * service and check definitions underscores are ignored too, so {@code enable_tag_override} and
 * {@code EnableTagOverride} are the same key, and Consul's aliases ({@code ScriptArgs},
 * {@code CheckID}) are accepted.
 */
public final class Schema {

    /** How a value is checked, and merged (see {@link ConfigLoader#merge}). */
    public enum Kind {
        STRING, BOOL, INT, UINT32, UINT64, PORT, DURATION,
        /** Replaced as a whole by a later non-empty map. */
        STRING_MAP, DURATION_MAP, HEADER_MAP, ADDRESS_MAP,
        /** Concatenated across sources. */
        STRING_LIST, SERVICE_LIST, CHECK_LIST,
        /** Merged key by key. */
        OBJECT,
        SERVICE, CHECK,
        /** Any value, not looked into (a service's {@code proxy}, {@code connect}). */
        ANY
    }

    /** One key. {@code apiName} is the HTTP API's field name, for service and check definitions. */
    public record Field(String name, Kind kind, boolean supported, Map<String, Field> children, String apiName) {
    }

    private Schema() {
    }

    static final Map<String, Field> TOP = new LinkedHashMap<>();
    static final Map<String, Field> SERVICE = new LinkedHashMap<>();
    static final Map<String, Field> CHECK = new LinkedHashMap<>();
    /** Definition keys by their normalised spelling (lower case, no underscores), aliases included. */
    static final Map<String, Field> SERVICE_BY_NORM = new LinkedHashMap<>();
    static final Map<String, Field> CHECK_BY_NORM = new LinkedHashMap<>();

    static {
        Map<String, Field> ports = obj();
        put(ports, "dns", Kind.PORT);
        put(ports, "http", Kind.PORT);
        put(ports, "https", Kind.PORT);
        put(ports, "grpc", Kind.PORT);
        put(ports, "server", Kind.PORT);
        put(ports, "serf_lan", Kind.PORT);
        put(ports, "serf_wan", Kind.PORT);
        unsupported(ports, "grpc_tls", "sidecar_min_port", "sidecar_max_port", "expose_min_port", "expose_max_port",
                "proxy_min_port", "proxy_max_port");

        Map<String, Field> addresses = obj();
        put(addresses, "dns", Kind.STRING);
        put(addresses, "http", Kind.STRING);
        unsupported(addresses, "https", "grpc", "grpc_tls");

        Map<String, Field> soa = obj();
        put(soa, "refresh", Kind.UINT32);
        put(soa, "retry", Kind.UINT32);
        put(soa, "expire", Kind.UINT32);
        put(soa, "min_ttl", Kind.UINT32);

        Map<String, Field> dns = obj();
        put(dns, "allow_stale", Kind.BOOL);
        put(dns, "max_stale", Kind.DURATION);
        put(dns, "a_record_limit", Kind.INT);
        put(dns, "udp_answer_limit", Kind.INT);
        put(dns, "disable_compression", Kind.BOOL);
        put(dns, "enable_truncate", Kind.BOOL);
        put(dns, "node_ttl", Kind.DURATION);
        put(dns, "service_ttl", Kind.DURATION_MAP);
        put(dns, "only_passing", Kind.BOOL);
        put(dns, "recursor_timeout", Kind.DURATION);
        put(dns, "recursor_strategy", Kind.STRING);
        put(dns, "enable_additional_node_meta_txt", Kind.BOOL);
        dns.put("soa", new Field("soa", Kind.OBJECT, true, soa, null));
        unsupported(dns, "use_cache", "cache_max_age", "prefer_namespace");

        Map<String, Field> limits = obj();
        put(limits, "http_max_conns_per_client", Kind.INT);
        put(limits, "kv_max_value_size", Kind.UINT64);
        unsupported(limits, "https_handshake_timeout", "rpc_handshake_timeout", "rpc_client_timeout", "rpc_rate",
                "rpc_max_burst", "rpc_max_conns_per_client", "txn_max_req_len", "request_limits");

        Map<String, Field> ui = obj();
        put(ui, "enabled", Kind.BOOL);
        put(ui, "dir", Kind.STRING);
        put(ui, "content_path", Kind.STRING);
        for (String k : new String[] {"metrics_provider", "metrics_provider_files", "metrics_provider_options_json",
            "metrics_proxy", "dashboard_url_templates"}) {
            put(ui, k, Kind.ANY);
        }

        put(TOP, "node_name", Kind.STRING);
        put(TOP, "node_id", Kind.STRING);
        put(TOP, "node_meta", Kind.STRING_MAP);
        put(TOP, "datacenter", Kind.STRING);
        put(TOP, "data_dir", Kind.STRING);
        put(TOP, "client_addr", Kind.STRING);
        put(TOP, "bind_addr", Kind.STRING);
        put(TOP, "advertise_addr", Kind.STRING);
        put(TOP, "advertise_addr_wan", Kind.STRING);
        TOP.put("ports", new Field("ports", Kind.OBJECT, true, ports, null));
        TOP.put("addresses", new Field("addresses", Kind.OBJECT, true, addresses, null));
        put(TOP, "enable_script_checks", Kind.BOOL);
        put(TOP, "enable_local_script_checks", Kind.BOOL);
        TOP.put("dns_config", new Field("dns_config", Kind.OBJECT, true, dns, null));
        put(TOP, "recursors", Kind.STRING_LIST);
        put(TOP, "domain", Kind.STRING);
        put(TOP, "alt_domain", Kind.STRING);
        put(TOP, "log_level", Kind.STRING);
        TOP.put("ui_config", new Field("ui_config", Kind.OBJECT, true, ui, null));
        put(TOP, "ui", Kind.BOOL);
        put(TOP, "service", Kind.SERVICE);
        put(TOP, "services", Kind.SERVICE_LIST);
        put(TOP, "check", Kind.CHECK);
        put(TOP, "checks", Kind.CHECK_LIST);
        put(TOP, "server", Kind.BOOL);
        put(TOP, "bootstrap_expect", Kind.INT);
        put(TOP, "bootstrap", Kind.BOOL);
        put(TOP, "start_join", Kind.STRING_LIST);
        put(TOP, "retry_join", Kind.STRING_LIST);
        put(TOP, "retry_interval", Kind.DURATION);
        put(TOP, "retry_max", Kind.INT);
        put(TOP, "start_join_wan", Kind.STRING_LIST);
        put(TOP, "retry_join_wan", Kind.STRING_LIST);
        put(TOP, "retry_interval_wan", Kind.DURATION);
        put(TOP, "retry_max_wan", Kind.INT);
        put(TOP, "rejoin_after_leave", Kind.BOOL);
        put(TOP, "reconnect_timeout", Kind.DURATION);
        put(TOP, "reconnect_timeout_wan", Kind.DURATION);
        put(TOP, "encrypt", Kind.STRING);
        put(TOP, "encrypt_verify_incoming", Kind.BOOL);
        put(TOP, "encrypt_verify_outgoing", Kind.BOOL);
        put(TOP, "leave_on_terminate", Kind.BOOL);
        put(TOP, "skip_leave_on_interrupt", Kind.BOOL);
        put(TOP, "disable_update_check", Kind.BOOL);
        put(TOP, "check_update_interval", Kind.DURATION);
        TOP.put("limits", new Field("limits", Kind.OBJECT, true, limits, null));
        unsupported(TOP,
                "acl", "acl_datacenter", "acl_default_policy", "acl_down_policy", "acl_master_token", "acl_token",
                "acl_agent_token", "acl_agent_master_token", "acl_replication_token", "acl_ttl",
                "acl_enable_key_list_policy", "advertise_addr_ipv4", "advertise_addr_ipv6",
                "advertise_addr_wan_ipv4", "advertise_addr_wan_ipv6", "advertise_reconnect_timeout",
                "auto_config", "auto_encrypt", "auto_reload_config", "autopilot", "ca_file", "ca_path",
                "cache", "cert_file", "check_output_max_size", "client_addr_ipv6", "cloud", "config_entries",
                "connect", "default_query_time", "disable_anonymous_signature", "disable_coordinates",
                "disable_host_node_id", "disable_http_unprintable_char_filter", "disable_keyring_file",
                "disable_remote_exec", "discard_check_output", "discovery_max_stale",
                "enable_acl_replication", "enable_agent_tls_for_checks", "enable_central_service_config",
                "enable_debug", "enable_syslog", "experiments", "gossip_lan", "gossip_wan", "http_config", "key_file", "license_path", "log_file",
                "log_json", "log_rotate_bytes", "log_rotate_duration", "log_rotate_max_files", "max_query_time",
                "peering", "performance", "pid_file", "primary_datacenter", "primary_gateways",
                "primary_gateways_interval", "protocol", "raft_boltdb", "raft_logstore", "raft_protocol",
                "raft_snapshot_interval", "raft_snapshot_threshold", "raft_trailing_logs", "read_replica", "rpc",
                "segment", "segments", "serf_lan", "serf_lan_allowed_cidrs", "serf_wan", "serf_wan_allowed_cidrs",
                "server_name", "session_ttl_min", "snapshot_agent",
                "syslog_facility", "tagged_addresses", "telemetry", "tls", "tls_cipher_suites", "tls_min_version",
                "tls_prefer_server_cipher_suites", "translate_wan_addrs", "ui_content_path", "ui_dir",
                "unix_sockets", "use_streaming_backend", "verify_incoming", "verify_incoming_https",
                "verify_incoming_rpc", "verify_outgoing", "verify_server_hostname", "watches", "non_voting_server",
                "audit", "partition");

        Map<String, Field> weights = obj();
        def(weights, "passing", Kind.INT, "Passing");
        def(weights, "warning", Kind.INT, "Warning");
        Map<String, Field> address = obj();
        def(address, "address", Kind.STRING, "Address");
        def(address, "port", Kind.INT, "Port");

        def(SERVICE, "id", Kind.STRING, "ID");
        def(SERVICE, "name", Kind.STRING, "Name");
        def(SERVICE, "tags", Kind.STRING_LIST, "Tags");
        def(SERVICE, "address", Kind.STRING, "Address");
        SERVICE.put("tagged_addresses", new Field("tagged_addresses", Kind.ADDRESS_MAP, true, address,
                "TaggedAddresses"));
        def(SERVICE, "meta", Kind.STRING_MAP, "Meta");
        def(SERVICE, "port", Kind.INT, "Port");
        def(SERVICE, "socket_path", Kind.STRING, "SocketPath");
        def(SERVICE, "enable_tag_override", Kind.BOOL, "EnableTagOverride");
        SERVICE.put("weights", new Field("weights", Kind.OBJECT, true, weights, "Weights"));
        def(SERVICE, "check", Kind.CHECK, "Check");
        def(SERVICE, "checks", Kind.CHECK_LIST, "Checks");
        def(SERVICE, "token", Kind.STRING, "Token");
        def(SERVICE, "kind", Kind.STRING, "Kind");
        def(SERVICE, "proxy", Kind.ANY, "Proxy");
        def(SERVICE, "connect", Kind.ANY, "Connect");
        def(SERVICE, "namespace", Kind.STRING, "Namespace");

        def(CHECK, "id", Kind.STRING, "CheckID");
        def(CHECK, "name", Kind.STRING, "Name");
        def(CHECK, "notes", Kind.STRING, "Notes");
        def(CHECK, "service_id", Kind.STRING, "ServiceID");
        def(CHECK, "token", Kind.STRING, "Token");
        def(CHECK, "status", Kind.STRING, "Status");
        def(CHECK, "args", Kind.STRING_LIST, "Args");
        def(CHECK, "http", Kind.STRING, "HTTP");
        def(CHECK, "header", Kind.HEADER_MAP, "Header");
        def(CHECK, "method", Kind.STRING, "Method");
        def(CHECK, "body", Kind.STRING, "Body");
        def(CHECK, "disable_redirects", Kind.BOOL, "DisableRedirects");
        def(CHECK, "tcp", Kind.STRING, "TCP");
        def(CHECK, "udp", Kind.STRING, "UDP");
        def(CHECK, "interval", Kind.DURATION, "Interval");
        def(CHECK, "timeout", Kind.DURATION, "Timeout");
        def(CHECK, "ttl", Kind.DURATION, "TTL");
        def(CHECK, "docker_container_id", Kind.STRING, "DockerContainerID");
        def(CHECK, "shell", Kind.STRING, "Shell");
        def(CHECK, "grpc", Kind.STRING, "GRPC");
        def(CHECK, "grpc_use_tls", Kind.BOOL, "GRPCUseTLS");
        def(CHECK, "tls_server_name", Kind.STRING, "TLSServerName");
        def(CHECK, "tls_skip_verify", Kind.BOOL, "TLSSkipVerify");
        def(CHECK, "h2ping", Kind.STRING, "H2PING");
        def(CHECK, "h2ping_use_tls", Kind.BOOL, "H2PingUseTLS");
        def(CHECK, "alias_node", Kind.STRING, "AliasNode");
        def(CHECK, "alias_service", Kind.STRING, "AliasService");
        def(CHECK, "deregister_critical_service_after", Kind.DURATION, "DeregisterCriticalServiceAfter");
        def(CHECK, "success_before_passing", Kind.INT, "SuccessBeforePassing");
        def(CHECK, "failures_before_warning", Kind.INT, "FailuresBeforeWarning");
        def(CHECK, "failures_before_critical", Kind.INT, "FailuresBeforeCritical");
        def(CHECK, "output_max_size", Kind.INT, "OutputMaxSize");
        def(CHECK, "type", Kind.STRING, "Type");

        SERVICE.values().forEach(f -> SERVICE_BY_NORM.put(norm(f.name()), f));
        CHECK.values().forEach(f -> CHECK_BY_NORM.put(norm(f.name()), f));
        // Consul's aliases (agent/config/config.go `alias:` tags) and the API's names.
        CHECK_BY_NORM.put("checkid", CHECK.get("id"));
        CHECK_BY_NORM.put("scriptargs", CHECK.get("args"));
    }


    private static Map<String, Field> obj() {
        return new LinkedHashMap<>();
    }

    private static void put(Map<String, Field> m, String name, Kind kind) {
        m.put(name, new Field(name, kind, true, null, null));
    }

    private static void def(Map<String, Field> m, String name, Kind kind, String api) {
        m.put(name, new Field(name, kind, true, null, api));
    }

    private static void unsupported(Map<String, Field> m, String... names) {
        for (String n : names) {
            m.put(n, new Field(n, Kind.ANY, false, null, null));
        }
    }

    /** How definition keys are compared: {@code EnableTagOverride} = {@code enable_tag_override}. */
    public static String norm(String key) {
        return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** The service-definition field a key written in a file names, or null. */
    public static Field serviceField(String key) {
        return SERVICE_BY_NORM.get(norm(key));
    }

    /** The check-definition field a key written in a file names, or null. */
    public static Field checkField(String key) {
        return CHECK_BY_NORM.get(norm(key));
    }
}
