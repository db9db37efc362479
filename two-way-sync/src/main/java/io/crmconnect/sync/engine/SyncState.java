package io.crmconnect.sync.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sync state a record carries in its own state property/column: when the sync last wrote it, and for every
 * synced field a fingerprint of the value both sides last agreed on (the base of the three-way merge). It lives in
 * the linked records themselves, so it survives restarts, rebalances and replays with no store of its own, and it is
 * what stops echoes when no user id tells the sync's writes apart.
 *
 * <p>{@code humanAt} is the record's last modification by anyone but the sync as of the sync's write: a side that
 * only exposes the record's modification time and who made it (Dynamics 365 {@code modifiedon} and
 * {@code modifiedby}) would otherwise date every earlier human change at the sync's own write.
 *
 * <p>{@code linkBack}: when the sync wrote this record, the record it was planned from did not hold this record's id;
 * the write coming back must still take the link there, so it cannot be told apart as an echo from itself alone.
 *
 * <p>Text form: {@code s1;t=<epoch ms>;h=<epoch ms>[;l=1];<field>=<8 hex>;...}. A fingerprint is the first 32 bits of
 * SHA-256(field name, 0, canonical value); an empty or absent value has the fingerprint {@code -}. The values
 * themselves never leave the record.
 */
public record SyncState(long syncedAt, long humanAt, boolean linkBack, Map<String, String> fingerprints) {
    public static final SyncState NONE = new SyncState(0L, 0L, Map.of());
    static final String EMPTY = "-";
    private static final String PREFIX = "s1;";

    public SyncState {
        fingerprints = Collections.unmodifiableMap(new TreeMap<>(fingerprints));
    }

    public SyncState(long syncedAt, long humanAt, Map<String, String> fingerprints) {
        this(syncedAt, humanAt, false, fingerprints);
    }

    public boolean isNone() {
        return syncedAt == 0L && humanAt == 0L && fingerprints.isEmpty();
    }

    /** The base fingerprint of a field, null when the state has none. */
    public String base(String field) {
        return fingerprints.get(field);
    }

    /** The fingerprint of a canonical value of a field. */
    public static String fingerprint(String field, String canonicalValue) {
        if (canonicalValue == null || canonicalValue.isEmpty()) {
            return EMPTY;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(field.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            byte[] d = md.digest(canonicalValue.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encode() {
        StringBuilder b = new StringBuilder(PREFIX)
                .append("t=")
                .append(syncedAt)
                .append(";h=")
                .append(humanAt);
        if (linkBack) {
            b.append(";l=1");
        }
        fingerprints.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
        return b.toString();
    }

    /** Parses a state; anything that is not a state (empty, edited by hand, another version) is {@link #NONE}. */
    public static SyncState decode(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return NONE;
        }
        long t = 0L;
        long h = 0L;
        boolean l = false;
        Map<String, String> fp = new TreeMap<>();
        for (String part : text.substring(PREFIX.length()).split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return NONE;
            }
            String k = part.substring(0, eq);
            String v = part.substring(eq + 1);
            if (k.equals("l")) {
                l = v.equals("1");
            } else if (k.equals("t") || k.equals("h")) {
                try {
                    if (k.equals("t")) {
                        t = Long.parseLong(v);
                    } else {
                        h = Long.parseLong(v);
                    }
                } catch (NumberFormatException e) {
                    return NONE;
                }
            } else {
                fp.put(k, v);
            }
        }
        return new SyncState(t, h, l, fp);
    }

    /** The more recent of two states: the one written last holds the latest base of every field. */
    public static SyncState latest(SyncState a, SyncState b) {
        if (a == null || a.isNone()) {
            return b == null ? NONE : b;
        }
        if (b == null || b.isNone()) {
            return a;
        }
        return b.syncedAt > a.syncedAt ? b : a;
    }
}
