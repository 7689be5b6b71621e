package io.conclave.launcher.http;

import io.conclave.launcher.Command;
import io.conclave.launcher.agent.GossipKey;
import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Flags;
import io.conclave.launcher.cli.Ui;

import java.security.SecureRandom;
import java.util.List;

/** {@code conclave keygen}: Consul's {@code command/keygen}, a random 32-byte gossip key in base64. */
public final class KeygenCommand implements Command {

    private static final String HELP = """
            Usage: conclave keygen

              Generates a new encryption key that can be used to configure the
              agent to encrypt traffic. The output of this command is already
              in the proper format that the agent expects.
            """;

    private final Ui ui;
    private final SecureRandom random;

    public KeygenCommand(Ui ui, SecureRandom random) {
        this.ui = ui;
        this.random = random;
    }

    @Override
    public String synopsis() {
        return "Generates a new encryption key";
    }

    @Override
    public String help() {
        return new Flags().usage(HELP);
    }

    @Override
    public int run(List<String> args) {
        try {
            new Flags().parse(args);
        } catch (FlagException e) {
            return Commands.flagError(ui, e, help());
        }
        ui.output(GossipKey.generate(random));
        return 0;
    }
}
