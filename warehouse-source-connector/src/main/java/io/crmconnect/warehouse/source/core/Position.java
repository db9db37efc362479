package io.crmconnect.warehouse.source.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Where a table's capture stands, as stored in Connect's source offsets (version 1):
 * <ul>
 * <li>{@code {v:1, phase:"snapshot", t0, after?}} — reading the table as of t0, keys up to {@code after} sent;</li>
 * <li>{@code {v:1, phase:"changes", from, to?, after?}} — reading the changes between from and to, keys up to
 * {@code after} sent; without {@code to}, every change up to {@code from} is sent;</li>
 * <li>{@code {v:1, phase:"watermark", ts?, after?}} — every row up to (ts, after) in (watermark, key) order sent.</li>
 * </ul>
 * Points are ISO-8601 instants (nanoseconds kept); {@code after} is the key values as a JSON array of strings in one
 * string field (e.g. {@code ["42"]}), because Connect offsets may hold only primitive values.
 */
public record Position(Phase phase, Instant t0, Instant from, Instant to, Instant ts, List<String> after) {
    public static final int VERSION = 1;

    /** The capture phases. */
    public enum Phase {
        SNAPSHOT,
        CHANGES,
        WATERMARK
    }

    public static Position snapshot(Instant t0, List<String> after) {
        return new Position(Phase.SNAPSHOT, t0, null, null, null, after);
    }

    public static Position changes(Instant from, Instant to, List<String> after) {
        return new Position(Phase.CHANGES, null, from, to, null, after);
    }

    public static Position watermark(Instant ts, List<String> after) {
        return new Position(Phase.WATERMARK, null, null, null, ts, after);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", VERSION);
        m.put("phase", phase.name().toLowerCase(Locale.ROOT));
        put(m, "t0", t0);
        put(m, "from", from);
        put(m, "to", to);
        put(m, "ts", ts);
        if (after != null) {
            m.put("after", KeyText.format(after));
        }
        return m;
    }

    private static void put(Map<String, Object> m, String k, Instant v) {
        if (v != null) {
            m.put(k, v.toString());
        }
    }

    /** Reads a stored offset; a malformed one is refused with a message naming the field (KIP-875 edits too). */
    public static Position fromMap(String table, Map<String, ?> m) {
        Object v = m.get("v");
        if (!(v instanceof Number n) || n.intValue() != VERSION) {
            throw bad(table, "needs \"v\": " + VERSION);
        }
        Object phase = m.get("phase");
        List<String> after = after(table, m.get("after"));
        if ("snapshot".equals(phase)) {
            return snapshot(required(table, m, "t0"), after);
        }
        if ("changes".equals(phase)) {
            Instant from = required(table, m, "from");
            Instant to = optional(table, m, "to");
            if (to == null && after != null) {
                throw bad(table, "\"after\" needs \"to\" (a key position inside an interval)");
            }
            if (to != null && to.isBefore(from)) {
                throw bad(table, "\"to\" is before \"from\"");
            }
            return changes(from, to, after);
        }
        if ("watermark".equals(phase)) {
            return watermark(optional(table, m, "ts"), after);
        }
        throw bad(table, "\"phase\" must be snapshot, changes or watermark, got " + phase);
    }

    private static List<String> after(String table, Object a) {
        if (a == null) {
            return null;
        }
        if (a instanceof String s) {
            try {
                return KeyText.parse(s);
            } catch (IllegalArgumentException e) {
                throw bad(
                        table,
                        "\"after\" must be a JSON array of the key values as strings, e.g. [\"42\"]: "
                                + e.getMessage());
            }
        }
        if (!(a instanceof List<?> l)) {
            throw bad(table, "\"after\" must be a JSON array of the key values as strings, e.g. [\"42\"]");
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(o == null ? null : o.toString());
        }
        return out;
    }

    private static Instant required(String table, Map<String, ?> m, String k) {
        Instant i = optional(table, m, k);
        if (i == null) {
            throw bad(table, "needs \"" + k + "\" (an ISO-8601 instant)");
        }
        return i;
    }

    private static Instant optional(String table, Map<String, ?> m, String k) {
        Object x = m.get(k);
        if (x == null) {
            return null;
        }
        try {
            return Instant.parse(x.toString());
        } catch (DateTimeParseException e) {
            throw bad(table, "\"" + k + "\" is not an ISO-8601 instant: " + x);
        }
    }

    private static ConnectException bad(String table, String what) {
        return new ConnectException("Offset for table " + table + " " + what);
    }
}
