package io.conclave.api.check;

import io.conclave.api.catalog.Health;
import java.util.Objects;

/**
 * What one run of a check found.
 *
 * @param status {@link Health#PASSING}, {@link Health#WARNING} or {@link Health#CRITICAL}
 * @param output human-readable detail, already truncated to the spec's {@code outputMaxSize}
 */
public record CheckResult(String status, String output) {
    public CheckResult {
        if (!Health.isStatus(status)) {
            throw new IllegalArgumentException("not a check status: " + status);
        }
        output = Objects.requireNonNullElse(output, "");
    }

    public static CheckResult passing(String output) {
        return new CheckResult(Health.PASSING, output);
    }

    public static CheckResult warning(String output) {
        return new CheckResult(Health.WARNING, output);
    }

    public static CheckResult critical(String output) {
        return new CheckResult(Health.CRITICAL, output);
    }
}
