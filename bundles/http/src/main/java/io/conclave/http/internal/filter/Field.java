package io.conclave.http.internal.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What go-bexpr's {@code FieldConfiguration} says about one selectable field of a Consul type: its kind,
 * which operators it takes, and what may be selected inside it. The rules are go-bexpr's
 * ({@code field_config.go}):
 * <ul>
 *   <li>a string takes {@code ==}, {@code !=}, {@code in}/{@code contains} (substring) and
 *       {@code matches}; an integer or boolean only {@code ==} and {@code !=};</li>
 *   <li>a list of primitives takes {@code in} and {@code is empty}; a list of structs only
 *       {@code is empty}, and selects into its element's fields (matching if any element does);</li>
 *   <li>a map with string keys takes {@code in} (a key) and {@code is empty}, and selects any key into its
 *       value's fields;</li>
 *   <li>a struct takes no operator itself; it only selects into its fields.</li>
 * </ul>
 */
public final class Field {

    enum Kind { STRING, INT, BOOL, LIST, MAP, STRUCT, OPAQUE }

    final Kind kind;
    /** A list's element or a map's value; {@code null} otherwise (and for a map of opaque values). */
    final Field element;
    /** A struct's fields by name. */
    final Map<String, Field> fields;

    private Field(Kind kind, Field element, Map<String, Field> fields) {
        this.kind = kind;
        this.element = element;
        this.fields = fields;
    }

    public static final Field STRING = new Field(Kind.STRING, null, Map.of());
    public static final Field INT = new Field(Kind.INT, null, Map.of());
    public static final Field BOOL = new Field(Kind.BOOL, null, Map.of());
    /** A value of a type go-bexpr cannot look into ({@code interface{}}). */
    public static final Field OPAQUE = new Field(Kind.OPAQUE, null, Map.of());

    public static Field listOf(Field element) {
        return new Field(Kind.LIST, element, Map.of());
    }

    public static Field mapOf(Field value) {
        return new Field(Kind.MAP, value, Map.of());
    }

    /** A struct from alternating names and fields, in declaration order. */
    public static Field struct(Object... namesAndFields) {
        Map<String, Field> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndFields.length; i += 2) {
            m.put((String) namesAndFields[i], (Field) namesAndFields[i + 1]);
        }
        return new Field(Kind.STRUCT, null, Map.copyOf(m));
    }

    boolean primitive() {
        return kind == Kind.STRING || kind == Kind.INT || kind == Kind.BOOL;
    }

    /** The operators this field takes (go-bexpr's {@code SupportedOperations}). */
    Set<MatchOp> operators() {
        return switch (kind) {
            case STRING -> Set.of(MatchOp.EQUAL, MatchOp.NOT_EQUAL, MatchOp.IN, MatchOp.NOT_IN, MatchOp.MATCHES,
                    MatchOp.NOT_MATCHES);
            case INT, BOOL -> Set.of(MatchOp.EQUAL, MatchOp.NOT_EQUAL);
            case LIST -> element.primitive()
                    ? Set.of(MatchOp.IN, MatchOp.NOT_IN, MatchOp.IS_EMPTY, MatchOp.IS_NOT_EMPTY)
                    : Set.of(MatchOp.IS_EMPTY, MatchOp.IS_NOT_EMPTY);
            case MAP -> Set.of(MatchOp.IS_EMPTY, MatchOp.IS_NOT_EMPTY, MatchOp.IN, MatchOp.NOT_IN);
            case STRUCT, OPAQUE -> Set.of();
        };
    }

    /**
     * The field a selector step leads to, or {@code null} if none: a struct's named field, any key of a
     * map (of something go-bexpr can look into), or a field of a list's struct elements.
     */
    Field select(String name) {
        return switch (kind) {
            case STRUCT -> fields.get(name);
            case MAP -> element == null || element.kind == Kind.OPAQUE ? null : element;
            case LIST -> element.kind == Kind.STRUCT ? element.select(name) : null;
            default -> null;
        };
    }

    /** The field whose value an operator at the end of a selector compares (a list compares its elements). */
    Field valueField() {
        return kind == Kind.LIST || kind == Kind.MAP && element != null ? element : this;
    }

    static List<String> names(Field f) {
        return List.copyOf(f.fields.keySet());
    }
}
