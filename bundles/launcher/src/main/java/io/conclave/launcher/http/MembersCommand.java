package io.conclave.launcher.http;

import io.conclave.launcher.cli.Columnize;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code conclave members}: Consul's {@code command/members} (1.9 columns, no partitions), over
 * {@code GET /v1/agent/members}. Exits 2 when no member matches {@code -status}.
 */
public final class MembersCommand extends HttpCommand {

    public MembersCommand(Ui ui, Map<String, String> env) {
        super(ui, env);
    }

    @Override
    protected Flags flags() {
        return new Flags()
                .bool("detailed", "Provides detailed information about nodes.")
                .bool("wan", "If the agent is in server mode, this can be used to return the other peers in the "
                        + "WAN pool.")
                .string("status", "string", ".*", "If provided, output is filtered to only nodes matching the "
                        + "regular expression for status.")
                .string("segment", "string", "", "(Enterprise-only) If provided, output is filtered to only nodes "
                        + "in the given segment.")
                .string("filter", "string", "", "Filter to use with the request")
                .httpClientFlags(false);
    }

    @Override
    protected String helpText() {
        return """
                Usage: conclave members [options]

                  Outputs the members of a running Conclave agent.
                """;
    }

    @Override
    public String synopsis() {
        return "Lists the members of a Conclave cluster";
    }

    /** One member, as the command prints it. */
    record Member(String name, String addr, long port, Map<String, String> tags, long status) {
    }

    @Override
    protected int execute(Flags flags, List<String> args) {
        Pattern statusRe;
        try {
            statusRe = Pattern.compile(flags.getString("status", ".*"));
        } catch (PatternSyntaxException e) {
            ui.error("Failed to compile status regexp: " + e.getDescription());
            return 1;
        }
        AgentClient client = client(flags);
        if (client == null) {
            return 1;
        }
        String segment = flags.getString("segment", "");
        Map<String, String> q = new LinkedHashMap<>();
        if (flags.getBool("wan")) {
            q.put("wan", "1");
        }
        if (!segment.isEmpty()) {
            q.put("segment", segment);
        }
        if (!flags.getString("filter", "").isEmpty()) {
            q.put("filter", flags.getString("filter", ""));
        }
        List<Member> members = new ArrayList<>();
        try {
            Object body = json(client.get("/v1/agent/members", q));
            if (body instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        members.add(member(m));
                    }
                }
            }
        } catch (AgentClient.AgentException e) {
            ui.error("Error retrieving members: " + e.getMessage());
            return 1;
        }

        List<Member> shown = new ArrayList<>();
        for (Member m : members) {
            String role = m.tags().getOrDefault("role", "");
            if ((segment.isEmpty() || segment.equals("_all")) && role.equals("consul")) {
                m.tags().put("segment", "<all>");
            } else if (m.tags().getOrDefault("segment", "").isEmpty()) {
                m.tags().put("segment", "<default>");
            }
            if (statusRe.matcher(statusName(m.status())).find()) {
                shown.add(m);
            }
        }
        if (shown.isEmpty()) {
            return 2;
        }
        shown.sort(Comparator.comparing((Member m) -> m.tags().getOrDefault("segment", ""))
                .thenComparing(Member::name));
        List<String> lines = flags.getBool("detailed") ? detailed(shown) : standard(shown);
        ui.output(Columnize.format(lines));
        return 0;
    }

    private static Member member(Map<?, ?> m) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (m.get("Tags") instanceof Map<?, ?> t) {
            t.forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
        }
        return new Member(String.valueOf(m.get("Name")), m.get("Addr") == null ? "" : String.valueOf(m.get("Addr")),
                m.get("Port") instanceof Number n ? n.longValue() : 0, tags,
                m.get("Status") instanceof Number n ? n.longValue() : 0);
    }

    /** Serf's {@code MemberStatus.String()}. */
    static String statusName(long status) {
        return switch ((int) status) {
            case 0 -> "none";
            case 1 -> "alive";
            case 2 -> "leaving";
            case 3 -> "left";
            case 4 -> "failed";
            default -> "unknown";
        };
    }

    /** Go's {@code net.TCPAddr.String()}. */
    static String address(String ip, long port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static List<String> standard(List<Member> members) {
        String d = Columnize.DELIM;
        List<String> out = new ArrayList<>();
        out.add(String.join(d, "Node", "Address", "Status", "Type", "Build", "Protocol", "DC", "Segment"));
        for (Member m : members) {
            String addr = address(m.addr(), m.port());
            String build = m.tags().getOrDefault("build", "");
            if (build.isEmpty()) {
                build = "< 0.3";
            } else if (build.indexOf(':') >= 0) {
                build = build.substring(0, build.indexOf(':'));
            }
            String protocol = m.tags().getOrDefault("vsn", "");
            String dc = m.tags().getOrDefault("dc", "");
            String segment = m.tags().getOrDefault("segment", "");
            String status = statusName(m.status());
            switch (m.tags().getOrDefault("role", "")) {
                case "node" -> out.add(String.join(d, m.name(), addr, status, "client", build, protocol, dc, segment));
                case "consul" -> out.add(String.join(d, m.name(), addr, status, "server", build, protocol, dc, segment));
                default -> out.add(String.join(d, m.name(), addr, status, "unknown", "", "", "", ""));
            }
        }
        return out;
    }

    private static List<String> detailed(List<Member> members) {
        String d = Columnize.DELIM;
        List<String> out = new ArrayList<>();
        out.add(String.join(d, "Node", "Address", "Status", "Tags"));
        for (Member m : members) {
            List<String> pairs = new ArrayList<>();
            new TreeMap<>(m.tags()).forEach((k, v) -> pairs.add(k + "=" + v));
            out.add(String.join(d, m.name(), address(m.addr(), m.port()), statusName(m.status()),
                    String.join(",", pairs)));
        }
        return out;
    }
}
