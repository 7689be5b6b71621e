package io.conclave.launcher.config;

/**
 * A configuration that cannot be used. The message names the source (file, {@code -hcl} fragment or
 * command-line flags), the key and the reason; the agent prints it as {@code ==> message},
 * {@code validate} as {@code Config validation failed: message}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
