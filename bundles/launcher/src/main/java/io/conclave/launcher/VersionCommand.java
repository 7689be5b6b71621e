package io.conclave.launcher;

import io.conclave.launcher.cli.Ui;

import java.util.List;

/** {@code conclave version}, {@code -v}, {@code --version}. */
public final class VersionCommand implements Command {

    private final Ui ui;

    public VersionCommand(Ui ui) {
        this.ui = ui;
    }

    @Override
    public String synopsis() {
        return "Prints the Conclave version";
    }

    @Override
    public String help() {
        return "Usage: conclave version\n\n  Prints the Conclave version.";
    }

    @Override
    public int run(List<String> args) {
        ui.info("Conclave v" + BuildInfo.version());
        ui.info("Revision " + BuildInfo.revision());
        ui.info(BuildInfo.PROTOCOL_LINE);
        return 0;
    }
}
