package io.crmconnect.simulator.snowflake;

import com.fasterxml.jackson.core.JsonGenerator;
import io.crmconnect.simulator.warehouse.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Writes a result the way Snowflake's JSON result format carries it: {@code rowtype} (one entry per column with the
 * lower-case Snowflake type) and {@code rowset} (every cell a string or null: numbers as decimal text, timestamps
 * as epoch seconds with nine fraction digits, TIMESTAMP_TZ followed by the offset index 1440 + minutes, dates as
 * days since the epoch, times as seconds since midnight, binary as hex, VARIANT as JSON text).
 */
final class RowsetWriter {
    private RowsetWriter() {}

    static String wireType(Column c) {
        return switch (c.type().toUpperCase(Locale.ROOT)) {
            case "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT" -> "fixed";
            case "FLOAT", "DOUBLE", "REAL" -> "real";
            case "BOOLEAN" -> "boolean";
            case "DATE" -> "date";
            case "TIME" -> "time";
            case "TIMESTAMP_LTZ" -> "timestamp_ltz";
            case "TIMESTAMP_NTZ" -> "timestamp_ntz";
            case "TIMESTAMP_TZ" -> "timestamp_tz";
            case "VARIANT" -> "variant";
            case "OBJECT" -> "object";
            case "ARRAY" -> "array";
            case "BINARY" -> "binary";
            default -> "text";
        };
    }

    static void rowtype(JsonGenerator g, List<Column> cols) throws IOException {
        g.writeArrayFieldStart("rowtype");
        for (Column c : cols) {
            String t = wireType(c);
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("database", "");
            g.writeStringField("schema", "");
            g.writeStringField("table", "");
            g.writeStringField("type", t);
            g.writeBooleanField("nullable", true);
            boolean ts = t.startsWith("timestamp") || t.equals("time");
            g.writeNumberField("scale", t.equals("fixed") ? c.scale() : ts ? 9 : 0);
            g.writeNumberField("precision", t.equals("fixed") ? (c.precision() == 0 ? 38 : c.precision()) : ts ? 0 : 0);
            g.writeNumberField("length", t.equals("text") || t.equals("variant") ? 16777216 : 0);
            g.writeNumberField("byteLength", t.equals("text") || t.equals("variant") ? 16777216 : 0);
            g.writeNullField("collation");
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void rowset(JsonGenerator g, List<Column> cols, List<Object[]> rows) throws IOException {
        String[] types = new String[cols.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = wireType(cols.get(i));
        }
        g.writeArrayFieldStart("rowset");
        StringBuilder sb = new StringBuilder(32);
        for (Object[] r : rows) {
            g.writeStartArray();
            for (int i = 0; i < types.length; i++) {
                Object v = r[i];
                if (v == null) {
                    g.writeNull();
                } else {
                    sb.setLength(0);
                    cell(sb, types[i], v);
                    g.writeString(sb.toString());
                }
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    static void cell(StringBuilder sb, String type, Object v) {
        switch (type) {
            case "fixed" -> sb.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
            case "boolean" -> sb.append(Boolean.TRUE.equals(v) ? "1" : "0");
            case "date" -> sb.append(((LocalDate) v).toEpochDay());
            case "time" -> epoch(sb, ((LocalTime) v).toSecondOfDay(), ((LocalTime) v).getNano());
            case "timestamp_ltz" -> epoch(sb, (Instant) v);
            case "timestamp_ntz" -> epoch(sb, v instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : (Instant) v);
            case "timestamp_tz" -> {
                OffsetDateTime o = (OffsetDateTime) v;
                epoch(sb, o.toInstant());
                sb.append(' ').append(1440 + o.getOffset().getTotalSeconds() / 60);
            }
            case "binary" -> sb.append(HexFormat.of().withUpperCase().formatHex((byte[]) v));
            default -> sb.append(v);
        }
    }

    private static void epoch(StringBuilder sb, Instant i) {
        epoch(sb, i.getEpochSecond(), i.getNano());
    }

    private static void epoch(StringBuilder sb, long sec, int nano) {
        if (sec < 0 && nano > 0) {
            sb.append(BigDecimal.valueOf(sec).add(BigDecimal.valueOf(nano, 9)).toPlainString());
            return;
        }
        sb.append(sec).append('.');
        String n = Integer.toString(nano);
        for (int k = n.length(); k < 9; k++) {
            sb.append('0');
        }
        sb.append(n);
    }
}
