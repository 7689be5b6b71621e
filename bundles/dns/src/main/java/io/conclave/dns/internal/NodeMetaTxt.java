package io.conclave.dns.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Node metadata as TXT records, one per key: {@code key=value} encoded per RFC 1464 (backquote escapes),
 * or the bare value for keys starting {@code rfc1035-}, as Consul's {@code makeTXTRecordFromNodeMeta}.
 * Keys are sorted so answers are stable; values longer than 255 bytes become several strings.
 */
final class NodeMetaTxt {

    private NodeMetaTxt() {
    }

    static List<Record> records(Name owner, Map<String, String> meta, long ttl) {
        List<Record> out = new ArrayList<>(meta.size());
        for (Map.Entry<String, String> e : new TreeMap<>(meta).entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            String txt = e.getKey().toLowerCase(Locale.ROOT).startsWith("rfc1035-") ? value : rfc1464(e.getKey(), value);
            out.add(new TXTRecord(owner, DClass.IN, ttl, strings(txt)));
        }
        return out;
    }

    static String rfc1464(String key, String value) {
        String k = key.replace("`", "``").replace("=", "`=");
        int lead = 0;
        while (lead < k.length() && k.charAt(lead) == ' ') {
            lead++;
        }
        int trail = 0;
        while (trail < k.length() - lead && k.charAt(k.length() - 1 - trail) == ' ') {
            trail++;
        }
        k = "` ".repeat(lead) + k.substring(lead, k.length() - trail) + "` ".repeat(trail);
        return k + "=" + value.replace("`", "``");
    }

    /** dnsjava reads TXT strings as zone-file text: escape every byte that text would change. */
    static List<String> strings(String txt) {
        byte[] bytes = txt.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int i = 0;
        do {
            int end = Math.min(bytes.length, i + 255);
            StringBuilder sb = new StringBuilder();
            for (int j = i; j < end; j++) {
                int b = bytes[j] & 0xFF;
                if (b >= 0x20 && b < 0x7F && b != '\\' && b != '"') {
                    sb.append((char) b);
                } else {
                    sb.append('\\').append(String.format("%03d", b));
                }
            }
            out.add(sb.toString());
            i = end;
        } while (i < bytes.length);
        return out;
    }
}
