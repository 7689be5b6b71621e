package io.conclave.gossip.internal.serf;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiving side of queries ({@code handleQuery} before the filters): the query Lamport
 * clock, {@code queryMinTime}, the window and a ring of {@code QueryBuffer} slots deduplicating on
 * (LTime, ID). Like user events, queries are gossiped and arrive many times; each must be
 * answered (and acked) once.
 */
public final class QueryDedupe {

    private record Slot(long ltime, List<Long> ids) {}

    private final LamportClock clock = new LamportClock();
    private final Slot[] slots;
    private long minTime;

    public QueryDedupe(int size) {
        this.slots = new Slot[size];
    }

    public LamportClock clock() {
        return clock;
    }

    public void setMinTime(long ltime) {
        this.minTime = ltime;
    }

    /** True if this (LTime, ID) is new and within the window: process it and rebroadcast. */
    public boolean firstSeen(long ltime, long id) {
        clock.witness(ltime);
        if (Long.compareUnsigned(ltime, minTime) < 0) {
            return false;
        }
        long cur = clock.time();
        if (Long.compareUnsigned(cur, slots.length) > 0 && Long.compareUnsigned(ltime, cur - slots.length) < 0) {
            return false;
        }
        int idx = (int) Long.remainderUnsigned(ltime, slots.length);
        Slot seen = slots[idx];
        if (seen != null && seen.ltime() == ltime) {
            if (seen.ids().contains(id)) {
                return false;
            }
        } else {
            seen = new Slot(ltime, new ArrayList<>());
            slots[idx] = seen;
        }
        seen.ids().add(id);
        return true;
    }
}
