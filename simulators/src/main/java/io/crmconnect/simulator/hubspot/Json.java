package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** JSON helpers shared by the simulator. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final DateTimeFormatter ISO_MS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {}

    /** yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (UTC), without a formatter (hot path). */
    static String iso(long millis) {
        byte[] text = new byte[ISO_LENGTH];
        if (!isoInto(text, 0, millis)) {
            return ISO_MS.format(Instant.ofEpochMilli(millis));
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** Length of the text {@link #iso} and {@link #isoInto} write for years 0000-9999. */
    static final int ISO_LENGTH = 24;

    /**
     * Writes the {@link #iso} text as ASCII bytes at {@code at} (the list/search writer's byte path shares it);
     * false, writing nothing, for years outside 0000-9999 (callers use {@link #iso}).
     */
    static boolean isoInto(byte[] dst, int at, long millis) {
        long secs = Math.floorDiv(millis, 1000L);
        int ms = (int) Math.floorMod(millis, 1000L);
        long days = Math.floorDiv(secs, 86_400L);
        int sod = (int) Math.floorMod(secs, 86_400L);
        LocalDate d = LocalDate.ofEpochDay(days);
        int y = d.getYear();
        if (y < 0 || y > 9999) {
            return false;
        }
        put(dst, at, y, 4);
        dst[at + 4] = '-';
        put(dst, at + 5, d.getMonthValue(), 2);
        dst[at + 7] = '-';
        put(dst, at + 8, d.getDayOfMonth(), 2);
        dst[at + 10] = 'T';
        put(dst, at + 11, sod / 3600, 2);
        dst[at + 13] = ':';
        put(dst, at + 14, sod / 60 % 60, 2);
        dst[at + 16] = ':';
        put(dst, at + 17, sod % 60, 2);
        dst[at + 19] = '.';
        put(dst, at + 20, ms, 3);
        dst[at + 23] = 'Z';
        return true;
    }

    private static void put(byte[] dst, int at, int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            dst[at + i] = (byte) ('0' + v % 10);
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
