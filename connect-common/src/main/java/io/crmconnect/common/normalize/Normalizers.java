package io.crmconnect.common.normalize;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The normalization rules behind match keys. Public and dependency-free so that every component that matches
 * records (the MatchKeys transform, the HubSpot sink's tiered matching) applies exactly the same rules.
 *
 * <p>All methods return {@code null} when nothing meaningful is left (null, blank, punctuation only), so a key is
 * never built from an empty component. They never log.
 */
public final class Normalizers {
    private Normalizers() {}

    // ------------------------------------------------------------------ email

    /** Trimmed and lower-cased; {@code null} when blank. No provider-specific rewriting (dots, plus tags). */
    public static String email(String value) {
        if (value == null) {
            return null;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        boolean latin1 = true;
        boolean lower = true;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c >= 0x100) {
                latin1 = false;
                break;
            }
            if (c >= 'A' && c <= 'Z' || c >= 0xC0 && c <= 0xDE && c != 0xD7) {
                lower = false;
            }
        }
        if (!latin1) {
            return value.substring(start, end).toLowerCase(Locale.ROOT);
        }
        if (lower) {
            return start == 0 && end == value.length() ? value : value.substring(start, end);
        }
        byte[] out = new byte[end - start]; // Latin-1: one byte per char, no compression pass
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            // Latin-1 upper case: A-Z and U+00C0-U+00DE except the multiplication sign, all +32
            out[i - start] = (byte) (c >= 'A' && c <= 'Z' || c >= 0xC0 && c <= 0xDE && c != 0xD7 ? c + 32 : c);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ names

    /**
     * A person's name: diacritics stripped (é → e, ß → ss, ø → o), lower-cased, apostrophes removed
     * (O'Brien → obrien), any other punctuation (hyphen, period, comma) turned into a space, whitespace collapsed
     * and trimmed. Digits are kept.
     */
    public static String personName(String value) {
        if (value == null) {
            return null;
        }
        if (foldsPerChar(value)) {
            byte[] out = new byte[2 * value.length()];
            return trimmed(out, appendNameFast(out, 0, value));
        }
        StringBuilder out = new StringBuilder(value.length());
        appendName(out, value);
        return finish(out);
    }

    /** Several name parts (first, middle, last) normalized and joined with single spaces; null parts are skipped. */
    public static String personName(String... parts) {
        int capacity = 0;
        for (String part : parts) {
            if (part != null) {
                if (!foldsPerChar(part)) {
                    return personNameSlow(parts);
                }
                capacity += 2 * part.length() + 1;
            }
        }
        // Fast path: the same steps as personNameSlow on a char array, folding each character from the table.
        byte[] out = new byte[capacity];
        int len = 0;
        for (String part : parts) {
            if (part != null) {
                if (len > 0) {
                    out[len++] = ' ';
                }
                len = appendNameFast(out, len, part);
            }
        }
        return trimmed(out, len);
    }

    /** The general path (StringBuilder, whole-string fold); package-private so tests compare it with the fast one. */
    static String personNameSlow(String... parts) {
        StringBuilder out = new StringBuilder(32);
        for (String part : parts) {
            if (part != null) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                appendName(out, part);
            }
        }
        return finish(out);
    }

    /**
     * Whether {@link #asciiFold} folds {@code value} character by character from the table (ASCII and the
     * Latin-1/Latin Extended-A letters it knows); anything else goes through {@code Normalizer} as a whole.
     */
    private static boolean foldsPerChar(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80 && (c < FOLD_BASE || c >= FOLD_BASE + FOLD.length || FOLD[c - FOLD_BASE] == null)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #appendName} for a value that {@link #foldsPerChar}: the folded text is ASCII, so the letter test is
     * ASCII only. Appends at {@code len}, returns the new length (at most 2 chars per input char).
     */
    private static int appendNameFast(byte[] out, int len, String value) {
        boolean pendingSpace = false;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            String folded = null;
            int count = 1;
            if (c >= 0x80) {
                folded = FOLD[c - FOLD_BASE];
                count = folded.length();
            }
            for (int j = 0; j < count; j++) {
                char f = folded == null ? c : folded.charAt(j);
                if (f >= 'A' && f <= 'Z') {
                    f = (char) (f + 32);
                }
                if ((f >= 'a' && f <= 'z') || (f >= '0' && f <= '9')) {
                    if (pendingSpace && len > 0 && out[len - 1] != ' ') {
                        out[len++] = ' ';
                    }
                    pendingSpace = false;
                    out[len++] = (byte) f;
                } else if (f != '\'' && f != '`') {
                    pendingSpace = true;
                }
            }
        }
        return len;
    }

    /** {@link #finish} on ASCII bytes. */
    private static String trimmed(byte[] out, int len) {
        while (len > 0 && out[len - 1] == ' ') {
            len--;
        }
        int start = 0;
        while (start < len && out[start] == ' ') {
            start++;
        }
        return start >= len ? null : new String(out, start, len - start, StandardCharsets.ISO_8859_1);
    }

    private static void appendName(StringBuilder out, String value) {
        String text = asciiFold(value);
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 && Character.isLetterOrDigit(c)) {
                if (pendingSpace && out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                pendingSpace = false;
                out.append(c >= 0x80 ? Character.toLowerCase(c) : c);
            } else if (c == '\'' || c == '\u2019' || c == '`' || c == '\u00b4') {
                // apostrophes join: O'Brien -> obrien
            } else {
                pendingSpace = true;
            }
        }
    }

    private static String finish(StringBuilder out) {
        int len = out.length();
        while (len > 0 && out.charAt(len - 1) == ' ') {
            len--;
        }
        int start = 0;
        while (start < len && out.charAt(start) == ' ') {
            start++;
        }
        return start >= len ? null : out.substring(start, len);
    }

    // ------------------------------------------------------------------ diacritics

    private static final Map<Character, String> SPECIAL_LETTERS = Map.ofEntries(
            Map.entry('ß', "ss"),
            Map.entry('ẞ', "SS"),
            Map.entry('æ', "ae"),
            Map.entry('Æ', "AE"),
            Map.entry('ø', "o"),
            Map.entry('Ø', "O"),
            Map.entry('œ', "oe"),
            Map.entry('Œ', "OE"),
            Map.entry('ł', "l"),
            Map.entry('Ł', "L"),
            Map.entry('đ', "d"),
            Map.entry('Đ', "D"),
            Map.entry('ð', "d"),
            Map.entry('Ð', "D"),
            Map.entry('þ', "th"),
            Map.entry('Þ', "TH"),
            Map.entry('ı', "i"),
            Map.entry('ħ', "h"),
            Map.entry('Ħ', "H"));

    /**
     * Removes diacritics: canonical decomposition with combining marks dropped, plus letters that do not decompose
     * (ß, æ, ø, œ, ł, đ, þ). ASCII input is returned as is, without allocating.
     */
    public static String asciiFold(String value) {
        int i = 0;
        int n = value.length();
        while (i < n && value.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            return value;
        }
        char[] fast = new char[n * 2];
        value.getChars(0, i, fast, 0);
        int len = i;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                fast[len++] = c;
            } else if (c >= FOLD_BASE && c < FOLD_BASE + FOLD.length && FOLD[c - FOLD_BASE] != null) {
                String f = FOLD[c - FOLD_BASE];
                f.getChars(0, f.length(), fast, len); // at most 2 chars (ß -> ss)
                len += f.length();
            } else {
                break;
            }
        }
        if (i == n) {
            return new String(fast, 0, len);
        }
        return slowFold(value);
    }

    private static final char FOLD_BASE = 0xA0;
    private static final String[] FOLD = new String[0x180 - 0xA0];

    static {
        for (char c = FOLD_BASE; c < 0x180; c++) {
            String folded = slowFold(String.valueOf(c));
            boolean ascii = folded.chars().allMatch(ch -> ch < 0x80);
            FOLD[c - FOLD_BASE] = ascii && folded.length() <= 2 ? folded : null;
        }
    }

    private static String slowFold(String value) {
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int j = 0; j < decomposed.length(); j++) {
            char c = decomposed.charAt(j);
            if (c < 0x80) {
                out.append(c);
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK
                    || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK) {
                continue;
            }
            String replacement = SPECIAL_LETTERS.get(c);
            if (replacement != null) {
                out.append(replacement);
            } else if (Character.isSpaceChar(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ dates of birth

    /** Formats tried by {@link DateFormats#DEFAULT}, in order: ISO first, then US month-first, then day-first. */
    public static final List<String> DEFAULT_DATE_PATTERNS = List.of(
            "yyyy-MM-dd",
            "M/d/yyyy",
            "M-d-yyyy",
            "d.M.yyyy",
            "yyyy/M/d",
            "yyyyMMdd",
            "MMM d yyyy",
            "d MMM yyyy",
            "MMMM d yyyy",
            "d MMMM yyyy");

    /** An ordered, precompiled list of date patterns (strict: 02/30/1990 is rejected, not rolled over). */
    public static final class DateFormats {
        public static final DateFormats DEFAULT = new DateFormats(DEFAULT_DATE_PATTERNS);
        private final List<DateTimeFormatter> formatters;
        private final List<String> patterns;
        private final NumericDatePattern[] numeric;

        public DateFormats(List<String> patterns) {
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("At least one date pattern is required");
            }
            List<DateTimeFormatter> list = new ArrayList<>();
            for (String p : patterns) {
                String strict = p.replace("yyyy", "uuuu");
                list.add(new DateTimeFormatterBuilder()
                        .parseCaseInsensitive()
                        .appendPattern(strict)
                        .toFormatter(Locale.ENGLISH)
                        .withResolverStyle(ResolverStyle.STRICT));
            }
            this.formatters = Collections.unmodifiableList(list);
            this.patterns = List.copyOf(patterns);
            this.numeric = new NumericDatePattern[patterns.size()];
            for (int i = 0; i < numeric.length; i++) {
                numeric[i] = NumericDatePattern.compile(patterns.get(i));
            }
        }

        public List<String> patterns() {
            return patterns;
        }

        /** The first format that parses the whole text, or {@code null}. Commas are ignored ("Mar 5, 1990"). */
        public LocalDate parse(String text) {
            String t = text.trim();
            if (t.indexOf(',') >= 0) {
                t = t.replace(",", " ").replaceAll("\\s+", " ").trim();
            }
            if (t.isEmpty()) {
                return null;
            }
            for (int i = 0; i < numeric.length; i++) {
                NumericDatePattern np = numeric[i];
                if (np != null) {
                    LocalDate d = np.parse(t);
                    if (d != null) {
                        return d;
                    }
                    continue;
                }
                DateTimeFormatter f = formatters.get(i);
                // parseUnresolved never throws: formats that do not fit are skipped without an exception
                ParsePosition pos = new ParsePosition(0);
                if (f.parseUnresolved(t, pos) == null || pos.getErrorIndex() >= 0 || pos.getIndex() != t.length()) {
                    continue;
                }
                try {
                    return LocalDate.parse(t, f);
                } catch (DateTimeParseException e) {
                    // fits the shape but is not a real date (02/30/1990): try the next format
                }
            }
            // An ISO timestamp carrying a birth date ("1990-03-05T00:00:00Z"): keep its date part.
            if (t.length() > 10 && t.charAt(4) == '-' && t.charAt(10) == 'T') {
                try {
                    return OffsetDateTime.parse(t).toLocalDate();
                } catch (DateTimeParseException e) {
                    try {
                        return LocalDateTime.parse(t).toLocalDate();
                    } catch (DateTimeParseException e2) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    /**
     * A pattern made only of yyyy, MM/M, dd/d and single separator characters, parsed by hand (no exceptions,
     * no allocation beyond the result). Strict like the formatter: impossible dates do not parse.
     */
    static final class NumericDatePattern {
        // token kinds: 'y' four digits, 'M'/'d' two digits, 'm'/'e' one or two digits, other = literal char
        private final char[] tokens;

        private NumericDatePattern(char[] tokens) {
            this.tokens = tokens;
        }

        static NumericDatePattern compile(String pattern) {
            StringBuilder tokens = new StringBuilder();
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                int run = 1;
                while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
                    run++;
                }
                if (c == 'y' || c == 'u') {
                    if (run != 4) {
                        return null;
                    }
                    tokens.append('y');
                } else if (c == 'M' || c == 'd') {
                    if (run > 2) {
                        return null;
                    }
                    tokens.append(run == 2 ? c : (c == 'M' ? 'm' : 'e'));
                } else if (c == '-' || c == '/' || c == '.' || c == ' ') {
                    for (int k = 0; k < run; k++) {
                        tokens.append(c);
                    }
                } else {
                    return null;
                }
                i += run;
            }
            return new NumericDatePattern(tokens.toString().toCharArray());
        }

        LocalDate parse(String t) {
            int pos = 0;
            int y = -1;
            int m = -1;
            int d = -1;
            int n = t.length();
            for (char tok : tokens) {
                switch (tok) {
                    case 'y', 'M', 'd' -> {
                        int width = tok == 'y' ? 4 : 2;
                        int v = io.crmconnect.common.time.FastTime.digits(t, pos, width);
                        if (v < 0) {
                            return null;
                        }
                        pos += width;
                        if (tok == 'y') {
                            y = v;
                        } else if (tok == 'M') {
                            m = v;
                        } else {
                            d = v;
                        }
                    }
                    case 'm', 'e' -> {
                        if (pos >= n || !isDigit(t.charAt(pos))) {
                            return null;
                        }
                        int v = t.charAt(pos++) - '0';
                        if (pos < n && isDigit(t.charAt(pos))) {
                            v = v * 10 + (t.charAt(pos++) - '0');
                        }
                        if (tok == 'm') {
                            m = v;
                        } else {
                            d = v;
                        }
                    }
                    default -> {
                        if (pos >= n || t.charAt(pos) != tok) {
                            return null;
                        }
                        pos++;
                    }
                }
            }
            if (pos != n || y < 0 || m < 1 || m > 12 || d < 1 || d > Month.of(m).length(Year.isLeap(y))) {
                return null;
            }
            return LocalDate.of(y, m, d);
        }
    }

    /**
     * A date of birth as an ISO date ({@code 1990-03-05}). Accepts text in any of {@code formats},
     * {@link LocalDate}, {@link java.util.Date} (Connect Date/Timestamp, read in UTC) and epoch days as Integer.
     *
     * @throws IllegalArgumentException when text matches none of the formats or the date is impossible
     */
    public static String dateOfBirth(Object value, DateFormats formats) {
        if (value == null) {
            return null;
        }
        LocalDate date;
        if (value instanceof CharSequence text) {
            if (text.toString().isBlank()) {
                return null;
            }
            date = formats.parse(text.toString());
            if (date == null) {
                throw new IllegalArgumentException("not a date in any of the formats " + formats.patterns());
            }
        } else if (value instanceof LocalDate d) {
            date = d;
        } else if (value instanceof Date d) {
            long day = Math.floorDiv(d.getTime(), 86_400_000L);
            if (day >= -719_528 && day <= 2_932_896) { // years 0000-9999
                return io.crmconnect.common.time.FastTime.isoDate(day);
            }
            date = LocalDate.ofEpochDay(day);
        } else if (value instanceof Integer days) {
            date = LocalDate.ofEpochDay(days);
        } else {
            throw new IllegalArgumentException(
                    "a date of birth cannot be a " + value.getClass().getSimpleName());
        }
        try {
            ChronoField.YEAR.checkValidValue(date.getYear());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("year out of range", e);
        }
        return date.toString();
    }

    // ------------------------------------------------------------------ postal addresses

    private static final Map<String, String> ADDRESS_ABBREVIATIONS = new HashMap<>();

    static {
        String[][] pairs = {
            // street suffixes (USPS Publication 28, the common ones)
            {"street", "st"},
            {"str", "st"},
            {"avenue", "ave"},
            {"av", "ave"},
            {"aven", "ave"},
            {"avn", "ave"},
            {"boulevard", "blvd"},
            {"boul", "blvd"},
            {"road", "rd"},
            {"drive", "dr"},
            {"drv", "dr"},
            {"lane", "ln"},
            {"court", "ct"},
            {"place", "pl"},
            {"square", "sq"},
            {"terrace", "ter"},
            {"parkway", "pkwy"},
            {"pky", "pkwy"},
            {"highway", "hwy"},
            {"circle", "cir"},
            {"circ", "cir"},
            {"expressway", "expy"},
            {"freeway", "fwy"},
            {"trail", "trl"},
            {"route", "rte"},
            {"center", "ctr"},
            {"centre", "ctr"},
            {"plaza", "plz"},
            {"heights", "hts"},
            {"point", "pt"},
            {"ridge", "rdg"},
            {"crossing", "xing"},
            {"alley", "aly"},
            {"junction", "jct"},
            {"turnpike", "tpke"},
            {"crescent", "cres"},
            {"grove", "grv"},
            {"mount", "mt"},
            {"mountain", "mtn"},
            {"fort", "ft"},
            {"saint", "st"},
            {"causeway", "cswy"},
            {"creek", "crk"},
            {"estates", "ests"},
            {"gardens", "gdns"},
            {"harbor", "hbr"},
            {"island", "is"},
            {"lake", "lk"},
            {"meadows", "mdws"},
            {"station", "sta"},
            {"valley", "vly"},
            {"view", "vw"},
            {"village", "vlg"},
            // directionals
            {"north", "n"},
            {"south", "s"},
            {"east", "e"},
            {"west", "w"},
            {"northeast", "ne"},
            {"northwest", "nw"},
            {"southeast", "se"},
            {"southwest", "sw"},
            // secondary unit designators
            {"apartment", "apt"},
            {"suite", "ste"},
            {"building", "bldg"},
            {"floor", "fl"},
            {"room", "rm"},
            {"department", "dept"},
            {"office", "ofc"},
            {"penthouse", "ph"},
            {"basement", "bsmt"},
            {"lobby", "lbby"},
        };
        for (String[] p : pairs) {
            ADDRESS_ABBREVIATIONS.put(p[0], p[1]);
        }
    }

    /**
     * A postal address line or a whole address: diacritics stripped, lower-cased, punctuation removed (a hyphen
     * between digits is kept, "#" is dropped), whitespace collapsed, common words abbreviated the USPS way
     * (Street → st, Avenue → ave, North → n, Suite → ste, ...) and US ZIP+4 codes cut to ZIP5.
     */
    public static String postalAddress(String value) {
        if (value == null) {
            return null;
        }
        return postalAddress(new String[] {value});
    }

    /** Address parts (street, unit, city, state, postal code) normalized and joined; null parts are skipped. */
    public static String postalAddress(String... parts) {
        int capacity = 0;
        for (String part : parts) {
            if (part != null) {
                capacity += part.length() * 2 + 2;
            }
        }
        char[] out = new char[capacity + 8];
        int len = 0;
        int tokenStart = -1;
        for (String part : parts) {
            if (part == null) {
                continue;
            }
            String text = asciiFold(part);
            int n = text.length();
            for (int i = 0; i <= n; i++) {
                char c = i < n ? text.charAt(i) : ' ';
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + 32);
                }
                boolean word =
                        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x80 && Character.isLetterOrDigit(c));
                if (word
                        || c == '-'
                                && tokenStart >= 0
                                && isDigit(out[len - 1])
                                && i + 1 < n
                                && isDigit(text.charAt(i + 1))) {
                    if (tokenStart < 0) {
                        if (len > 0) {
                            out[len++] = ' ';
                        }
                        tokenStart = len;
                    }
                    if (len + 2 >= out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    out[len++] = c >= 0x80 ? Character.toLowerCase(c) : c;
                } else if (c == '.' || c == '\'' || c == '\u2019') {
                    // "St." -> "st", "O'Neil" -> "oneil"
                } else if (tokenStart >= 0) {
                    len = finishAddressToken(out, tokenStart, len);
                    tokenStart = -1;
                }
            }
        }
        return len == 0 ? null : new String(out, 0, len);
    }

    /** Rewrites the token at out[start, end): ZIP+4 to ZIP5, words to their abbreviation. Returns the new end. */
    private static int finishAddressToken(char[] out, int start, int end) {
        int n = end - start;
        if (isDigit(out[start])) {
            if (n == 10 && out[start + 5] == '-' && allDigits(out, start, start + 5) && allDigits(out, start + 6, end)
                    || n == 9 && allDigits(out, start, end)) {
                return start + 5;
            }
            return end;
        }
        if (n < 2) {
            return end;
        }
        String abbreviation = ABBREVIATION_TABLE.get(out, start, n);
        if (abbreviation == null) {
            return end;
        }
        abbreviation.getChars(0, abbreviation.length(), out, start);
        return start + abbreviation.length();
    }

    private static boolean allDigits(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s[i])) {
                return false;
            }
        }
        return true;
    }

    private static final CharTable ABBREVIATION_TABLE = new CharTable(ADDRESS_ABBREVIATIONS);

    /** An open-addressing table looked up by a CharSequence, so address tokens need no String per lookup. */
    static final class CharTable {
        private final String[] keys;
        private final String[] values;
        private final int mask;

        CharTable(Map<String, String> map) {
            int size = Integer.highestOneBit(map.size() * 4);
            keys = new String[size];
            values = new String[size];
            mask = size - 1;
            for (Map.Entry<String, String> e : map.entrySet()) {
                int i = hash(e.getKey()) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = e.getKey();
                values[i] = e.getValue();
            }
        }

        private static int hash(CharSequence s) {
            int h = 0;
            for (int i = 0; i < s.length(); i++) {
                h = 31 * h + s.charAt(i);
            }
            return h ^ (h >>> 16);
        }

        String get(char[] s, int from, int len) {
            int h = 0;
            for (int j = from; j < from + len; j++) {
                h = 31 * h + s[j];
            }
            int i = (h ^ (h >>> 16)) & mask;
            while (true) {
                String k = keys[i];
                if (k == null) {
                    return null;
                }
                if (k.length() == len && regionEquals(k, s, from)) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
        }

        private static boolean regionEquals(String k, char[] s, int from) {
            for (int j = 0; j < k.length(); j++) {
                if (k.charAt(j) != s[from + j]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A postal code: US ZIP and ZIP+4 become the 5-digit ZIP; other codes are upper-cased with spaces and hyphens
     * removed (UK "sw1a 1aa" → "SW1A1AA").
     */
    public static String postalCode(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() >= 5
                && allDigits(t, 0, 5)
                && (t.length() == 5
                        || t.length() == 9 && allDigits(t, 5, 9)
                        || t.length() == 10 && (t.charAt(5) == '-' || t.charAt(5) == ' ') && allDigits(t, 6, 10))) {
            return t.substring(0, 5);
        }
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toUpperCase(c));
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** E.164-style digits-only phone: keeps a leading "+" and the digits; null when no digit is present. */
    public static String phone(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            } else if (c == '+' && out.length() == 0) {
                out.append(c);
            }
        }
        return out.length() == 0 || out.length() == 1 && out.charAt(0) == '+' ? null : out.toString();
    }

    // ------------------------------------------------------------------ composites

    /**
     * A composite key: the components joined with {@code separator}; {@code null} if any component is null, so a
     * partial key never matches a complete one.
     */
    public static String composite(String separator, String... components) {
        for (String c : components) {
            if (c == null) {
                return null;
            }
        }
        return String.join(separator, components); // sized once (JDK 17+)
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
