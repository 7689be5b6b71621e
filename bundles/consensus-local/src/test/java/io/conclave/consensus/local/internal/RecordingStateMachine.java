package io.conclave.consensus.local.internal;

import io.conclave.api.consensus.Command;
import io.conclave.api.state.StateMachine;
import io.conclave.api.state.UnknownCommandException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what it applied. Code 99 is unknown to it; code 98 is rejected with an
 * IllegalArgumentException (a known but invalid command). Deliberately not thread-safe beyond what
 * the consensus promises (one apply at a time), so concurrent applies would show up as lost records.
 */
final class RecordingStateMachine implements StateMachine {

    record Applied(long index, Command command, String thread) {
    }

    static final int UNKNOWN = 99;
    static final int INVALID = 98;

    final List<Applied> applied = new ArrayList<>();
    private long last;
    private boolean inApply;

    RecordingStateMachine(long startIndex) {
        this.last = startIndex;
    }

    @Override
    public Object apply(long index, Command command) {
        if (inApply) {
            throw new AssertionError("concurrent apply");
        }
        inApply = true;
        try {
            if (index <= last) {
                throw new IllegalStateException("index " + index + " not above " + last);
            }
            if (command.code() == UNKNOWN) {
                throw new UnknownCommandException(command.code(), index);
            }
            last = index;
            if (command.code() == INVALID) {
                throw new IllegalArgumentException("invalid command");
            }
            applied.add(new Applied(index, command, Thread.currentThread().getName()));
            return "ok@" + index;
        } finally {
            inApply = false;
        }
    }

    @Override
    public void snapshot(OutputStream out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restore(InputStream in) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long lastIndex() {
        return last;
    }
}
