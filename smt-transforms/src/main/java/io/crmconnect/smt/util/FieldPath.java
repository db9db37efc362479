package io.crmconnect.smt.util;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A dotted field path ({@code properties.address.city}) parsed once at configure time. Reads from a {@link Struct}
 * or a {@link Map} at any depth; a missing or null intermediate yields {@code null}. Field names that themselves
 * contain a dot are not addressable.
 */
public final class FieldPath {
    private final String path;
    private final String[] segments;

    private FieldPath(String path, String[] segments) {
        this.path = path;
        this.segments = segments;
    }

    public static FieldPath parse(String path) {
        if (path == null || path.isBlank()) {
            throw new ConfigException("A field path must not be empty");
        }
        String trimmed = path.trim();
        String[] segments = trimmed.split("\\.", -1);
        for (String s : segments) {
            if (s.isEmpty()) {
                throw new ConfigException("Field path '" + path + "' has an empty segment");
            }
        }
        return new FieldPath(trimmed, segments);
    }

    public String path() {
        return path;
    }

    public String root() {
        return segments[0];
    }

    public String leaf() {
        return segments[segments.length - 1];
    }

    public int depth() {
        return segments.length;
    }

    public List<String> segments() {
        return List.of(segments);
    }

    /** Reads the value from a Map or a Struct, without a precomputed binding (schemaless path). */
    public Object get(Object root) {
        Object current = root;
        for (String segment : segments) {
            if (current == null) {
                return null;
            }
            if (current instanceof Map<?, ?> map) {
                current = map.get(segment);
            } else if (current instanceof Struct struct) {
                Field f = struct.schema().field(segment);
                if (f == null) {
                    return null;
                }
                current = struct.get(f);
            } else {
                return null;
            }
        }
        return current;
    }

    /**
     * Resolves the path against a struct schema once; {@code null} if a segment does not exist or crosses a
     * non-struct. The result is used by {@link #get(Struct, Field[])} on the hot path.
     */
    public Field[] bind(Schema schema) {
        Field[] chain = new Field[segments.length];
        Schema current = schema;
        for (int i = 0; i < segments.length; i++) {
            if (current == null || current.type() != Schema.Type.STRUCT) {
                return null;
            }
            Field f = current.field(segments[i]);
            if (f == null) {
                return null;
            }
            chain[i] = f;
            current = f.schema();
        }
        return chain;
    }

    public static Object get(Struct root, Field[] chain) {
        Struct current = root;
        int last = chain.length - 1;
        for (int i = 0; i < last; i++) {
            current = (Struct) current.get(chain[i]);
            if (current == null) {
                return null;
            }
        }
        return current.get(chain[last]);
    }

    /** The schema of the field a bound chain points at. */
    public static Schema schemaOf(Field[] chain) {
        return chain[chain.length - 1].schema();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && Arrays.equals(segments, other.segments);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(segments);
    }

    @Override
    public String toString() {
        return path;
    }
}
