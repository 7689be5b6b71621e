package io.conclave.shell.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.agent.Member;
import io.conclave.api.gossip.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The gossip pools from the Gogo shell, worded as Consul's CLI: {@code members [-wan]}, {@code join [-wan] ADDR...},
 * {@code force-leave [-prune] [-wan] NODE} and {@code event -name NAME [-node RE] [-service RE] [-tag RE] [PAYLOAD]}.
 */
final class GossipCommands {

    static final String MEMBERS_HELP = "members [-wan]: the gossip pool members this agent knows (LAN, or the WAN pool)";
    static final String JOIN_HELP = "join [-wan] ADDRESS...: join the LAN (or WAN) pool through the agents at ADDRESS";
    static final String FORCE_LEAVE_HELP = "force-leave [-prune] [-wan] NODE: mark a failed member left (-prune: forget it)";
    static final String EVENT_HELP = "event -name NAME [-node RE] [-service RE] [-tag RE] [PAYLOAD]: fire a user event";
    /** A join contacts each address in turn; memberlist gives up on one well within this. */
    private static final long TIMEOUT_SECONDS = 60;

    private final Agent agent;

    GossipCommands(Agent agent) {
        this.agent = agent;
    }

    /** Consul's {@code members} table. */
    String members(List<String> args) {
        boolean wan = args.remove("-wan");
        usage(args.isEmpty(), MEMBERS_HELP);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Node", "Address", "Status", "Type", "Build", "Protocol", "DC", "Segment"});
        for (Member m : agent.members(wan)) {
            Map<String, String> tags = m.tags();
            String build = tags.getOrDefault("build", "");
            int colon = build.indexOf(':');
            rows.add(new String[] {m.name(), m.addr() + ":" + m.port(), status(m.status()),
                    "consul".equals(tags.get("role")) ? "server" : "client",
                    colon < 0 ? build : build.substring(0, colon), tags.getOrDefault("vsn", ""),
                    tags.getOrDefault("dc", ""), wan ? "" : "<all>"});
        }
        return Tables.render(rows);
    }

    /** Consul's {@code join}: each address on its own, the failures named, the successes counted. */
    String join(List<String> args) throws Exception {
        boolean wan = args.remove("-wan");
        usage(!args.isEmpty(), JOIN_HELP);
        int joined = 0;
        List<String> errors = new ArrayList<>();
        for (String address : args) {
            try {
                await(agent.join(List.of(address), wan));
                joined++;
            } catch (Exception e) {
                errors.add("Error joining address '" + address + "': " + message(e));
            }
        }
        if (joined == 0) {
            errors.add("Failed to join any nodes.");
            throw new IllegalStateException(String.join("\n", errors));
        }
        errors.add("Successfully joined cluster by contacting " + joined + " nodes.");
        return String.join("\n", errors);
    }

    /** Consul's {@code force-leave}: silent on success. */
    String forceLeave(List<String> args) {
        boolean prune = args.remove("-prune");
        boolean wan = args.remove("-wan");
        usage(args.size() == 1, FORCE_LEAVE_HELP);
        String node = args.get(0);
        boolean found;
        try {
            found = agent.forceLeave(node, prune, wan);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Error force leaving: " + message(e));
        }
        if (!found) {
            throw new IllegalStateException("Error force leaving: agent: No node found with name '" + node + "'");
        }
        return null;
    }

    /** Consul's {@code event}: prints the new event's ID. */
    String event(List<String> args) {
        String name = option(args, "-name");
        String node = option(args, "-node");
        String service = option(args, "-service");
        String tag = option(args, "-tag");
        usage(args.size() <= 1, EVENT_HELP);
        byte[] payload = args.isEmpty() ? null : args.get(0).getBytes(StandardCharsets.UTF_8);
        UserEvent sent;
        try {
            sent = agent.fireEvent(name, payload, node, service, tag);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Error firing event: " + message(e));
        }
        return "Event ID: " + sent.id();
    }

    /** Removes {@code -flag VALUE} (or {@code -flag=VALUE}) from {@code args}; {@code ""} when absent. */
    private static String option(List<String> args, String flag) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith(flag + "=")) {
                args.remove(i);
                return a.substring(flag.length() + 1);
            }
            if (a.equals(flag)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag needs an argument: " + flag);
                }
                String value = args.get(i + 1);
                args.remove(i + 1);
                args.remove(i);
                return value;
            }
        }
        return "";
    }

    private static void usage(boolean ok, String help) {
        if (!ok) {
            throw new IllegalArgumentException("usage: " + help);
        }
    }

    private static String status(int status) {
        return switch (status) {
            case 1 -> "alive";
            case 2 -> "leaving";
            case 3 -> "left";
            case 4 -> "failed";
            default -> "none";
        };
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
