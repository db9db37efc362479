package io.crmconnect.hubspot.source;

import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/** Validation of offsets written by users through the REST API (KIP-875). */
final class OffsetCodec {
    private OffsetCodec() {}

    static void validate(String stream, Map<String, ?> off) {
        Object v = off.get("v");
        if ("load".equals(off.get("phase")) && v instanceof Number n && n.intValue() == InitialLoad.VERSION) {
            validateLoad(stream, off); // v2: the initial load read as id ranges
            return;
        }
        if (!(v instanceof Number) || ((Number) v).intValue() != IncrementalCursor.VERSION) {
            throw new ConnectException("Offset for " + stream + " needs \"v\": " + IncrementalCursor.VERSION
                    + ("load".equals(off.get("phase")) ? " or " + InitialLoad.VERSION : ""));
        }
        if (stream.endsWith("#deletes")) {
            requireLong(stream, off, "since");
            return;
        }
        if (stream.endsWith("#ids")) {
            Object ids = off.get("ids");
            if (!(ids instanceof String)) {
                throw new ConnectException("Offset for " + stream + " needs \"ids\": the encoded id checkpoint");
            }
            try {
                IdSet.decode((String) ids);
            } catch (RuntimeException e) {
                throw new ConnectException(
                        "Offset for " + stream + ": \"ids\" is not a readable id checkpoint (" + e.getMessage() + ")");
            }
            return;
        }
        if (stream.equals("owners") || stream.equals("pipelines") || stream.startsWith("associations.")) {
            return; // snapshots re-read everything; any versioned offset is fine
        }
        Object phase = off.get("phase");
        if ("load".equals(phase)) {
            Object after = off.get("after");
            if (after != null && !(after instanceof String)) {
                throw new ConnectException("Offset for " + stream + ": \"after\" must be a string cursor or null");
            }
            requireLong(stream, off, "loadStart");
        } else if ("inc".equals(phase)) {
            long since = requireLong(stream, off, "since");
            if (since < 0 || since > System.currentTimeMillis() + 86_400_000L) {
                throw new ConnectException(
                        "Offset for " + stream + ": \"since\" " + since + " is not a plausible epoch-millisecond time");
            }
            Object afterId = off.get("afterId");
            if (afterId != null && !(afterId instanceof Number)) {
                throw new ConnectException("Offset for " + stream + ": \"afterId\" must be a number");
            }
        } else {
            throw new ConnectException(
                    "Offset for " + stream + ": \"phase\" must be \"load\" or \"inc\", got " + phase);
        }
    }

    /** {@code {v:2, phase:"load", loadStart, segs:"next-end,..."}} or, for a cursor chain, {@code after}. */
    private static void validateLoad(String stream, Map<String, ?> off) {
        requireLong(stream, off, "loadStart");
        Object segs = off.get("segs");
        Object after = off.get("after");
        if (segs != null) {
            if (!(segs instanceof String s)) {
                throw new ConnectException("Offset for " + stream + ": \"segs\" must be a string of id ranges "
                        + "next-end separated by commas");
            }
            try {
                InitialLoad.validateSegments(s);
            } catch (RuntimeException e) {
                throw new ConnectException("Offset for " + stream + ": \"segs\" is not a list of id ranges "
                        + "next-end (end empty for the last, open range): " + e.getMessage());
            }
            if (after != null) {
                throw new ConnectException("Offset for " + stream + ": give \"segs\" or \"after\", not both");
            }
        } else if (after != null && !(after instanceof String)) {
            throw new ConnectException("Offset for " + stream + ": \"after\" must be a string cursor or null");
        }
    }

    private static long requireLong(String stream, Map<String, ?> off, String key) {
        Object x = off.get(key);
        if (!(x instanceof Number)) {
            throw new ConnectException("Offset for " + stream + " needs a numeric \"" + key + "\"");
        }
        return ((Number) x).longValue();
    }
}
