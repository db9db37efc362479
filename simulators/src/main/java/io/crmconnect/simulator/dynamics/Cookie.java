package io.crmconnect.simulator.dynamics;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $skiptoken} paging cookie, in Dataverse's format: {@code <cookie pagenumber="2"
 * pagingcookie="%3ccookie%20page%3d%221%22%3e%3ccontactid%20last%3d%22%7b...%7d%22%20first%3d...%3c%2fcookie%3e"
 * istracking="False" />}. The inner cookie (URL-encoded once) carries the first and last primary keys of the previous
 * page; tracking pages also carry the version the delta token will be taken at. Clients treat it as opaque.
 */
final class Cookie {
    private static final Pattern OUTER = Pattern.compile(
            "<cookie pagenumber=\"(\\d+)\" pagingcookie=\"([^\"]*)\" " + "istracking=\"(True|False)\" />");
    private static final Pattern ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    int pageNumber;
    String firstId;
    String lastId;
    boolean tracking;
    /** Change tracking: the version the final delta link will carry. */
    long snapshot;
    /** Delta pages: "c" while changed rows are paged, "d" for deletions; and the last version written. */
    String phase;

    long lastVersion;
    long tokenTime;

    static Cookie parse(String skipToken, String pk) {
        Matcher m = OUTER.matcher(skipToken.trim());
        if (!m.matches()) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "The paging cookie in $skiptoken " + "is not valid. Use the @odata.nextLink URL unchanged.");
        }
        Cookie c = new Cookie();
        c.pageNumber = Integer.parseInt(m.group(1));
        c.tracking = m.group(3).equals("True");
        String inner = Http.decode(m.group(2));
        Matcher a = ATTR.matcher(inner);
        while (a.find()) {
            String k = a.group(1);
            String v = a.group(2);
            switch (k) {
                case "last" -> c.lastId = strip(v);
                case "first" -> c.firstId = strip(v);
                case "snapshot" -> c.snapshot = Long.parseLong(v);
                case "phase" -> c.phase = v;
                case "lastversion" -> c.lastVersion = Long.parseLong(v);
                case "tokentime" -> c.tokenTime = Long.parseLong(v);
                default -> {}
            }
        }
        return c;
    }

    private static String strip(String v) {
        String s = v.startsWith("{") && v.endsWith("}") ? v.substring(1, v.length() - 1) : v;
        return s.toLowerCase(Locale.ROOT);
    }

    /** The $skiptoken value (not yet URL-encoded) for the page after one that ended at {@code lastId}. */
    String write(String pk) {
        StringBuilder inner = new StringBuilder("<cookie page=\"")
                .append(pageNumber - 1)
                .append("\"><")
                .append(pk);
        if (lastId != null) {
            inner.append(" last=\"{")
                    .append(lastId.toUpperCase(Locale.ROOT))
                    .append("}\" first=\"{")
                    .append(firstId.toUpperCase(Locale.ROOT))
                    .append("}\"");
        }
        if (snapshot > 0) {
            inner.append(" snapshot=\"").append(snapshot).append('"');
        }
        if (phase != null) {
            inner.append(" phase=\"")
                    .append(phase)
                    .append("\" lastversion=\"")
                    .append(lastVersion)
                    .append('"');
        }
        if (tokenTime > 0) {
            inner.append(" tokentime=\"").append(tokenTime).append('"');
        }
        inner.append(" /></cookie>");
        return "<cookie pagenumber=\"" + pageNumber + "\" pagingcookie=\"" + lowerEncode(inner.toString())
                + "\" istracking=\"" + (tracking ? "True" : "False") + "\" />";
    }

    /**
     * The cookie as it sits in a nextLink: only '%', '<', '>', '"' and space are escaped, so the once-encoded
     * inner cookie shows up twice-encoded ({@code %253ccookie}) as in Dataverse's links.
     */
    static String urlForm(String cookie) {
        StringBuilder sb = new StringBuilder(cookie.length() + 64);
        for (char c : cookie.toCharArray()) {
            switch (c) {
                case '%' -> sb.append("%25");
                case '<' -> sb.append("%3C");
                case '>' -> sb.append("%3E");
                case '"' -> sb.append("%22");
                case ' ' -> sb.append("%20");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Percent-encoding with lower-case hex, as the paging cookie and delta token are written. */
    static String lowerEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return sb.toString();
    }
}
