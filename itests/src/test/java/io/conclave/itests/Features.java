package io.conclave.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * Reads the bundle sets the {@code features} module lays out as
 * {@code features/target/features/<feature>/<start level>/*.jar}, so the tests boot exactly what the
 * distribution ships. Runs in the test JVM only (from {@code @Configuration} methods).
 */
final class Features {

    private Features() {
    }

    static Path dir() {
        String dir = System.getProperty("conclave.features.dir");
        if (dir == null) {
            throw new IllegalStateException("system property conclave.features.dir is not set: run through Maven failsafe");
        }
        return Path.of(dir);
    }

    /** Pax Exam provisioning options for the named features, each bundle at its start level. */
    static Option[] bundles(String... features) {
        List<Option> options = new ArrayList<>();
        for (String feature : features) {
            Path featureDir = dir().resolve(feature);
            if (!Files.isDirectory(featureDir)) {
                throw new IllegalStateException("feature " + feature + " not built: " + featureDir + " is missing");
            }
            try (Stream<Path> levels = Files.list(featureDir)) {
                for (Path level : levels.sorted().toList()) {
                    int startLevel = Integer.parseInt(level.getFileName().toString());
                    try (Stream<Path> jars = Files.list(level)) {
                        for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                            options.add(bundle(jar.toUri().toString()).startLevel(startLevel).start());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return options.toArray(new Option[0]);
    }
}
