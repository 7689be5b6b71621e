package io.conclave.agent.internal;

import io.conclave.api.check.CheckResult;
import io.conclave.api.check.CheckSpec;
import io.conclave.api.check.CheckType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A check type whose runs a test completes by hand, or that answers at once with {@link #answer}. */
final class FakeType implements CheckType {

    final List<CheckSpec> specs = new ArrayList<>();
    final List<CompletableFuture<CheckResult>> pending = new ArrayList<>();
    volatile Function<CheckSpec, CheckResult> answer;
    volatile String invalid;

    FakeType() {
    }

    FakeType(Function<CheckSpec, CheckResult> answer) {
        this.answer = answer;
    }

    static FakeType answering(String status, String output) {
        return new FakeType(spec -> new CheckResult(status, output));
    }

    @Override
    public void validate(CheckSpec spec) {
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
    }

    @Override
    public synchronized CompletionStage<CheckResult> run(CheckSpec spec) {
        specs.add(spec);
        Function<CheckSpec, CheckResult> a = answer;
        if (a != null) {
            return CompletableFuture.completedFuture(a.apply(spec));
        }
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        pending.add(f);
        return f;
    }

    synchronized int runs() {
        return specs.size();
    }

    /** Completes the oldest run still open. */
    void complete(CheckResult result) {
        CompletableFuture<CheckResult> f;
        synchronized (this) {
            f = pending.remove(0);
        }
        f.complete(result);
    }
}
