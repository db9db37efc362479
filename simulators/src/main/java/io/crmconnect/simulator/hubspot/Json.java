package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON helpers shared by the simulator. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final DateTimeFormatter ISO_MS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() { }

    /** yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (UTC), without a formatter (hot path). */
    static String iso(long millis) {
        long secs = Math.floorDiv(millis, 1000L);
        int ms = (int) Math.floorMod(millis, 1000L);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(days);
        int y = d.getYear();
        if (y < 0 || y > 9999) {
            return ISO_MS.format(Instant.ofEpochMilli(millis));
        }
        char[] c = new char[24];
        put(c, 0, y, 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, sod / 3600, 2);
        c[13] = ':';
        put(c, 14, sod / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, sod % 60, 2);
        c[19] = '.';
        put(c, 20, ms, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode arr() {
        return MAPPER.createArrayNode();
    }
}
