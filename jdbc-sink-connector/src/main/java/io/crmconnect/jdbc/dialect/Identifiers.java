package io.crmconnect.jdbc.dialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns a wanted table, column or index name into one the database keeps exactly as written. PostgreSQL silently
 * truncates names longer than 63 bytes and MariaDB refuses names longer than 64 characters, so a longer name is cut
 * (at a character boundary) and given an 8-hex-digit suffix from a SHA-256 of the whole name: the same wanted name
 * always gets the same stored name, and two long names that share their beginning stay apart. Names no quoting can
 * carry (empty, NUL, and on MariaDB characters outside the Basic Multilingual Plane or a trailing space) are refused
 * with the reason.
 */
public final class Identifiers {
    private static final int SUFFIX = 9; // '_' + 8 hex digits

    private final String database;
    private final int maxBytes;
    private final int maxChars;
    private final boolean bmpOnly;
    private final boolean caseSensitive;

    /**
     * @param maxBytes longest name in UTF-8 bytes (0: no byte limit)
     * @param maxChars longest name in characters (0: no character limit)
     * @param bmpOnly whether characters outside the Basic Multilingual Plane and trailing spaces are refused
     * @param caseSensitive whether names differing only in case are different names
     */
    public Identifiers(String database, int maxBytes, int maxChars, boolean bmpOnly, boolean caseSensitive) {
        this.database = database;
        this.maxBytes = maxBytes;
        this.maxChars = maxChars;
        this.bmpOnly = bmpOnly;
        this.caseSensitive = caseSensitive;
    }

    /** A name the database cannot hold, with the reason. */
    public static final class UnrepresentableNameException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnrepresentableNameException(String message) {
            super(message);
        }
    }

    /** The stored name for {@code wanted}: itself when it fits, else shortened with a hash suffix. */
    public String name(String wanted) {
        check(wanted);
        if (fits(wanted)) {
            return wanted;
        }
        String suffix = "_" + hash(wanted);
        int end = 0;
        int bytes = 0;
        int chars = 0;
        while (end < wanted.length()) {
            int cp = wanted.codePointAt(end);
            int b = utf8Length(cp);
            if ((maxBytes > 0 && bytes + b > maxBytes - SUFFIX) || (maxChars > 0 && chars + 1 > maxChars - SUFFIX)) {
                break;
            }
            bytes += b;
            chars++;
            end += Character.charCount(cp);
        }
        return wanted.substring(0, end) + suffix;
    }

    /** Whether {@code wanted} is stored as written. */
    public boolean fits(String wanted) {
        int n = wanted.length();
        if (maxChars > 0 && wanted.codePointCount(0, n) > maxChars) {
            return false;
        }
        if (maxBytes > 0 && n * 3 > maxBytes) { // only then can the UTF-8 form be too long
            int bytes = 0;
            for (int i = 0; i < n; ) {
                int cp = wanted.codePointAt(i);
                bytes += utf8Length(cp);
                i += Character.charCount(cp);
            }
            return bytes <= maxBytes;
        }
        return true;
    }

    /** The form two names share when the database treats them as the same name. */
    public String sameNameKey(String name) {
        return caseSensitive ? name : name.toLowerCase(Locale.ROOT);
    }

    public boolean caseSensitive() {
        return caseSensitive;
    }

    private void check(String wanted) {
        if (wanted.isEmpty()) {
            throw new UnrepresentableNameException("an empty name cannot be a " + database + " identifier");
        }
        if (wanted.indexOf('\u0000') >= 0) {
            throw new UnrepresentableNameException(
                    "a name containing the NUL character cannot be a " + database + " identifier");
        }
        if (bmpOnly) {
            for (int i = 0; i < wanted.length(); i++) {
                if (Character.isSurrogate(wanted.charAt(i))) {
                    throw new UnrepresentableNameException("a name with characters outside the Basic Multilingual "
                            + "Plane (e.g. emoji) cannot be a " + database + " identifier");
                }
            }
            if (wanted.endsWith(" ")) {
                throw new UnrepresentableNameException(
                        "a name ending with a space cannot be a " + database + " identifier");
            }
        }
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
