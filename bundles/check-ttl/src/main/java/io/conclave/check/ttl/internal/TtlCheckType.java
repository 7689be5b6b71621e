package io.conclave.check.ttl.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import io.conclave.api.time.GoDuration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Component;

/**
 * Consul's TTL check ({@code CheckTTL} in {@code agent/checks/check.go}). The application reports its
 * state through {@code /v1/agent/check/pass|warn|fail|update}; the agent, not this type, keeps the
 * timer (this service's {@value CheckType#SCHEDULE} property is {@code ttl}) and calls {@link #run}
 * only when {@code ttl} passed without an update. The answer is then critical {@code TTL expired};
 * Consul appends {@code " (last output before timeout follows): <output>"} when an update had set an
 * output, which only the agent knows.
 */
@Component(service = CheckType.class,
        property = {CheckType.TYPE + "=" + TtlCheckType.TYPE, CheckType.SCHEDULE + "=" + TtlCheckType.TYPE})
@Capability(namespace = "osgi.service", uses = CheckType.class,
        attribute = {"objectClass:List<String>=io.conclave.api.check.CheckType", CheckType.TYPE + "=" + TtlCheckType.TYPE,
                CheckType.SCHEDULE + "=" + TtlCheckType.TYPE})
public final class TtlCheckType implements CheckType {

    static final String TYPE = "ttl";
    static final String EXPIRED = "TTL expired";
    static final String TTL_REQUIRED = "TTL must be > 0 for TTL checks";
    static final String NOT_BOTH = "Interval and TTL cannot both be specified";

    @Override
    public void validate(CheckSpec spec) {
        Duration ttl = ttl(spec);
        if (ttl.compareTo(Duration.ZERO) <= 0) {
            throw new IllegalArgumentException(TTL_REQUIRED);
        }
        if (spec.interval().compareTo(Duration.ZERO) > 0) {
            throw new IllegalArgumentException(NOT_BOTH);
        }
    }

    @Override
    public CompletionStage<CheckResult> run(CheckSpec spec) {
        return CompletableFuture.completedFuture(CheckResult.critical(EXPIRED));
    }

    /** {@code ttl} as a Go duration string (or a {@link Duration} when the agent parsed it already). */
    static Duration ttl(CheckSpec spec) {
        Object v = spec.params().get("ttl");
        if (v == null || v.toString().isEmpty()) {
            throw new IllegalArgumentException(TTL_REQUIRED);
        }
        if (v instanceof Duration d) {
            return d;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("ttl must be a duration string such as \"30s\" or \"1m30s\", not " + v);
        }
        try {
            return GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ttl: " + e.getMessage(), e);
        }
    }
}
