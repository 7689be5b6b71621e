package io.conclave.gossip.internal.serf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.gossip.internal.wire.WireException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Meta encoding of serf tags (serf.go encodeTags/decodeTags; GOSSIP-WIRE.md §4). */
class TagsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void singleRoleMatchesTheKnownBytes() {
        assertEquals("ff81a4726f6c65a178", HEX.formatHex(Tags.encode(Map.of("role", "x"))));
    }

    @Test
    void emptyTagsAreMagicAndAnEmptyMap() throws WireException {
        byte[] meta = Tags.encode(Map.of());
        assertEquals("ff80", HEX.formatHex(meta));
        assertEquals(Map.of(), Tags.decode(meta));
    }

    @Test
    void consulServerTagsRoundTrip() throws WireException {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", "consul");
        tags.put("dc", "dc1");
        tags.put("segment", "");
        tags.put("id", "0b7e6c8a-1f0e-4a3c-9d4e-2f8c5b6a7d91");
        tags.put("vsn", "2");
        tags.put("vsn_min", "2");
        tags.put("vsn_max", "3");
        tags.put("raft_vsn", "3");
        tags.put("build", "1.9.0:1234abcd");
        tags.put("port", "8300");
        tags.put("grpc_port", "8502");
        tags.put("wan_join_port", "8302");
        tags.put("expect", "3");
        tags.put("acls", "0");
        tags.put("ft_fs", "1");
        tags.put("ft_si", "1");
        byte[] meta = Tags.encode(tags);
        assertEquals(0xff, meta[0] & 0xff);
        assertEquals(0xde, meta[1] & 0xff, "16 entries need map16");
        assertTrue(meta.length <= Tags.META_MAX_SIZE);
        assertEquals(tags, Tags.decode(meta));
    }

    @Test
    void consulClientTagsRoundTrip() throws WireException {
        Map<String, String> tags = Map.of("role", "node", "dc", "dc1", "segment", "", "id", "abc",
                "vsn", "2", "vsn_min", "2", "vsn_max", "3", "build", "1.9.0:1234abcd", "rc_tm", "259200000");
        assertEquals(tags, Tags.decode(Tags.encode(tags)));
    }

    @Test
    void encodingIsIndependentOfMapOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("role", "consul");
        a.put("dc", "dc1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("dc", "dc1");
        b.put("role", "consul");
        assertArrayEquals(Tags.encode(a), Tags.encode(b));
    }

    @Test
    void unicodeAndLongValuesRoundTrip() throws WireException {
        Map<String, String> tags = Map.of("sl_alpha", "10.0.0.1:8303", "note", "é".repeat(40), "long", "v".repeat(300));
        assertEquals(tags, Tags.decode(Tags.encode(tags)));
    }

    @Test
    void metaWithoutMagicIsTheLegacyRole() throws WireException {
        assertEquals(Map.of("role", "consul"), Tags.decode("consul".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("role", ""), Tags.decode(new byte[0]));
        assertArrayEquals("node".getBytes(StandardCharsets.UTF_8), Tags.encodeLegacy(Map.of("role", "node", "dc", "x")));
    }

    @Test
    void truncatedOrWrongTypedMetaThrows() {
        byte[] meta = Tags.encode(Map.of("role", "consul"));
        byte[] cut = java.util.Arrays.copyOf(meta, meta.length - 2);
        assertThrows(WireException.class, () -> Tags.decode(cut));
        assertThrows(WireException.class, () -> Tags.decode(HEX.parseHex("ff92a161a162")));
    }
}
