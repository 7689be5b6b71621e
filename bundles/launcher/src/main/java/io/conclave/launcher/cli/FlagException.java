package io.conclave.launcher.cli;

/**
 * A command line that does not parse. {@link #showUsage()} says whether the command's usage
 * should follow the message, as Go's {@code flag} package prints it after a parse error.
 */
public final class FlagException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean showUsage;

    public FlagException(String message, boolean showUsage) {
        super(message);
        this.showUsage = showUsage;
    }

    public boolean showUsage() {
        return showUsage;
    }
}
