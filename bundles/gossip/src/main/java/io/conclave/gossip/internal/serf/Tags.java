package io.conclave.gossip.internal.serf;

import io.conclave.gossip.internal.wire.MsgpackReader;
import io.conclave.gossip.internal.wire.MsgpackWriter;
import io.conclave.gossip.internal.wire.WireException;
import io.conclave.gossip.internal.wire.WireInput;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * serf's tag encoding in memberlist's node Meta ({@code encodeTags}/{@code decodeTags}). Tags are
 * how Consul advertises a node's role, datacenter, RPC port and versions through gossip, so they
 * must byte-match what Go peers parse. Protocol ≥ 3: {@code 0xFF} then a msgpack
 * {@code map[string]string}; older peers put only the role string in Meta, and Meta without the
 * magic byte still decodes as {@code {role: meta}}. Go writes map keys in random order; keys are
 * sorted here so the same tags always give the same Meta. memberlist caps Meta at
 * {@link #META_MAX_SIZE} bytes.
 */
public final class Tags {

    public static final int MAGIC = 0xFF;
    public static final int META_MAX_SIZE = 512;

    private Tags() {
    }

    /** serf {@code encodeTags} for protocol ≥ 3. */
    public static byte[] encode(Map<String, String> tags) {
        MsgpackWriter w = new MsgpackWriter().raw(MAGIC).mapHeader(tags.size());
        for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
            w.str(e.getKey()).str(e.getValue());
        }
        return w.toByteArray();
    }

    /** serf {@code encodeTags} for protocol < 3: only the role. */
    public static byte[] encodeLegacy(Map<String, String> tags) {
        return tags.getOrDefault("role", "").getBytes(StandardCharsets.UTF_8);
    }

    /** serf {@code decodeTags}; malformed maps throw (serf logs and keeps what it decoded). */
    public static Map<String, String> decode(byte[] meta) throws WireException {
        Map<String, String> tags = new HashMap<>();
        if (meta == null || meta.length == 0 || (meta[0] & 0xff) != MAGIC) {
            tags.put("role", meta == null ? "" : new String(meta, StandardCharsets.UTF_8));
            return tags;
        }
        MsgpackReader r = new MsgpackReader(WireInput.of(meta, 1, meta.length - 1));
        long n = r.mapHeader();
        for (long i = 0; i < n; i++) {
            String k = r.str();
            tags.put(k, r.str());
        }
        return tags;
    }
}
