package io.conclave.launcher;

import java.util.List;

/** One verb of the {@code conclave} command, as a command of Consul's CLI. */
public interface Command {

    /** One line for the command list. */
    String synopsis();

    /** The full help text, printed for {@code -h}. */
    String help();

    /** Runs the command and returns the process exit status. */
    int run(List<String> args);
}
