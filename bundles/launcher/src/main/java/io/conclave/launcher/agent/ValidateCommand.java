package io.conclave.launcher.agent;

import io.conclave.launcher.Command;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;
import io.conclave.launcher.config.ConfigException;
import io.conclave.launcher.http.Commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code conclave validate}: Consul's {@code command/validate}: the files and directories are read
 * and checked as {@code conclave agent} (without {@code -dev}) would read them, nothing is started.
 */
public final class ValidateCommand implements Command {

    private static final String HELP = """
            Usage: conclave validate [options] FILE_OR_DIRECTORY...

              Performs a basic sanity test on Conclave configuration files. For each file
              or directory given, the validate command will attempt to parse the
              contents just as the "conclave agent" command would, and catch any errors.
              This is useful to do a test of the configuration only, without actually
              starting the agent.

              Returns 0 if the configuration is valid, or 1 if there are problems.
            """;

    private final Ui ui;

    public ValidateCommand(Ui ui) {
        this.ui = ui;
    }

    private static Flags flags() {
        return new Flags()
                .bool("quiet", "When given, a successful run will produce no output.")
                .string("config-format", "value", "", "Config files are in this format irrespective of their "
                        + "extension. Must be 'hcl' or 'json'");
    }

    @Override
    public String synopsis() {
        return "Validate config files/directories";
    }

    @Override
    public String help() {
        return flags().usage(HELP);
    }

    @Override
    public int run(List<String> args) {
        Flags flags = flags();
        List<String> files;
        try {
            files = flags.parse(args);
        } catch (FlagException e) {
            return Commands.flagError(ui, e, help());
        }
        if (files.isEmpty()) {
            ui.error("Must specify at least one config file or directory");
            return 1;
        }
        List<String> warnings = new ArrayList<>();
        try {
            Map<String, Object> merged = ConfigBuilder.merge(files, flags.getString("config-format", ""), Map.of(),
                    Map.of(), List.of(), warnings);
            AgentConfig config = ConfigBuilder.build(merged, warnings, false, false, 0,
                    new ConfigBuilder.Options(ConfigBuilder.Mode.VALIDATE, NodeIdentity::hostname, null));
            warnings = config.warnings();
        } catch (ConfigException e) {
            ui.error("Config validation failed: " + e.getMessage());
            return 1;
        }
        if (!flags.getBool("quiet")) {
            warnings.forEach(ui::error);
            ui.output("Configuration is valid!");
        }
        return 0;
    }
}
