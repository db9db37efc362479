package io.crmconnect.simulator.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as read from the socket, before a simulator parses it into its own request type.
 *
 * @param headers lower-case names, every value in the order received
 */
public record RawRequest(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    /** Headers with the first value of each (repeated headers keep the first). */
    public Map<String, String> firstHeaderValues() {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k, v.isEmpty() ? "" : v.get(0)));
        return m;
    }

    /** Headers with repeated values joined by ", " (RFC 9110 §5.3). */
    public Map<String, String> joinedHeaderValues() {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k, String.join(", ", v)));
        return m;
    }
}
