package io.conclave.launcher.http;

import io.conclave.api.time.GoDuration;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code conclave watch -type TYPE [options] [handler...]}: Consul's {@code command/watch} and the
 * watch plan of {@code api/watch}. A blocking-query loop on the type's endpoint ({@code index}
 * set to the last {@code X-Consul-Index}); when the index moves and the result differs from the
 * last one, the result is handed over:
 * <ul>
 *   <li>without a handler, printed as indented JSON, and the watch ends (as Consul's does);</li>
 *   <li>with one, the handler runs (through {@code $SHELL -c} unless {@code -shell=false}) with
 *       the compact JSON on its standard input and {@code CONSUL_INDEX} in its environment; the
 *       watch ends with status 1 when a handler fails.</li>
 * </ul>
 * A failed query is retried after {@code 5s × failures²}, at most 180 s apart, as Consul's plan.
 */
public final class WatchCommand extends HttpCommand {

    private static final String HELP = """
            Usage: conclave watch [options] [child...]

              Watches for changes in a given data view from Conclave. If a child process
              is specified, it will be invoked with the latest results on changes. Otherwise,
              the latest values are dumped to stdout and the watch terminates.

              Providing the watch type is required, and other parameters may be required
              or supported depending on the watch type.
            """;

    static final Duration RETRY_BASE = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(180);
    /** Longer than any blocking query may last (Consul's max_query_time, 600 s, plus its jitter). */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(660);

    private static final List<String> STATES = List.of("any", "passing", "warning", "critical");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Duration retryBase;

    public WatchCommand(Ui ui, Map<String, String> env) {
        this(ui, env, RETRY_BASE);
    }

    /** @param retryBase the first retry delay after a failed query (tests shorten it) */
    WatchCommand(Ui ui, Map<String, String> env, Duration retryBase) {
        super(ui, env);
        this.retryBase = retryBase;
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .string("type", "string", "", "Specifies the watch type. One of key, keyprefix, services, nodes, "
                        + "service, checks, or event.")
                .string("key", "string", "", "Specifies the key to watch. Only for 'key' type.")
                .string("prefix", "string", "", "Specifies the key prefix to watch. Only for 'keyprefix' type.")
                .string("service", "string", "", "Specifies the service to watch. Required for 'service' type, "
                        + "optional for 'checks' type.")
                .string("tag", "string", "", "Specifies the service tag to filter on. Optional for 'service' "
                        + "type.")
                .string("passingonly", "string", "", "Specifies if only hosts passing all checks are displayed. "
                        + "Optional for 'service' type, must be one of `[true|false]`. Defaults false.")
                .define(new Flags.Flag("shell", Flags.Kind.BOOL, "", "true", "Use a shell to run the command (can "
                        + "set a custom shell via the SHELL environment variable).", false))
                .string("state", "string", "", "Specifies the states to watch. Optional for 'checks' type.")
                .string("name", "string", "", "Specifies an event name to watch. Only for 'event' type.")
                .httpClientFlags(true);
    }

    @Override
    protected String helpText() {
        return HELP;
    }

    @Override
    public String synopsis() {
        return "Watch for changes in Conclave";
    }

    /** A watch that cannot be made from the given parameters; the message is Consul's. */
    static final class WatchException extends Exception {
        private static final long serialVersionUID = 1L;

        WatchException(String message) {
            super(message);
        }
    }

    /**
     * What one watch type polls: the endpoint and its query, and how an answer becomes the result
     * handed to the handler.
     */
    record Plan(String type, String path, List<Map.Entry<String, String>> query, boolean single, String tagFilter) {

        /**
         * Consul's {@code watch.Parse} over the command's parameters: each type takes the
         * parameters it knows, anything left over is an error.
         */
        static Plan parse(Map<String, Object> params) throws WatchException {
            Map<String, Object> p = new LinkedHashMap<>(params);
            p.remove("datacenter");
            p.remove("token");
            String type = (String) p.remove("type");
            if (type == null || type.isEmpty()) {
                throw new WatchException("Watch type must be specified");
            }
            List<Map.Entry<String, String>> query = new ArrayList<>();
            Plan plan;
            switch (type) {
                case "key" -> {
                    stale(p, query);
                    String key = string(p, "key");
                    if (key.isEmpty()) {
                        throw new WatchException("Must specify a single key to watch");
                    }
                    plan = new Plan(type, "/v1/kv/" + AgentClient.escapePath(key), query, true, "");
                }
                case "keyprefix" -> {
                    stale(p, query);
                    String prefix = string(p, "prefix");
                    if (prefix.isEmpty()) {
                        throw new WatchException("Must specify a single prefix to watch");
                    }
                    query.add(Map.entry("recurse", ""));
                    plan = new Plan(type, "/v1/kv/" + AgentClient.escapePath(prefix), query, false, "");
                }
                case "services" -> {
                    stale(p, query);
                    plan = new Plan(type, "/v1/catalog/services", query, false, "");
                }
                case "nodes" -> {
                    stale(p, query);
                    plan = new Plan(type, "/v1/catalog/nodes", query, false, "");
                }
                case "service" -> {
                    stale(p, query);
                    String service = string(p, "service");
                    if (service.isEmpty()) {
                        throw new WatchException("Must specify a single service to watch");
                    }
                    String tag = string(p, "tag");
                    if (!tag.isEmpty()) {
                        query.add(Map.entry("tag", tag));
                    }
                    if (Boolean.TRUE.equals(p.remove("passingonly"))) {
                        query.add(Map.entry("passing", "1"));
                    }
                    plan = new Plan(type, "/v1/health/service/" + AgentClient.escapeSegment(service), query, false,
                            "");
                }
                case "checks" -> {
                    stale(p, query);
                    String service = string(p, "service");
                    String state = string(p, "state");
                    if (!service.isEmpty() && !state.isEmpty()) {
                        throw new WatchException("Cannot specify service and state");
                    }
                    if (service.isEmpty() && state.isEmpty()) {
                        state = "any";
                    }
                    if (!state.isEmpty() && !STATES.contains(state)) {
                        throw new WatchException("Unsupported state: " + state);
                    }
                    // Consul passes the tag to the server; the health endpoints here filter by
                    // service tag on the client instead, with the same result.
                    String tag = string(p, "tag");
                    String path = state.isEmpty() ? "/v1/health/checks/" + AgentClient.escapeSegment(service)
                            : "/v1/health/state/" + state;
                    plan = new Plan(type, path, query, false, tag);
                }
                case "event" -> {
                    String name = string(p, "name");
                    if (!name.isEmpty()) {
                        query.add(Map.entry("name", name));
                    }
                    plan = new Plan(type, "/v1/event/list", query, false, "");
                }
                case "connect_roots", "connect_leaf", "agent_service" ->
                        throw new WatchException("Watch type " + type + " is not supported by this version of "
                                + "Conclave yet");
                default -> throw new WatchException("Unsupported watch type: " + type);
            }
            if (!p.isEmpty()) {
                throw new WatchException("Invalid parameters: [" + String.join(" ", p.keySet()) + "]");
            }
            return plan;
        }

        private static void stale(Map<String, Object> p, List<Map.Entry<String, String>> query) {
            if (Boolean.TRUE.equals(p.remove("stale"))) {
                query.add(Map.entry("stale", ""));
            }
        }

        private static String string(Map<String, Object> p, String key) {
            Object v = p.remove(key);
            return v == null ? "" : v.toString();
        }

        /** The result of one answer: what Consul's Go client decodes for this type. */
        Object result(AgentClient.Response r, Long lastIndex) throws AgentClient.AgentException {
            if (r.status() == 404 && (type.equals("key") || type.equals("keyprefix"))) {
                return null; // a key that does not exist (yet)
            }
            Object body = json(r);
            if (single) {
                return body instanceof List<?> l && !l.isEmpty() ? l.get(0) : null;
            }
            if (!tagFilter.isEmpty() && body instanceof List<?> checks) {
                List<Object> kept = new ArrayList<>();
                for (Object c : checks) {
                    if (c instanceof Map<?, ?> m && m.get("ServiceTags") instanceof List<?> tags
                            && tags.contains(tagFilter)) {
                        kept.add(c);
                    }
                }
                return kept;
            }
            if (type.equals("event") && body instanceof List<?> events) {
                // only the events after the one the last answer ended with (api/watch eventWatch)
                for (int i = 0; i < events.size(); i++) {
                    if (lastIndex != null && events.get(i) instanceof Map<?, ?> e
                            && e.get("ID") instanceof String id && idToIndex(id) == lastIndex) {
                        return new ArrayList<>(events.subList(i + 1, events.size()));
                    }
                }
            }
            return body;
        }
    }

    /**
     * Consul's {@code Event.IDToIndex}: the event list's blocking index is made from the last event's
     * UUID, its two halves XORed.
     */
    static long idToIndex(String uuid) {
        if (uuid.length() != 36) {
            return 0;
        }
        try {
            long lower = Long.parseUnsignedLong(uuid.substring(0, 8) + uuid.substring(9, 13) + uuid.substring(14, 18),
                    16);
            long upper = Long.parseUnsignedLong(uuid.substring(19, 23) + uuid.substring(24, 36), 16);
            return lower ^ upper;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    protected int execute(Flags flags, List<String> handler) {
        String type = flags.getString("type", "");
        if (type.isEmpty()) {
            return usageError("Watch type must be specified");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", type);
        for (String name : List.of("datacenter", "token", "key", "prefix", "service", "tag")) {
            if (!flags.getString(name, "").isEmpty()) {
                params.put(name, flags.getString(name, ""));
            }
        }
        if (flags.getBool("stale")) {
            params.put("stale", true);
        }
        for (String name : List.of("state", "name")) {
            if (!flags.getString(name, "").isEmpty()) {
                params.put(name, flags.getString(name, ""));
            }
        }
        String passingOnly = flags.getString("passingonly", "");
        if (!passingOnly.isEmpty()) {
            Boolean b = goBool(passingOnly);
            if (b == null) {
                ui.error("Failed to parse passingonly flag: strconv.ParseBool: parsing " + quote(passingOnly)
                        + ": invalid syntax");
                return 1;
            }
            params.put("passingonly", b);
        }
        Plan plan;
        try {
            plan = Plan.parse(params);
        } catch (WatchException e) {
            ui.error(e.getMessage());
            return 1;
        }

        AgentClient client = reachableClient(flags);
        if (client == null) {
            return 1;
        }
        boolean shell = !flags.isSet("shell") || flags.getBool("shell");
        return run(client, plan, handler, shell);
    }

    /** Go's {@code strconv.ParseBool}. */
    private static Boolean goBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * The plan's loop ({@code api/watch/plan.go}); returns the command's exit status. {@code last}
     * is the index the next query waits on, null before the first answer and after a failure (so
     * the next answer is handed over even if it did not change, as Consul's plan does).
     */
    private int run(AgentClient client, Plan plan, List<String> handler, boolean shell) {
        Long last = null;
        Object lastResult = null;
        int failures = 0;
        while (true) {
            List<Map.Entry<String, String>> query = new ArrayList<>(plan.query());
            if (last != null && last != 0) {
                query.add(Map.entry("index", Long.toUnsignedString(last)));
            }
            long index;
            Object result;
            try {
                AgentClient.Response r = client.call("GET", plan.path(), query, null, QUERY_TIMEOUT);
                result = plan.result(r, last);
                index = parseIndex(r.header("X-Consul-Index"));
            } catch (AgentClient.AgentException e) {
                failures++;
                last = null;
                Duration retry = backoff(failures);
                log("Watch errored: type=" + plan.type() + " error=" + quote(e.getMessage()) + " retry="
                        + GoDuration.format(retry));
                if (!sleep(retry)) {
                    return 1;
                }
                continue;
            }
            failures = 0;
            if (last != null && last == index) {
                continue; // the wait ended without a change
            }
            Long previous = last;
            last = index;
            if (previous != null && Objects.equals(lastResult, result)) {
                continue; // the index moved, the data did not
            }
            lastResult = result;
            if (handler.isEmpty()) {
                ui.output(Json.writeIndented(result, "    "));
                return 0;
            }
            if (!runHandler(handler, shell, index, result)) {
                return 1;
            }
        }
    }

    Duration backoff(int failures) {
        Duration retry = retryBase.multipliedBy((long) failures * failures);
        return retry.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retry;
    }

    private static long parseIndex(String header) {
        try {
            return header.isEmpty() ? 0 : Long.parseUnsignedLong(header.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void log(String message) {
        ui.error(ZonedDateTime.now().format(LOG_TIME) + " [ERROR] watch: " + message);
    }

    /**
     * Runs the handler once with the result as compact JSON on its standard input; its output goes
     * to this command's. False (after saying why) when it could not run or failed.
     */
    private boolean runHandler(List<String> handler, boolean shell, long index, Object result) {
        String sh = env.getOrDefault("SHELL", "");
        List<String> command = shell ? List.of(sh.isEmpty() ? "/bin/sh" : sh, "-c", String.join(" ", handler))
                : handler;
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CONSUL_INDEX", Long.toUnsignedString(index));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            ui.error("Error starting handler: " + e.getMessage());
            return false;
        }
        byte[] input = (Json.write(result) + "\n").getBytes(StandardCharsets.UTF_8);
        Thread stdin = pump(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(input);
            }
        }, "watch-handler-stdin");
        Thread stdout = pump(() -> copy(process.getInputStream(), ui.out()), "watch-handler-stdout");
        Thread stderr = pump(() -> copy(process.getErrorStream(), ui.err()), "watch-handler-stderr");
        int status;
        try {
            status = process.waitFor();
            for (Thread t : List.of(stdin, stdout, stderr)) {
                t.join(Duration.ofSeconds(5).toMillis()); // its streams closed with it; a grandchild may hold them
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            return false;
        }
        if (status != 0) {
            ui.error("Error executing handler: exit status " + status);
            return false;
        }
        return true;
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static Thread pump(IoTask task, String name) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                // the handler closed its end (it need not read its input): nothing to do
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(InputStream from, PrintStream to) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = from.read(buf)) >= 0) {
            to.write(buf, 0, n);
            to.flush();
        }
    }
}
