package io.conclave.api.consensus;

import java.util.Objects;

/**
 * One entry of the replicated log: a type code and its encoded payload. Payload encodings are
 * defined beside the request records that produce them (e.g. {@code KvRequest#encode}) and are
 * append-only: new fields go at the end, guarded by a version byte.
 *
 * @param code    a {@link MessageType} code, possibly with {@link MessageType#IGNORE_UNKNOWN_FLAG}
 * @param payload the encoded request; never mutated after construction
 */
public record Command(int code, byte[] payload) {
    public Command {
        Objects.requireNonNull(payload, "payload");
    }

    public static Command of(MessageType type, byte[] payload) {
        return new Command(type.code(), payload);
    }
}
