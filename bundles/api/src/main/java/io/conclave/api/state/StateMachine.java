package io.conclave.api.state;

import io.conclave.api.consensus.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The write side of the state store, driven by {@link io.conclave.api.consensus.Consensus}.
 *
 * <p>Only one thread calls {@link #apply} at a time, in log order, with rising indexes. Readers are
 * never blocked by it: they read point-in-time views.
 */
@ProviderType
public interface StateMachine {

    /**
     * Applies one committed command as a single transaction at {@code index}.
     *
     * @return the command's response (e.g. {@code Boolean.TRUE} for a successful KV CAS)
     * @throws UnknownCommandException for a code this version does not know and may not ignore;
     *         the caller must stop applying rather than diverge from the other servers
     */
    Object apply(long index, Command command);

    /** Writes a point-in-time copy of the whole store. Concurrent applies are not blocked. */
    void snapshot(OutputStream out) throws IOException;

    /**
     * Replaces the whole store with a snapshot written by {@link #snapshot}. Every parked blocking
     * query wakes and re-reads from the new store.
     */
    void restore(InputStream in) throws IOException;

    /** The index of the last applied command (0 when empty). */
    long lastIndex();
}
