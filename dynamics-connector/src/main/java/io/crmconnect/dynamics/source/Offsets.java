package io.crmconnect.dynamics.source;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The source offsets of a table, versioned: what each phase writes and how offsets given through the REST API
 * (KIP-875) are checked. Partition {@code {table}}:
 * <ul>
 *   <li>{@code {v:1, phase:"snapshot", reason:"load"|"resnapshot", start, link, after}}: the page being read and
 *   the last row of it sent (null link = the first page);</li>
 *   <li>{@code {v:1, phase:"catchup", reason, start, delta, link, after}}: rows modified while the snapshot ran;</li>
 *   <li>{@code {v:1, phase:"listing", reason, start, delta}}: ids listed for tombstones;</li>
 *   <li>{@code {v:1, phase:"delta", link, afterVersion?, afterDeleted?}}: the delta link being read and how far;</li>
 *   <li>{@code {v:1, phase:"wm", since?}}: the watermark (epoch ms of modifiedon).</li>
 * </ul>
 * Partition {@code {table:"<table>#ids", bucket}}: {@code {v:1, ids}} (base64 of 16-byte row ids).
 */
final class Offsets {
    static final int VERSION = 1;
    static final String SNAPSHOT = "snapshot";
    static final String CATCHUP = "catchup";
    static final String LISTING = "listing";
    static final String DELTA = "delta";
    static final String WATERMARK = "wm";
    static final String LOAD = "load";
    static final String RESNAPSHOT = "resnapshot";
    static final String RECONCILE = "reconcile";

    private Offsets() {}

    static Map<String, Object> of(String phase, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", VERSION);
        m.put("phase", phase);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static Map<String, Object> ofIds(String encoded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", VERSION);
        m.put("ids", encoded);
        return m;
    }

    static String string(Map<String, ?> off, String key) {
        Object v = off.get(key);
        return v == null ? null : v.toString();
    }

    static Long number(Map<String, ?> off, String key) {
        Object v = off.get(key);
        return v instanceof Number n ? n.longValue() : null;
    }

    /** Checks an offset written through the REST API; the message names the field to fix. */
    static void validate(String table, Map<String, ?> off) {
        Object v = off.get("v");
        if (!(v instanceof Number n) || n.intValue() != VERSION) {
            throw new ConnectException("Offset for " + table + " needs \"v\": " + VERSION);
        }
        if (table.endsWith("#ids")) {
            if (!(off.get("ids") instanceof String s)) {
                throw new ConnectException("Offset for " + table + " needs \"ids\": base64 of 16-byte row ids");
            }
            try {
                GuidSet.decode(s);
            } catch (IllegalArgumentException e) {
                throw new ConnectException(
                        "Offset for " + table + ": \"ids\" is not base64 of 16-byte row ids (" + e.getMessage() + ")");
            }
            return;
        }
        Object phase = off.get("phase");
        if (SNAPSHOT.equals(phase) || CATCHUP.equals(phase) || LISTING.equals(phase)) {
            requireNumber(table, off, "start");
            Object reason = off.get("reason");
            if (reason != null && !LOAD.equals(reason) && !RESNAPSHOT.equals(reason)) {
                throw new ConnectException("Offset for " + table + ": \"reason\" must be \"load\" or \"resnapshot\"");
            }
            if (!SNAPSHOT.equals(phase)) {
                requireLink(table, off, "delta", true);
            }
            requireLink(table, off, "link", false);
        } else if (DELTA.equals(phase)) {
            requireLink(table, off, "link", true);
            Object av = off.get("afterVersion");
            if (av != null && !(av instanceof Number)) {
                throw new ConnectException("Offset for " + table + ": \"afterVersion\" must be a number");
            }
        } else if (WATERMARK.equals(phase)) {
            Object since = off.get("since");
            if (since != null
                    && (!(since instanceof Number s)
                            || s.longValue() < 0
                            || s.longValue() > System.currentTimeMillis() + 86_400_000L)) {
                throw new ConnectException("Offset for " + table + ": \"since\" must be an epoch-millisecond time");
            }
        } else {
            throw new ConnectException("Offset for " + table + ": \"phase\" must be one of snapshot, catchup, "
                    + "listing, delta, wm; got " + phase);
        }
    }

    private static void requireNumber(String table, Map<String, ?> off, String key) {
        if (!(off.get(key) instanceof Number)) {
            throw new ConnectException("Offset for " + table + " needs a numeric \"" + key + "\"");
        }
    }

    private static void requireLink(String table, Map<String, ?> off, String key, boolean required) {
        Object v = off.get(key);
        if (v == null && !required) {
            return;
        }
        if (!(v instanceof String s) || !(s.startsWith("http://") || s.startsWith("https://"))) {
            throw new ConnectException(
                    "Offset for " + table + " needs \"" + key + "\": a link the server gave " + "(http(s) URL)");
        }
    }
}
