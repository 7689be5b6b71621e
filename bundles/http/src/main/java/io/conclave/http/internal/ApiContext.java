package io.conclave.http.internal;

import io.conclave.api.agent.Agent;
import io.conclave.api.query.DatacenterNotFoundException;
import io.conclave.api.query.QueryOptions;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * What every resource shares: the agent, the settings, the executor answers are written on, and the
 * random source for blocking-query jitter (injectable so tests can pin it).
 */
public final class ApiContext {

    /** How long past its own deadline a parked request may wait for its endpoint before it is failed. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(60);

    private final Agent agent;
    private final Settings settings;
    private final Executor executor;
    private final LongUnaryOperator stagger;

    public ApiContext(Agent agent, Settings settings, Executor executor, LongUnaryOperator stagger) {
        this.agent = agent;
        this.settings = settings;
        this.executor = executor;
        this.stagger = stagger;
    }

    public Agent agent() {
        return agent;
    }

    public Settings settings() {
        return settings;
    }

    public LongUnaryOperator stagger() {
        return stagger;
    }

    /** Consul answers {@code ?pretty} (and everything in dev mode) indented. */
    public boolean pretty(GoQuery query) {
        return settings.devMode() || query.has("pretty");
    }

    /**
     * The agent's own datacenter is the only one reachable until WAN federation exists; Consul fails the
     * RPC for any other with {@code No path to datacenter}.
     */
    public void checkDatacenter(String dc) {
        if (!dc.isEmpty() && !dc.equals(agent.identity().datacenter())) {
            throw new DatacenterNotFoundException(dc);
        }
    }

    /**
     * Answers {@code response} when {@code stage} completes, on the request executor rather than on
     * whichever thread completed the stage (a store writer waking thousands of watchers must not write
     * thousands of responses itself). No thread waits in between.
     */
    public <T> void resume(AsyncResponse response, Duration deadline, CompletionStage<T> stage,
                           Function<T, Response> render) {
        answer(response, deadline, stage, render, null);
    }

    /**
     * {@link #resume} for a read that may park: while it waits, the connection is watched so that a
     * client that hangs up frees its connection at once instead of when the wait ends.
     *
     * @param request the JAX-RS request (its properties carry the connection)
     */
    public <T> void resumeWatched(AsyncResponse response, ContainerRequest request, QueryOptions options,
                                  CompletionStage<T> stage, Function<T, Response> render) {
        Parking parking = null;
        if (options.minIndex() > 0) {
            boolean bodiless = request.getLength() <= 0 && request.getHeaderString("Transfer-Encoding") == null;
            parking = Parking.park(request.getProperty(Parking.END_POINT), options.maxWait().plus(SAFETY_MARGIN),
                    bodiless, () -> executor.execute(() -> withJerseyLoader(() -> {
                        // The client is gone: end the request now rather than when the wait ends.
                        response.cancel();
                        try {
                            stage.toCompletableFuture().cancel(false);
                        } catch (UnsupportedOperationException e) {
                            // the endpoint's stage cannot be cancelled; it ends with its wait
                        }
                    })));
        }
        answer(response, options.maxWait(), stage, render, parking);
    }

    private <T> void answer(AsyncResponse response, Duration deadline, CompletionStage<T> stage,
                            Function<T, Response> render, Parking parking) {
        Duration limit = deadline.plus(SAFETY_MARGIN);
        response.setTimeoutHandler(r -> {
            if (parking != null) {
                parking.unpark();
            }
            r.resume(new HttpError(500, "the endpoint did not answer within " + limit.toSeconds() + "s"));
        });
        response.setTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
        stage.whenCompleteAsync((value, failure) -> withJerseyLoader(() -> {
            boolean closeAfter = parking != null && parking.unpark();
            if (failure != null) {
                response.resume(failure);
                return;
            }
            Response answer;
            try {
                answer = render.apply(value);
            } catch (RuntimeException e) {
                response.resume(e);
                return;
            }
            if (closeAfter) {
                answer = Response.fromResponse(answer).header("Connection", "close").build();
            }
            response.resume(answer);
        }), executor);
    }

    /** Runs {@code task} with Jersey's class loader as context loader, as Jetty does for a servlet dispatch. */
    private static void withJerseyLoader(Runnable task) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(org.glassfish.jersey.server.ResourceConfig.class.getClassLoader());
        try {
            task.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Like {@link #resume} for stages that complete promptly (writes). */
    public <T> void resume(AsyncResponse response, CompletionStage<T> stage, Function<T, Response> render) {
        resume(response, Duration.ofMinutes(1), stage, render);
    }
}
