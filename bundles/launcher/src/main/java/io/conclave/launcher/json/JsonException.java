package io.conclave.launcher.json;

/** A JSON text that does not parse; the message says where, as Go's encoding/json does. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
