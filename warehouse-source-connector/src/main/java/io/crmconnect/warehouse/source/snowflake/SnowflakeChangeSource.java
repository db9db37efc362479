package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.warehouse.source.core.ChangeSource;
import io.crmconnect.warehouse.source.core.ColumnInfo;
import io.crmconnect.warehouse.source.core.ColumnType;
import io.crmconnect.warehouse.source.core.Page;
import io.crmconnect.warehouse.source.core.SourceRow;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.ValueText;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One Snowflake table through JDBC: {@code AT(TIMESTAMP => t)} snapshots, {@code CHANGES(INFORMATION => ...)
 * AT(...) END(...)} change sets and (watermark, key) walks, each one bounded, key-ordered query with every point and
 * key bound as text with an explicit cast (no JVM time zone involved). Column names are quoted as the warehouse
 * returns them.
 */
final class SnowflakeChangeSource implements ChangeSource {
    private final TableSpec spec;
    private final Supplier<Connection> connection;
    private List<ColumnInfo> columns;
    private String selectList;
    private List<Integer> keyIdx;
    private int wmIdx = -1;

    SnowflakeChangeSource(TableSpec spec, Supplier<Connection> connection) {
        this.spec = spec;
        this.connection = connection;
    }

    @Override
    public List<ColumnInfo> columns() {
        if (columns != null) {
            return columns;
        }
        try (Statement st = connection.get().createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + spec.name() + " LIMIT 0")) {
            ResultSetMetaData md = rs.getMetaData();
            List<ColumnInfo> out = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(column(md.getColumnName(i), md.getColumnTypeName(i), md.getPrecision(i), md.getScale(i)));
            }
            columns = out;
        } catch (SQLException e) {
            throw SnowflakeErrors.classify("reading the columns of " + spec.name(), e);
        }
        StringBuilder sb = new StringBuilder();
        for (ColumnInfo c : columns) {
            sb.append(sb.length() == 0 ? "" : ", ").append(quote(c.name()));
        }
        selectList = sb.toString();
        keyIdx = new ArrayList<>();
        for (String k : spec.keyColumns()) {
            keyIdx.add(index(k));
        }
        if (spec.watermarkColumn() != null) {
            wmIdx = index(spec.watermarkColumn());
        }
        return columns;
    }

    private int index(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new io.crmconnect.warehouse.source.core.WarehouseError(
                io.crmconnect.warehouse.source.core.WarehouseError.Kind.PERMANENT,
                "Snowflake table " + spec.name() + " has no column " + name,
                null);
    }

    /** Snowflake type names as JDBC metadata reports them (NUMBER, VARCHAR, TIMESTAMPNTZ, ...). */
    static ColumnInfo column(String name, String typeName, int precision, int scale) {
        String t = typeName.toUpperCase(Locale.ROOT).replace("_", "");
        ColumnType ct = switch (t) {
            case "NUMBER", "DECIMAL", "NUMERIC", "FIXED" ->
                scale == 0 && precision > 0 && precision <= 18 ? ColumnType.INTEGER : ColumnType.DECIMAL;
            case "FLOAT", "DOUBLE", "REAL" -> ColumnType.DOUBLE;
            case "BOOLEAN" -> ColumnType.BOOLEAN;
            case "DATE" -> ColumnType.DATE;
            case "TIME" -> ColumnType.TIME;
            case "TIMESTAMPNTZ", "DATETIME" -> ColumnType.TIMESTAMP_NTZ;
            case "TIMESTAMPLTZ", "TIMESTAMP" -> ColumnType.TIMESTAMP;
            case "TIMESTAMPTZ" -> ColumnType.TIMESTAMP_TZ;
            case "VARIANT", "OBJECT", "ARRAY" -> ColumnType.JSON;
            case "BINARY" -> ColumnType.BYTES;
            default -> ColumnType.STRING;
        };
        return new ColumnInfo(
                name, ct, typeName, precision == 0 && ct == ColumnType.DECIMAL ? 38 : precision, scale, null, null);
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String cast(ColumnInfo c) {
        return switch (c.type()) {
            case INTEGER, DECIMAL -> "::NUMBER(38, " + c.scale() + ")";
            case DOUBLE -> "::DOUBLE";
            case DATE -> "::DATE";
            case TIME -> "::TIME";
            case TIMESTAMP_NTZ -> "::TIMESTAMP_NTZ";
            case TIMESTAMP, TIMESTAMP_TZ -> "::TIMESTAMP_LTZ";
            case BOOLEAN -> "::BOOLEAN";
            default -> "";
        };
    }

    /** k1 > ? OR (k1 = ? AND (k2 > ? OR ...)), with the bind values appended to {@code binds}. */
    private String keyAfter(Object[] after, List<String> binds) {
        StringBuilder sb = new StringBuilder();
        int n = keyIdx.size();
        for (int i = 0; i < n; i++) {
            ColumnInfo c = columns.get(keyIdx.get(i));
            String col = quote(c.name());
            String v = ValueText.text(after[i]);
            if (i < n - 1) {
                sb.append("(")
                        .append(col)
                        .append(" > ?")
                        .append(cast(c))
                        .append(" OR (")
                        .append(col)
                        .append(" = ?")
                        .append(cast(c))
                        .append(" AND ");
                binds.add(v);
                binds.add(v);
            } else {
                sb.append(col).append(" > ?").append(cast(c));
                binds.add(v);
            }
        }
        for (int i = 0; i < n - 1; i++) {
            sb.append("))");
        }
        return sb.toString();
    }

    private String orderByKey() {
        StringBuilder sb = new StringBuilder();
        for (int i : keyIdx) {
            sb.append(sb.length() == 0 ? "" : ", ").append(quote(columns.get(i).name()));
        }
        return sb.toString();
    }

    @Override
    public Instant serverNow() {
        try (Statement st = connection.get().createStatement();
                ResultSet rs = st.executeQuery("SELECT CURRENT_TIMESTAMP()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw SnowflakeErrors.classify("reading CURRENT_TIMESTAMP()", e);
        }
    }

    @Override
    public Page snapshot(Instant asOf, Object[] afterKey, int limit) {
        columns();
        List<String> binds = new ArrayList<>();
        binds.add(asOf.toString());
        String sql = "SELECT " + selectList + " FROM " + spec.name() + " AT(TIMESTAMP => ?::TIMESTAMP_LTZ)"
                + (afterKey == null ? "" : " WHERE " + keyAfter(afterKey, binds)) + " ORDER BY " + orderByKey()
                + " LIMIT " + limit;
        return run(sql, binds, false, "snapshot of " + spec.name());
    }

    @Override
    public Page changes(Instant from, Instant to, boolean appendOnly, Object[] afterKey, int limit) {
        columns();
        List<String> binds = new ArrayList<>();
        binds.add(from.toString());
        binds.add(to.toString());
        String sql = "SELECT " + selectList + ", METADATA$ACTION, METADATA$ISUPDATE FROM " + spec.name()
                + " CHANGES(INFORMATION => " + (appendOnly ? "APPEND_ONLY" : "DEFAULT")
                + ") AT(TIMESTAMP => ?::TIMESTAMP_LTZ) END(TIMESTAMP => ?::TIMESTAMP_LTZ)"
                + (afterKey == null ? "" : " WHERE " + keyAfter(afterKey, binds)) + " ORDER BY " + orderByKey()
                + ", METADATA$ACTION LIMIT " + limit;
        return run(sql, binds, true, "changes of " + spec.name());
    }

    @Override
    public Page watermark(Instant afterTs, Object[] afterKey, Instant upTo, int limit) {
        columns();
        ColumnInfo wm = columns.get(wmIdx);
        String col = quote(wm.name());
        String c = wm.type() == ColumnType.TIMESTAMP_NTZ ? "::TIMESTAMP_NTZ" : "::TIMESTAMP_LTZ";
        List<String> binds = new ArrayList<>();
        binds.add(point(wm, upTo));
        StringBuilder where = new StringBuilder(col + " <= ?" + c);
        if (afterTs != null) {
            binds.add(point(wm, afterTs));
            binds.add(point(wm, afterTs));
            where.append(" AND (")
                    .append(col)
                    .append(" > ?")
                    .append(c)
                    .append(" OR (")
                    .append(col)
                    .append(" = ?")
                    .append(c)
                    .append(" AND ")
                    .append(keyAfter(afterKey, binds))
                    .append("))");
        }
        String sql = "SELECT " + selectList + " FROM " + spec.name() + " WHERE " + where + " ORDER BY " + col + ", "
                + orderByKey() + " LIMIT " + limit;
        return run(sql, binds, false, "watermark read of " + spec.name());
    }

    /** An instant as text for the watermark column: NTZ columns hold UTC wall clock. */
    private static String point(ColumnInfo wm, Instant t) {
        return wm.type() == ColumnType.TIMESTAMP_NTZ
                ? LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString()
                : t.toString();
    }

    private Page run(String sql, List<String> binds, boolean changes, String what) {
        try (PreparedStatement ps = connection.get().prepareStatement(sql)) {
            for (int i = 0; i < binds.size(); i++) {
                ps.setString(i + 1, binds.get(i));
            }
            List<SourceRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = columns.size();
                while (rs.next()) {
                    Object[] v = new Object[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = read(rs, i + 1, columns.get(i));
                    }
                    SourceRow.Op op = SourceRow.Op.SNAPSHOT;
                    if (changes) {
                        op = "DELETE".equals(rs.getString(n + 1)) ? SourceRow.Op.DELETE : SourceRow.Op.UPSERT;
                    } else if (wmIdx >= 0 && !what.startsWith("snapshot")) {
                        op = SourceRow.Op.UPSERT;
                    }
                    rows.add(new SourceRow(v, op));
                }
            }
            return new Page(rows, 0);
        } catch (SQLException e) {
            throw SnowflakeErrors.classify(what, e);
        }
    }

    static Object read(ResultSet rs, int i, ColumnInfo c) throws SQLException {
        Object v = switch (c.type()) {
            case INTEGER -> rs.getLong(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case DOUBLE -> rs.getDouble(i);
            case BOOLEAN -> rs.getBoolean(i);
            case DATE -> {
                Date d = rs.getDate(i);
                yield d == null ? null : d.toLocalDate();
            }
            case TIME -> {
                Time t = rs.getTime(i);
                yield t == null ? null : t.toLocalTime();
            }
            case TIMESTAMP_NTZ -> {
                Timestamp t = rs.getTimestamp(i);
                yield t == null ? null : LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
            }
            case TIMESTAMP -> {
                Timestamp t = rs.getTimestamp(i);
                yield t == null ? null : t.toInstant();
            }
            case TIMESTAMP_TZ -> {
                Timestamp t = rs.getTimestamp(i);
                yield t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
            }
            case BYTES -> rs.getBytes(i);
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() {}
}
