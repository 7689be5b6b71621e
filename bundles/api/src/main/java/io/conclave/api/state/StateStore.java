package io.conclave.api.state;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The read side of the state store.
 *
 * <h2>Blocking queries</h2>
 * {@link #query} is the one blocking-query helper; HTTP resources never hand-roll long polls. Its rules:
 * <ol>
 *   <li>The query function must read only through the {@link StoreView} it is given; the view records
 *       every key and prefix read, and those are what the helper watches.</li>
 *   <li>If {@code minIndex} is 0, or the result's index is above {@code minIndex}, it completes at once.</li>
 *   <li>Otherwise it parks without holding a thread, and re-runs the query on a fresh view when a watched
 *       row changes (a write, a delete, a restore), completing as soon as the index is above {@code minIndex}.</li>
 *   <li>When {@code maxWait} elapses it runs the query once more and completes with that result, changed or not.</li>
 *   <li>A query that throws completes the stage exceptionally; it is never retried.</li>
 *   <li>Cancelling the stage ({@code toCompletableFuture().cancel(false)}) abandons a parked query and
 *       releases what it watches at once; endpoints pass a caller's cancellation through.</li>
 * </ol>
 */
@ProviderType
public interface StateStore {

    /** A point-in-time view of the latest applied state; never blocks writers. */
    StoreView view();

    <T> CompletionStage<Indexed<T>> query(long minIndex, Duration maxWait, Function<StoreView, Indexed<T>> query);

    /** Number of blocking queries currently parked (for metrics and tests). */
    int parkedQueries();
}
