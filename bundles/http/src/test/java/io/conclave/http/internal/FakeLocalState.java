package io.conclave.http.internal;

import io.conclave.api.catalog.CheckDefinition;
import io.conclave.api.catalog.Health;
import io.conclave.api.catalog.HealthCheck;
import io.conclave.api.catalog.NodeService;
import io.conclave.api.catalog.ServiceAddress;
import io.conclave.api.catalog.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The local-state half of {@link FakeAgent}: just enough of the {@code Agent} contract (Consul's IDs, names,
 * defaults and refusals, with the contract's exceptions) for the HTTP layer's tests. The rules themselves
 * are the agent bundle's and are tested there.
 */
final class FakeLocalState {

    final Map<String, NodeService> services = new TreeMap<>();
    final Map<String, HealthCheck> checks = new TreeMap<>();
    final List<String> ttlChecks = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    volatile String reloadFailure;
    volatile int reloads;

    synchronized Map<String, NodeService> services() {
        return new LinkedHashMap<>(services);
    }

    synchronized Optional<NodeService> service(String id) {
        return Optional.ofNullable(services.get(id));
    }

    synchronized Map<String, HealthCheck> checks() {
        return new LinkedHashMap<>(checks);
    }

    @SuppressWarnings("unchecked")
    synchronized void registerService(Map<String, Object> def, boolean replace) {
        calls.add("registerService replace=" + replace);
        String name = string(def, "Name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Missing service name");
        }
        String id = string(def, "ID").isEmpty() ? name : string(def, "ID");
        List<Map<String, Object>> defs = new ArrayList<>();
        if (get(def, "Check") instanceof Map<?, ?> c) {
            defs.add((Map<String, Object>) c);
        }
        if (get(def, "Checks") instanceof List<?> l) {
            l.forEach(c -> defs.add((Map<String, Object>) c));
        }
        for (Map<String, Object> c : defs) {
            if (get(c, "Args") != null) {
                throw new IllegalStateException("Scripts are disabled on this agent from remote calls; to enable, "
                        + "configure 'enable_script_checks' to true");
            }
            if (string(c, "TTL").isEmpty() && string(c, "Interval").isEmpty()) {
                throw new IllegalArgumentException("Invalid check: TTL must be > 0 for TTL checks");
            }
        }
        Object tags = get(def, "Tags");
        Object meta = get(def, "Meta");
        Object port = get(def, "Port");
        Map<String, ServiceAddress> tagged = new TreeMap<>();
        String address = string(def, "Address");
        if (address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            int p = port instanceof Number n ? n.intValue() : 0;
            tagged.put("lan_ipv4", new ServiceAddress(address, p));
            tagged.put("wan_ipv4", new ServiceAddress(address, p));
        }
        NodeService s = new NodeService("", id, name, tags instanceof List<?> t ? (List<String>) t : List.of(), address,
                tagged, meta instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of(),
                port instanceof Number n ? n.intValue() : 0, Weights.DEFAULT, false, 0, 0);
        services.put(id, s);
        if (replace) {
            checks.values().removeIf(c -> c.serviceId().equals(id));
        }
        for (int i = 0; i < defs.size(); i++) {
            Map<String, Object> c = defs.get(i);
            String checkId = string(c, "CheckID").isEmpty() ? string(c, "ID") : string(c, "CheckID");
            if (checkId.isEmpty()) {
                checkId = "service:" + id + (defs.size() > 1 ? ":" + (i + 1) : "");
            }
            String checkName = string(c, "Name").isEmpty() ? "Service '" + name + "' check" : string(c, "Name");
            add(checkId, checkName, string(c, "Status"), s, !string(c, "TTL").isEmpty(), string(c, "HTTP"));
        }
    }

    synchronized void registerCheck(Map<String, Object> def) {
        calls.add("registerCheck");
        String name = string(def, "Name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Missing check name");
        }
        String status = string(def, "Status");
        if (!status.isEmpty() && !Health.isStatus(status)) {
            throw new IllegalArgumentException("Bad check status");
        }
        if (string(def, "TTL").isEmpty() && string(def, "Interval").isEmpty()) {
            throw new IllegalArgumentException("Invalid check: TTL must be > 0 for TTL checks");
        }
        NodeService service = null;
        String serviceId = string(def, "ServiceID");
        if (!serviceId.isEmpty()) {
            service = services.get(serviceId);
            if (service == null) {
                throw new NoSuchElementException("ServiceID \"" + serviceId + "\" does not exist");
            }
        }
        String id = string(def, "CheckID").isEmpty() ? string(def, "ID") : string(def, "CheckID");
        add(id.isEmpty() ? name : id, name, status, service, !string(def, "TTL").isEmpty(), string(def, "HTTP"));
    }

    private void add(String id, String name, String status, NodeService s, boolean ttl, String http) {
        CheckDefinition d = http.isEmpty() ? CheckDefinition.EMPTY
                : new CheckDefinition(http, "", false, Map.of(), "", "", "", java.time.Duration.ofSeconds(10),
                java.time.Duration.ZERO, java.time.Duration.ZERO);
        checks.put(id, new HealthCheck("node-1", id, name, status.isEmpty() ? Health.CRITICAL : status, "", "",
                s == null ? "" : s.id(), s == null ? "" : s.service(), s == null ? List.of() : s.tags(),
                ttl ? "ttl" : http.isEmpty() ? "" : "http", d, 0, 0));
        if (ttl) {
            ttlChecks.add(id);
        }
    }

    synchronized void deregisterService(String id) {
        if (services.remove(id) == null) {
            throw new NoSuchElementException("Unknown service ID \"" + id
                    + "\". Ensure that the service ID is passed, not the service name.");
        }
        checks.values().removeIf(c -> c.serviceId().equals(id));
    }

    synchronized void deregisterCheck(String id) {
        if (checks.remove(id) == null) {
            throw new NoSuchElementException(unknownCheck(id));
        }
    }

    synchronized void updateCheck(String id, String status, String output) {
        if (!Health.isStatus(status)) {
            throw new IllegalArgumentException("Invalid check status: '" + status + "'");
        }
        HealthCheck c = checks.get(id);
        if (c == null) {
            throw new NoSuchElementException(unknownCheck(id));
        }
        if (!ttlChecks.contains(id)) {
            throw new IllegalStateException("CheckID \"" + id + "\" does not have associated TTL");
        }
        checks.put(id, c.withStatus(status, output));
    }

    synchronized void setNodeMaintenance(boolean enable, String reason) {
        if (enable) {
            checks.putIfAbsent("_node_maintenance", new HealthCheck("node-1", "_node_maintenance",
                    "Node Maintenance Mode", Health.CRITICAL, reason, "", "", "", List.of(), "maintenance", null, 0, 0));
        } else {
            checks.remove("_node_maintenance");
        }
    }

    synchronized void setServiceMaintenance(String id, boolean enable, String reason) {
        NodeService s = services.get(id);
        if (s == null) {
            throw new NoSuchElementException("Unknown service ID \"" + id
                    + "\". Ensure that the service ID is passed, not the service name.");
        }
        String checkId = "_service_maintenance:" + id;
        if (enable) {
            checks.putIfAbsent(checkId, new HealthCheck("node-1", checkId, "Service Maintenance Mode", Health.CRITICAL,
                    reason, "", id, s.service(), s.tags(), "maintenance", null, 0, 0));
        } else {
            checks.remove(checkId);
        }
    }

    void reload() {
        String failure = reloadFailure;
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        reloads++;
    }

    synchronized void reset() {
        services.clear();
        checks.clear();
        ttlChecks.clear();
        calls.clear();
        reloadFailure = null;
    }

    private static String unknownCheck(String id) {
        return "Unknown check ID \"" + id + "\". Ensure that the check ID is passed, not the check name.";
    }

    private static Object get(Map<String, Object> m, String key) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().replace("_", "").equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = get(m, key);
        return v == null ? "" : v.toString();
    }
}
