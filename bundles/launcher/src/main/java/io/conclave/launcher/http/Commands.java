package io.conclave.launcher.http;

import io.conclave.launcher.cli.FlagException;
import io.conclave.launcher.cli.Ui;

/** Helpers shared by the client commands. */
public final class Commands {

    private Commands() {
    }

    /** Prints a flag error as Go's flag package does (message, then usage) and returns 1. */
    public static int flagError(Ui ui, FlagException e, String help) {
        if (!e.getMessage().isEmpty()) {
            ui.error(e.getMessage());
        }
        if (e.showUsage()) {
            ui.error(help);
        }
        return 1;
    }
}
