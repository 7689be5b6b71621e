package io.conclave.store.internal;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How a table's rows are written to and read from a snapshot. A codec is part of the snapshot
 * format: change it only by bumping {@link SnapshotFormat#VERSION} and keeping a reader for the old
 * layout.
 */
interface RowCodec<R> {

    void write(DataOutputStream out, R row) throws IOException;

    /** Reads one row; every malformed input ends in an {@link java.io.IOException} from {@code in}. */
    R read(SnapshotReader in) throws IOException;
}
