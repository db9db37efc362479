package io.crmconnect.common;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks personal data in text written by other systems (database drivers, HubSpot and other APIs, parsers) before
 * it leaves a task: in a log line, an exception message (task status in the REST API), or a dead-letter header.
 *
 * <p>What is masked: emails ({@code <email>}); quoted literals {@code '...'} and {@code "..."} ({@code <redacted>}),
 * unless the quoted text is a name the caller declared safe (a column, table or property name), an error code in
 * upper snake case ({@code INVALID_EMAIL}) or a JSON key; the value lists PostgreSQL prints after {@code =} or in
 * {@code Failing row contains (...)}; and digit runs of four or more digits, alone or joined by {@code - . / ( ) +}
 * or spaces (phone numbers, dates, postal codes, account numbers; {@code <digits>}). Backtick-quoted names
 * (MariaDB identifiers) stay. Digits inside words ({@code address2}, {@code hex 3f2a91}) stay.
 *
 * <p>Apply it to the foreign text only, where it enters one of our messages: our own parts (record coordinates,
 * HubSpot ids, counts) are not personal and stay readable. Exceptions carrying foreign text as a cause go through
 * {@link #scrub(Throwable)} before they are thrown or reported.
 */
public final class ErrorSanitizer {
    /** Masks everything it recognises; no names are declared safe. */
    public static final ErrorSanitizer DEFAULT = new ErrorSanitizer(Set.of());

    static final String EMAIL_MASK = "<email>";
    static final String LITERAL_MASK = "<redacted>";
    static final String DIGITS_MASK = "<digits>";

    private static final Pattern EMAIL = Pattern.compile("[\\w.%+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
    /** PostgreSQL's detail lines: {@code Key (email)=(a@b.com)}, {@code Failing row contains (1, x, y)}. */
    private static final Pattern PAREN_VALUES = Pattern.compile("(=|contains )\\(([^()]*(?:\\([^()]*\\)[^()]*)*)\\)");

    private static final Set<String> SAFE_WORDS = Set.of("primary");

    private final Set<String> safeNames;

    private ErrorSanitizer(Set<String> safeNames) {
        this.safeNames = safeNames;
    }

    /** A sanitizer that leaves these names readable when they appear quoted (compared case-insensitively). */
    public static ErrorSanitizer keeping(Collection<String> names) {
        return new ErrorSanitizer(names.stream()
                .filter(n -> n != null && !n.isBlank())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** {@link #DEFAULT}'s {@link #message(String)}. */
    public static String sanitize(String text) {
        return DEFAULT.message(text);
    }

    /** The text with personal data masked; null stays null. */
    public String message(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = EMAIL.matcher(text).replaceAll(EMAIL_MASK);
        s = maskQuoted(s);
        s = PAREN_VALUES.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "(" + LITERAL_MASK + ")"));
        return maskDigits(s);
    }

    /**
     * A copy of the exception chain whose messages are sanitized: each link becomes a {@link SanitizedException}
     * naming the original class, with the original stack trace. Use it as the cause of what a task throws or
     * reports, so a stack trace in the task status or a DLQ header carries no personal data either.
     */
    public SanitizedException scrub(Throwable t) {
        if (t == null) {
            return null;
        }
        SanitizedException cause = scrub(t.getCause() == t ? null : t.getCause());
        SanitizedException copy = new SanitizedException(
                t.getClass().getName() + (t.getMessage() == null ? "" : ": " + message(t.getMessage())), cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** An exception from another system, its message sanitized; {@link #getMessage()} names the original class. */
    public static final class SanitizedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SanitizedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private String maskQuoted(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ((c == '"' || c == '\'') && opens(s, i)) {
                int end = closing(s, i + 1, c);
                if (end > 0) {
                    String inner = s.substring(i + 1, end);
                    out.append(c)
                            .append(keep(inner, s, end) ? inner : LITERAL_MASK)
                            .append(c);
                    i = end + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** A single quote opens a literal only when not inside a word (an apostrophe as in "can't" does not). */
    private static boolean opens(String s, int i) {
        return s.charAt(i) == '"' || i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
    }

    private static int closing(String s, int from, char quote) {
        for (int j = from; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\' && quote == '"') {
                j++;
            } else if (c == quote
                    && (quote == '"' || j + 1 >= s.length() || !Character.isLetterOrDigit(s.charAt(j + 1)))) {
                return j;
            }
        }
        return -1;
    }

    private boolean keep(String inner, String s, int end) {
        if (inner.isEmpty() || inner.equals(EMAIL_MASK)) {
            return true;
        }
        String lower = inner.toLowerCase(Locale.ROOT);
        if (safeNames.contains(lower)
                || SAFE_WORDS.contains(lower)
                || CODE.matcher(inner).matches()) {
            return true;
        }
        int k = end + 1;
        while (k < s.length() && s.charAt(k) == ' ') {
            k++;
        }
        // a JSON key ("message": ...) names a field, it is not a value
        return k < s.length() && s.charAt(k) == ':' && inner.matches("[A-Za-z_][A-Za-z0-9_.-]*");
    }

    private static boolean separator(char c) {
        return c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+' || c == ' ';
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Runs of digits and separators holding at least four digits, not part of a word, become {@code <digits>}. */
    private static String maskDigits(String s) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (!Character.isDigit(c) || i > 0 && (Character.isLetter(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
                // skip the rest of a word that holds digits (address2, a1b2c3d4)
                if (Character.isLetterOrDigit(c) || c == '_') {
                    while (i < n && wordChar(s.charAt(i))) {
                        i++;
                    }
                } else {
                    i++;
                }
                continue;
            }
            int start = i;
            // a leading "+" or "(" belongs to a phone number
            while (start > copied && (s.charAt(start - 1) == '+' || s.charAt(start - 1) == '(')) {
                start--;
            }
            int digits = 0;
            int lastDigit = i;
            int j = i;
            while (j < n) {
                char d = s.charAt(j);
                if (Character.isDigit(d)) {
                    digits++;
                    lastDigit = j;
                    j++;
                } else if (separator(d)
                        && j + 1 < n
                        && (Character.isDigit(s.charAt(j + 1))
                                || separator(s.charAt(j + 1)) && j + 2 < n && Character.isDigit(s.charAt(j + 2)))) {
                    j++;
                } else {
                    break;
                }
            }
            int end = lastDigit + 1;
            if (end < n && s.charAt(end) == ')' && s.substring(start, end).contains("(")) {
                end++;
            }
            boolean inWord = end < n && (Character.isLetter(s.charAt(end)) || s.charAt(end) == '_');
            if (digits >= 4 && !inWord) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, start).append(DIGITS_MASK);
                copied = end;
            }
            i = Math.max(end, i + 1);
            if (inWord) {
                while (i < n && wordChar(s.charAt(i))) {
                    i++;
                }
            }
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }
}
