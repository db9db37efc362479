package io.crmconnect.warehouse.source.core;

import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Key;
import io.crmconnect.simulator.warehouse.RowChange;
import io.crmconnect.simulator.warehouse.VersionedTable;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.simulator.warehouse.WarehouseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of a model table without a wire in between, for fast tests of the capture logic. The wire
 * adapters (Snowflake JDBC, BigQuery REST) are tested against the fakes separately.
 */
final class ModelChangeSource implements ChangeSource {
    private final Warehouse wh;
    private final VersionedTable table;
    private final int[] keyIdx;
    private final int wmIdx;
    int failNext;

    ModelChangeSource(Warehouse wh, String table, String watermarkColumn) {
        this.wh = wh;
        this.table = wh.table(table);
        List<String> keys = this.table.keyColumns();
        keyIdx = new int[keys.size()];
        for (int i = 0; i < keyIdx.length; i++) {
            keyIdx[i] = this.table.indexOf(keys.get(i));
        }
        wmIdx = watermarkColumn == null ? -1 : this.table.indexOf(watermarkColumn);
    }

    @Override
    public List<ColumnInfo> columns() {
        List<ColumnInfo> out = new ArrayList<>();
        for (Column c : table.columns()) {
            ColumnType t = switch (c.type()) {
                case "NUMBER" -> c.scale() == 0 ? ColumnType.INTEGER : ColumnType.DECIMAL;
                case "TIMESTAMP_LTZ" -> ColumnType.TIMESTAMP;
                case "TIMESTAMP_NTZ" -> ColumnType.TIMESTAMP_NTZ;
                default -> ColumnType.STRING;
            };
            out.add(new ColumnInfo(c.name(), t, c.type(), c.precision(), c.scale(), null, null));
        }
        return out;
    }

    @Override
    public Instant serverNow() {
        return wh.clock().now();
    }

    private void maybeFail() {
        if (failNext > 0) {
            failNext--;
            throw new WarehouseError(WarehouseError.Kind.TRANSIENT, "injected", null);
        }
    }

    private boolean afterKey(Object[] row, Object[] after) {
        return after == null || Key.ofRow(row, keyIdx).compareTo(new Key(after)) > 0;
    }

    @Override
    public Page snapshot(Instant asOf, Object[] after, int limit) {
        maybeFail();
        try {
            table.checkTimeTravel(asOf, wh.clock().now());
            List<SourceRow> out = new ArrayList<>();
            for (Object[] r : table.scan(asOf, r -> afterKey(r, after), limit)) {
                out.add(new SourceRow(r, SourceRow.Op.SNAPSHOT));
            }
            return new Page(out, 0);
        } catch (WarehouseException e) {
            throw map(e);
        }
    }

    @Override
    public Page changes(Instant from, Instant to, boolean appendOnly, Object[] after, int limit) {
        maybeFail();
        try {
            table.checkTimeTravel(from, wh.clock().now());
            List<SourceRow> out = new ArrayList<>();
            for (RowChange c : table.changes(from, to, appendOnly)) {
                if (afterKey(c.row(), after) && out.size() < limit) {
                    out.add(new SourceRow(
                            c.row(), c.action().equals("DELETE") ? SourceRow.Op.DELETE : SourceRow.Op.UPSERT));
                }
            }
            return new Page(out, 0);
        } catch (WarehouseException e) {
            throw map(e);
        }
    }

    @Override
    public Page watermark(Instant afterTs, Object[] after, Instant upTo, int limit) {
        maybeFail();
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : table.snapshot(wh.clock().now())) {
            Instant ts = (Instant) r[wmIdx];
            if (ts == null || ts.isAfter(upTo)) {
                continue;
            }
            int c = afterTs == null ? 1 : ts.compareTo(afterTs);
            if (c > 0 || (c == 0 && afterKey(r, after))) {
                rows.add(r);
            }
        }
        rows.sort((a, b) -> {
            int c = ((Instant) a[wmIdx]).compareTo((Instant) b[wmIdx]);
            return c != 0 ? c : Key.ofRow(a, keyIdx).compareTo(Key.ofRow(b, keyIdx));
        });
        List<SourceRow> out = new ArrayList<>();
        for (Object[] r : rows.subList(0, Math.min(limit, rows.size()))) {
            out.add(new SourceRow(r, SourceRow.Op.UPSERT));
        }
        return new Page(out, 0);
    }

    private static WarehouseError map(WarehouseException e) {
        WarehouseError.Kind k = switch (e.kind()) {
            case TIME_TRAVEL_UNAVAILABLE -> WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE;
            case CHANGE_TRACKING_OFF -> WarehouseError.Kind.CHANGE_TRACKING_OFF;
            default -> WarehouseError.Kind.PERMANENT;
        };
        return new WarehouseError(k, e.getMessage(), e);
    }

    @Override
    public void close() {}
}
