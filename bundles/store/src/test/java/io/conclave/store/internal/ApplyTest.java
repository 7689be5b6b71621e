package io.conclave.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.api.consensus.Command;
import io.conclave.api.consensus.MessageType;
import io.conclave.api.kv.KvRequest;
import io.conclave.api.state.UnknownCommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplyTest {

    private final Kv kv = Kv.active();

    @AfterEach
    void stop() {
        kv.close();
    }

    @Test
    void unknownCodeStopsWithoutConsumingItsIndex() {
        kv.set("k", "v");
        UnknownCommandException e = assertThrows(UnknownCommandException.class,
                () -> kv.store.apply(2, new Command(77, new byte[0])));
        assertTrue(e.getMessage().contains("unknown command type 77 at index 2"), e.getMessage());
        assertEquals(1, kv.store.lastIndex());
    }

    @Test
    void unknownCodeMarkedIgnorableIsSkippedAndConsumesItsIndex() {
        kv.set("k", "v");
        assertNull(kv.store.apply(2, new Command(77 | MessageType.IGNORE_UNKNOWN_FLAG, new byte[] {1, 2})));
        assertEquals(2, kv.store.lastIndex());
        assertEquals(1, kv.listIndex(""), "no table changed");
    }

    @Test
    void knownTypeThisStoreCannotApplyYetIsTreatedAsUnknown() {
        assertThrows(UnknownCommandException.class, () -> kv.store.apply(1, Command.of(MessageType.SESSION, new byte[0])));
        assertNull(kv.store.apply(1, new Command(MessageType.SESSION.code() | MessageType.IGNORE_UNKNOWN_FLAG, new byte[0])));
    }

    @Test
    void malformedRegisterConsumesItsIndexAndChangesNothing() {
        assertThrows(IllegalArgumentException.class, () -> kv.store.apply(1, Command.of(MessageType.REGISTER, new byte[0])));
        assertEquals(1, kv.store.lastIndex());
        assertThrows(IllegalArgumentException.class, () -> kv.store.apply(2, Command.of(MessageType.DEREGISTER, new byte[] {9})));
        assertEquals(2, kv.store.lastIndex());
        assertTrue(kv.store.view().catalogNodes().value().isEmpty());
        assertEquals(0, kv.store.view().catalogNodes().index());
    }

    @Test
    void kvsWithIgnoreFlagIsStillApplied() {
        Object r = kv.store.apply(1, new Command(MessageType.KVS.code() | MessageType.IGNORE_UNKNOWN_FLAG,
                KvRequest.set("k", Kv.bytes("v"), 0).encode()));
        assertEquals(Boolean.TRUE, r);
        assertTrue(kv.get("k").isPresent());
    }

    @Test
    void indexNotAboveLastIsRejected() {
        kv.store.apply(5, Command.of(MessageType.KVS, KvRequest.set("k", Kv.bytes("v"), 0).encode()));
        IllegalStateException same = assertThrows(IllegalStateException.class,
                () -> kv.store.apply(5, Command.of(MessageType.KVS, KvRequest.set("k", Kv.bytes("w"), 0).encode())));
        assertTrue(same.getMessage().contains("already applied index 5"), same.getMessage());
        assertThrows(IllegalStateException.class,
                () -> kv.store.apply(3, Command.of(MessageType.KVS, KvRequest.set("k", Kv.bytes("w"), 0).encode())));
        assertEquals("v", Kv.text(kv.entry("k")));
        assertEquals(5, kv.store.lastIndex());
    }

    @Test
    void indexesMayHaveGaps() {
        kv.store.apply(10, Command.of(MessageType.KVS, KvRequest.set("k", Kv.bytes("v"), 0).encode()));
        assertEquals(10, kv.entry("k").createIndex());
    }

    @Test
    void malformedKvPayloadConsumesIndexAndChangesNothing() {
        kv.set("k", "v");
        assertThrows(IllegalArgumentException.class, () -> kv.store.apply(2, Command.of(MessageType.KVS, new byte[] {9})));
        assertEquals(2, kv.store.lastIndex());
        assertEquals(1, kv.listIndex(""));
    }
}
