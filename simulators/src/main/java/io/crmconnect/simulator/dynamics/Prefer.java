package io.crmconnect.simulator.dynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Prefer request header: {@code odata.include-annotations="..."}, {@code odata.maxpagesize=N},
 * {@code odata.track-changes}, {@code return=representation}, {@code odata.continue-on-error}.
 */
final class Prefer {
    /** The page size Dataverse uses by default and never exceeds. */
    static final int MAX_PAGE_SIZE = 5000;

    String includeAnnotations;
    Integer maxPageSize;
    boolean trackChanges;
    boolean returnRepresentation;
    boolean continueOnError;
    final Annotations annotations;

    Prefer(String header) {
        if (header != null) {
            for (String part : split(header)) {
                String p = part.trim();
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.startsWith("odata.include-annotations=")) {
                    includeAnnotations = unquote(p.substring(p.indexOf('=') + 1).trim());
                } else if (lower.startsWith("odata.maxpagesize=")) {
                    try {
                        maxPageSize = Integer.parseInt(
                                unquote(p.substring(p.indexOf('=') + 1).trim()));
                    } catch (NumberFormatException e) {
                        maxPageSize = null; // an unusable preference is ignored, as preferences may be
                    }
                } else if (lower.equals("odata.track-changes")) {
                    trackChanges = true;
                } else if (lower.equals("return=representation")) {
                    returnRepresentation = true;
                } else if (lower.equals("odata.continue-on-error")) {
                    continueOnError = true;
                }
            }
        }
        annotations = new Annotations(includeAnnotations);
    }

    /** The page size to serve: the requested one capped at 5,000. */
    int pageSize() {
        return maxPageSize == null || maxPageSize <= 0 ? MAX_PAGE_SIZE : Math.min(maxPageSize, MAX_PAGE_SIZE);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits on commas outside double quotes. */
    private static List<String> split(String h) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (char c : h.toCharArray()) {
            if (c == '"') {
                q = !q;
            }
            if (c == ',' && !q) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Which instance annotations the client asked for (names or wildcards such as {@code Microsoft.Dynamics.CRM.*}). */
    static final class Annotations {
        static final String FORMATTED = "OData.Community.Display.V1.FormattedValue";
        static final String NAV = "Microsoft.Dynamics.CRM.associatednavigationproperty";
        static final String LOOKUP = "Microsoft.Dynamics.CRM.lookuplogicalname";
        static final String TOTAL = "Microsoft.Dynamics.CRM.totalrecordcount";
        static final String TOTAL_EXCEEDED = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";
        static final String GLOBAL_METADATA = "Microsoft.Dynamics.CRM.globalmetadataversion";

        final boolean formatted;
        final boolean nav;
        final boolean lookup;
        final boolean total;
        final boolean globalMetadata;
        final boolean errorDetails;

        Annotations(String spec) {
            List<String> names = new ArrayList<>();
            if (spec != null) {
                for (String s : spec.split(",")) {
                    if (!s.isBlank()) {
                        names.add(s.trim());
                    }
                }
            }
            formatted = match(names, FORMATTED);
            nav = match(names, NAV);
            lookup = match(names, LOOKUP);
            total = match(names, TOTAL);
            globalMetadata = match(names, GLOBAL_METADATA);
            errorDetails = match(names, "Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus");
        }

        boolean any() {
            return formatted || nav || lookup;
        }

        private static boolean match(List<String> patterns, String name) {
            for (String p : patterns) {
                if (p.startsWith("-")) {
                    continue;
                }
                if (p.equals("*")
                        || p.equals(name)
                        || p.endsWith(".*") && name.startsWith(p.substring(0, p.length() - 1))) {
                    boolean excluded = false;
                    for (String x : patterns) {
                        if (x.startsWith("-")
                                && (x.substring(1).equals(name)
                                        || x.endsWith(".*") && name.startsWith(x.substring(1, x.length() - 1)))) {
                            excluded = true;
                        }
                    }
                    return !excluded;
                }
            }
            return false;
        }
    }
}
