package io.crmconnect.simulator.warehouse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The query loop of a timestamp(+incrementing) polling source, as kafka-connect-jdbc runs it:
 * {@code WHERE ts < :now AND ((ts = :ts AND id > :id) OR ts > :ts) ORDER BY ts, id}, with the upper bound from the
 * database clock and no delay. Faithful to the designs whose loss bugs the regression tests reproduce; not ours.
 */
final class TimestampPoller {
    private final Warehouse wh;
    private final String table;
    private final int tsCol;
    private final int idCol;
    private final boolean incrementing;
    Instant ts = Instant.EPOCH;
    long id = Long.MIN_VALUE;

    TimestampPoller(Warehouse wh, String table, String tsColumn, String idColumn, boolean incrementing) {
        this.wh = wh;
        this.table = table;
        VersionedTable t = wh.table(table);
        this.tsCol = t.indexOf(tsColumn);
        this.idCol = t.indexOf(idColumn);
        this.incrementing = incrementing;
    }

    /** One query of at most {@code max} rows; the offset moves to the last row returned (the in-memory offset). */
    List<Object[]> poll(int max) {
        Instant now = wh.clock().now();
        Instant lo = ts;
        long loId = id;
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : wh.table(table).snapshot(now)) {
            Instant t = (Instant) r[tsCol];
            long i = (Long) r[idCol];
            boolean after = incrementing ? t.isAfter(lo) || (t.equals(lo) && i > loId) : t.isAfter(lo);
            if (t.isBefore(now) && after) {
                rows.add(r);
            }
        }
        rows.sort((a, b) -> {
            int c = ((Instant) a[tsCol]).compareTo((Instant) b[tsCol]);
            return c != 0 ? c : Long.compare((Long) a[idCol], (Long) b[idCol]);
        });
        List<Object[]> out = rows.subList(0, Math.min(max, rows.size()));
        if (!out.isEmpty()) {
            Object[] last = out.get(out.size() - 1);
            ts = (Instant) last[tsCol];
            id = (Long) last[idCol];
        }
        return new ArrayList<>(out);
    }

    /**
     * Airbyte's cursor round trip for a TIMESTAMP_NTZ column before its fix: the wall-clock value is read as a
     * java.sql.Timestamp in the JVM's zone and bound back as UTC wall clock, shifting the cursor by the zone offset.
     */
    static LocalDateTime ntzCursorRoundTrip(LocalDateTime cursor, ZoneId jvmZone) {
        Instant asReadInJvmZone = cursor.atZone(jvmZone).toInstant();
        return LocalDateTime.ofInstant(asReadInJvmZone, ZoneOffset.UTC);
    }
}
