package io.conclave.launcher;

import io.conclave.launcher.agent.AgentCommand;
import io.conclave.launcher.agent.ValidateCommand;
import io.conclave.launcher.catalog.CatalogCommands;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.http.EventCommand;
import io.conclave.launcher.http.ForceLeaveCommand;
import io.conclave.launcher.http.InfoCommand;
import io.conclave.launcher.http.JoinCommand;
import io.conclave.launcher.http.KeygenCommand;
import io.conclave.launcher.http.KeyringCommand;
import io.conclave.launcher.http.LeaveCommand;
import io.conclave.launcher.http.MaintCommand;
import io.conclave.launcher.http.MembersCommand;
import io.conclave.launcher.http.ReloadCommand;
import io.conclave.launcher.http.ShellCommand;
import io.conclave.launcher.http.WatchCommand;
import io.conclave.launcher.kv.KvCommands;
import io.conclave.launcher.services.ServicesCommands;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verb dispatcher, behaving as Consul's ({@code mitchellh/cli}): {@code -h}/{@code --help}
 * anywhere prints help and exits 0; {@code -v}/{@code --version} anywhere prints the version;
 * no verb or an unknown verb prints the command list and exits 127; a verb that only groups
 * subcommands ({@code kv}, {@code catalog}, {@code services}) prints its help and exits 1.
 */
public final class Cli {

    private final Ui ui;
    private final Map<String, String> env;
    private final Map<String, Command> commands = new TreeMap<>();

    public Cli(Ui ui, Map<String, String> env) {
        this.ui = ui;
        this.env = env;
        commands.put("agent", new AgentCommand(ui));
        commands.put("leave", new LeaveCommand(ui, env));
        commands.put("shell", new ShellCommand(ui, env));
        commands.put("version", new VersionCommand(ui));
        commands.put("kv", new GroupCommand("Interact with the key-value store", KvCommands.KV_HELP));
        commands.putAll(KvCommands.all(ui, env));
        commands.put("catalog", new GroupCommand(CatalogCommands.SYNOPSIS, CatalogCommands.HELP));
        commands.putAll(CatalogCommands.all(ui, env));
        commands.put("services", new GroupCommand(ServicesCommands.SYNOPSIS, ServicesCommands.HELP));
        commands.putAll(ServicesCommands.all(ui, env));
        commands.put("info", new InfoCommand(ui, env));
        commands.put("maint", new MaintCommand(ui, env));
        commands.put("members", new MembersCommand(ui, env));
        commands.put("join", new JoinCommand(ui, env));
        commands.put("force-leave", new ForceLeaveCommand(ui, env));
        commands.put("event", new EventCommand(ui, env));
        commands.put("watch", new WatchCommand(ui, env));
        commands.put("keygen", new KeygenCommand(ui, new SecureRandom()));
        commands.put("keyring", new KeyringCommand(ui, env));
        commands.put("reload", new ReloadCommand(ui, env));
        commands.put("validate", new ValidateCommand(ui));
    }

    public int run(String[] argv) {
        List<String> args = Arrays.asList(argv);
        boolean help = false;
        List<String> topFlags = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-v") || arg.equals("--version") || arg.equals("-version")) {
                return commands.get("version").run(List.of());
            }
        }

        // Find the verb: the first argument that is not a flag, extended by nested verbs ("kv get").
        String verb = "";
        List<String> verbArgs = List.of();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("-help") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (verb.isEmpty() && !arg.isEmpty() && arg.charAt(0) == '-') {
                topFlags.add(arg);
                continue;
            }
            if (verb.isEmpty() && !arg.isEmpty()) {
                verb = arg;
                int end = i + 1;
                while (end < args.size() && commands.containsKey(verb + " " + args.get(end))) {
                    verb = verb + " " + args.get(end);
                    end++;
                }
                verbArgs = args.subList(end, args.size());
                // keep scanning for -h among the verb's arguments, as mitchellh/cli does
                for (String rest : verbArgs) {
                    if (rest.equals("--")) {
                        break;
                    }
                    if (rest.equals("-h") || rest.equals("-help") || rest.equals("--help")) {
                        help = true;
                    }
                }
                break;
            }
        }

        if (verb.isEmpty()) {
            ui.info(usage());
            return help ? 0 : 127;
        }
        Command command = commands.get(verb);
        if (command == null) {
            ui.info(usage());
            return 127;
        }
        if (help) {
            ui.info(commandHelp(verb, command));
            return 0;
        }
        if (!topFlags.isEmpty()) {
            ui.info("Invalid flags before the subcommand. If these flags are for\n"
                    + "the subcommand, please put them after the subcommand.\n");
            ui.info(commandHelp(verb, command));
            return 1;
        }
        if (command instanceof GroupCommand) {
            ui.info(commandHelp(verb, command));
            return 1;
        }
        return command.run(verbArgs);
    }

    /** The top-level usage, Consul's {@code BasicHelpFunc}. */
    public String usage() {
        Map<String, Command> top = new LinkedHashMap<>();
        commands.forEach((k, v) -> {
            if (!k.contains(" ")) {
                top.put(k, v);
            }
        });
        int width = top.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder("Usage: conclave [--version] [--help] <command> [<args>]\n\n");
        sb.append("Available commands are:\n");
        top.forEach((k, v) -> sb.append("    ").append(pad(k, width)).append("    ").append(v.synopsis())
                .append('\n'));
        return sb.toString();
    }

    private String commandHelp(String verb, Command command) {
        StringBuilder sb = new StringBuilder(command.help().strip());
        List<String> subs = commands.keySet().stream()
                .filter(k -> k.startsWith(verb + " ") && !k.substring(verb.length() + 1).contains(" "))
                .toList();
        if (!subs.isEmpty()) {
            int width = subs.stream().mapToInt(String::length).max().orElse(0);
            sb.append("\n\nSubcommands:");
            for (String k : subs) {
                String name = k.substring(verb.length() + 1);
                sb.append("\n    ").append(name).append(" ".repeat(width - k.length())).append("    ")
                        .append(commands.get(k).synopsis());
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** A verb that only groups subcommands. */
    private record GroupCommand(String synopsis, String help) implements Command {
        @Override
        public int run(List<String> args) {
            return 1;
        }
    }
}
