package io.conclave.launcher.kv;

import io.conclave.launcher.json.Json;
import io.conclave.launcher.json.JsonException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /v1/kv/...}, as Consul's API client decodes it. */
public record KvPair(String key, long createIndex, long modifyIndex, long lockIndex, long flags, byte[] value,
                     String session) {

    /** Decodes the JSON array the KV endpoint answers with. */
    public static List<KvPair> parseList(String json) throws JsonException {
        Object root = Json.parse(json);
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof List<?> list)) {
            throw new JsonException("json: cannot unmarshal " + kind(root) + " into Go value of type []*api.KVPair");
        }
        List<KvPair> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new JsonException("json: cannot unmarshal " + kind(o) + " into Go value of type api.KVPair");
            }
            Object v = m.get("Value");
            byte[] value = v instanceof String s ? Base64.getDecoder().decode(s) : new byte[0];
            Object session = m.get("Session");
            out.add(new KvPair(String.valueOf(m.get("Key")), num(m.get("CreateIndex")), num(m.get("ModifyIndex")),
                    num(m.get("LockIndex")), num(m.get("Flags")), value,
                    session instanceof String s ? s : ""));
        }
        return out;
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static String kind(Object o) {
        if (o instanceof Map) {
            return "object";
        }
        if (o instanceof List) {
            return "array";
        }
        if (o instanceof String) {
            return "string";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        return "number";
    }

    /** The entry of {@code kv export}: {@code {"key","flags","value"(base64)}}, in that order. */
    public Map<String, Object> toExportEntry() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("flags", flags);
        m.put("value", Base64.getEncoder().encodeToString(value));
        return m;
    }
}
