package io.conclave.launcher;

import io.conclave.launcher.cli.Ui;

/**
 * The {@code conclave} command. Exits through {@link Runtime#halt} once the verb has finished and
 * flushed its output, so that the agent's exit status is its own (0 after a graceful stop on
 * SIGTERM, not 143) and no stray non-daemon thread of a bundle can keep the process alive.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new Cli(Ui.system(), System.getenv()).run(args);
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
