package io.conclave.launcher.agent;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The distribution folder ({@code bin/ lib/ bundles/ deploy/ conf/}): the {@code conclave.home}
 * system property that {@code bin/conclave} sets, else {@code CONCLAVE_HOME}, else the parent of
 * the folder holding the launcher jar.
 */
public final class Home {

    private Home() {
    }

    public static Path find() {
        String prop = System.getProperty("conclave.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("CONCLAVE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = jar.getParent() == null ? jar : jar.getParent().getParent();
            if (parent != null && Files.isDirectory(parent.resolve("bundles"))) {
                return parent.toAbsolutePath().normalize();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
