package io.conclave.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.conclave.api.kv.KvEntry;

/**
 * Consul's {@code structs.DirEntry} as JSON, in its field order: LockIndex, Key, Flags, Value, Session
 * (omitted when empty), then the embedded RaftIndex's CreateIndex and ModifyIndex. Value is base64, or
 * {@code null} for a value written with an empty body.
 */
@JsonPropertyOrder({"LockIndex", "Key", "Flags", "Value", "Session", "CreateIndex", "ModifyIndex"})
public record DirEntry(
        @JsonSerialize(using = Json.Unsigned.class) long lockIndex,
        String key,
        @JsonSerialize(using = Json.Unsigned.class) long flags,
        byte[] value,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String session,
        @JsonSerialize(using = Json.Unsigned.class) long createIndex,
        @JsonSerialize(using = Json.Unsigned.class) long modifyIndex) {

    public static DirEntry of(KvEntry e) {
        return new DirEntry(e.lockIndex(), e.key(), e.flags(), e.value(), e.session(), e.createIndex(), e.modifyIndex());
    }
}
