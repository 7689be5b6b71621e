package io.conclave.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON as Go's {@code encoding/json} writes it for Consul: PascalCase field names, map keys sorted,
 * {@code <}, {@code >} and {@code &} escaped, and {@code ?pretty} indented by four spaces with a
 * trailing newline ({@code json.MarshalIndent(obj, "", "    ")}). Requests are read as Go reads them:
 * field names case-insensitively, unknown fields ignored.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .build();

    static {
        MAPPER.getFactory().setCharacterEscapes(new GoEscapes());
    }

    private static final ObjectWriter COMPACT = MAPPER.writer();
    private static final ObjectWriter PRETTY = MAPPER.writer(goIndent());

    private Json() {
    }

    /** The shared mapper (also handed to the JAX-RS provider for request bodies). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value, boolean pretty) {
        try {
            if (pretty) {
                byte[] body = PRETTY.writeValueAsBytes(value);
                byte[] withNewline = java.util.Arrays.copyOf(body, body.length + 1);
                withNewline[body.length] = '\n';
                return withNewline;
            }
            return COMPACT.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writeString(Object value, boolean pretty) {
        return new String(write(value, pretty), StandardCharsets.UTF_8);
    }

    private static DefaultPrettyPrinter goIndent() {
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /** Writes a Go {@code uint64} held in a {@code long}'s bits. */
    public static final class Unsigned extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value >= 0) {
                gen.writeNumber(value);
            } else {
                gen.writeNumber(new java.math.BigInteger(Long.toUnsignedString(value)));
            }
        }
    }

    /** Go's string escaping: HTML-sensitive characters, control characters and U+2028/U+2029 as {@code \}{@code u00xx}. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table = standardAsciiEscapesForJSON();

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) {
                table[c] = ESCAPE_CUSTOM;
            }
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '\n' -> new SerializedString("\\n");
                case '\r' -> new SerializedString("\\r");
                case '\t' -> new SerializedString("\\t");
                case '<', '>', '&', 0x2028, 0x2029 -> new SerializedString(String.format("\\u%04x", ch));
                default -> ch < 0x20 ? new SerializedString(String.format("\\u%04x", ch)) : null;
            };
        }
    }
}
