package io.crmconnect.simulator.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Splits a raw query string into names and their values, in order, with the simulator's percent-decoding. */
public final class QueryString {
    private QueryString() {}

    public static Map<String, List<String>> parse(String raw, UnaryOperator<String> decode) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode.apply(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode.apply(part.substring(eq + 1));
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }
}
