package io.crmconnect.warehouse.source.bigquery;

import com.google.api.client.util.Data;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableDataList;
import com.google.api.services.bigquery.model.TableRow;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.spi.v2.BigQueryRpc;
import io.crmconnect.warehouse.source.core.ChangeSource;
import io.crmconnect.warehouse.source.core.ColumnInfo;
import io.crmconnect.warehouse.source.core.ColumnType;
import io.crmconnect.warehouse.source.core.Page;
import io.crmconnect.warehouse.source.core.SourceRow;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One BigQuery table through the official client: schema from tables.get, the server clock from
 * {@code SELECT CURRENT_TIMESTAMP()}, and bounded, key-ordered GoogleSQL queries with named parameters (no value is
 * ever spliced into SQL text): {@code FOR SYSTEM_TIME AS OF} snapshots, the {@code CHANGES} / {@code APPENDS} table
 * functions between two points (start inclusive, end exclusive, so consecutive intervals tile time), and
 * (watermark, key) walks that first take the rows whose watermark is empty (NULL sorts first), then the rest up to
 * the given bound.
 */
final class BigQueryChangeSource implements ChangeSource {
    private final TableSpec spec;
    private final Supplier<BigQuery> client;
    private final String project;
    private final long pageRows;
    private final TableId tableId;
    private final String from;
    private List<ColumnInfo> columns;
    private List<Integer> keyIdx;
    private int wmIdx = -1;
    private String keyOrder;

    BigQueryChangeSource(TableSpec spec, Supplier<BigQuery> client, String project, long pageRows) {
        this.spec = spec;
        this.client = client;
        this.project = project;
        this.pageRows = pageRows;
        String[] parts = spec.name().replace("`", "").split("\\.");
        if (parts.length == 3) {
            tableId = TableId.of(parts[0], parts[1], parts[2]);
        } else if (parts.length == 2) {
            tableId = TableId.of(project, parts[0], parts[1]);
        } else {
            throw new WarehouseError(
                    WarehouseError.Kind.PERMANENT,
                    "Table " + spec.name() + ": name it dataset.table or project.dataset.table",
                    null);
        }
        from = "`" + tableId.getProject() + "." + tableId.getDataset() + "." + tableId.getTable() + "`";
    }

    @Override
    public List<ColumnInfo> columns() {
        if (columns != null) {
            return columns;
        }
        Table t;
        try {
            t = client.get().getTable(tableId);
        } catch (RuntimeException e) {
            throw BigQueryErrors.classify("reading the schema of " + spec.name(), e);
        }
        if (t == null) {
            throw new WarehouseError(
                    WarehouseError.Kind.PERMANENT,
                    "Table " + spec.name() + " does not exist or "
                            + "the connector may not read it (needs bigquery.tables.get)",
                    null);
        }
        List<ColumnInfo> out = new ArrayList<>();
        for (Field f : t.getDefinition().getSchema().getFields()) {
            out.add(column(f));
        }
        columns = out;
        keyIdx = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (String k : spec.keyColumns()) {
            keyIdx.add(index(k));
            order.add(quote(columns.get(index(k)).name()));
        }
        keyOrder = String.join(", ", order);
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
        throw new WarehouseError(
                WarehouseError.Kind.PERMANENT, "Table " + spec.name() + " has no column " + name, null);
    }

    static ColumnInfo column(Field f) {
        ColumnInfo scalar = scalar(f);
        if (f.getMode() == Field.Mode.REPEATED) {
            return new ColumnInfo(
                    f.getName(), ColumnType.ARRAY, "ARRAY<" + scalar.warehouseType() + ">", 0, 0, scalar, null);
        }
        return scalar;
    }

    private static ColumnInfo scalar(Field f) {
        LegacySQLTypeName t = f.getType();
        String name = f.getName();
        if (t == LegacySQLTypeName.RECORD) {
            List<ColumnInfo> fields = new ArrayList<>();
            for (Field sub : f.getSubFields()) {
                fields.add(column(sub));
            }
            return new ColumnInfo(name, ColumnType.STRUCT, "STRUCT", 0, 0, null, fields);
        }
        if (t == LegacySQLTypeName.NUMERIC || t == LegacySQLTypeName.BIGNUMERIC) {
            boolean big = t == LegacySQLTypeName.BIGNUMERIC;
            int precision = f.getPrecision() != null ? f.getPrecision().intValue() : big ? 77 : 38;
            int scale = f.getScale() != null ? f.getScale().intValue() : big ? 38 : 9;
            return ColumnInfo.decimal(name, big ? "BIGNUMERIC" : "NUMERIC", precision, scale);
        }
        String type = t.getStandardType().name();
        ColumnType core = switch (type) {
            case "INT64" -> ColumnType.INTEGER;
            case "FLOAT64" -> ColumnType.DOUBLE;
            case "BOOL" -> ColumnType.BOOLEAN;
            case "DATE" -> ColumnType.DATE;
            case "TIME" -> ColumnType.TIME;
            case "DATETIME" -> ColumnType.TIMESTAMP_NTZ;
            case "TIMESTAMP" -> ColumnType.TIMESTAMP;
            case "JSON" -> ColumnType.JSON;
            case "BYTES" -> ColumnType.BYTES;
            default -> ColumnType.STRING; // STRING, GEOGRAPHY (WKT), INTERVAL, RANGE as text
        };
        return ColumnInfo.of(name, core, type);
    }

    @Override
    public Instant serverNow() {
        try {
            TableResult r = client.get()
                    .query(QueryJobConfiguration.newBuilder("SELECT CURRENT_TIMESTAMP() AS now")
                            .setUseLegacySql(false)
                            .build());
            return r.getValues().iterator().next().get(0).getTimestampInstant();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseError(WarehouseError.Kind.TRANSIENT, "interrupted", e);
        } catch (RuntimeException e) {
            throw BigQueryErrors.classify("reading CURRENT_TIMESTAMP()", e);
        }
    }

    @Override
    public Page snapshot(Instant asOf, Object[] afterKey, int limit) {
        columns();
        Map<String, QueryParameterValue> p = new LinkedHashMap<>();
        p.put("as_of", timestamp(asOf));
        String sql = "SELECT * FROM " + from + " FOR SYSTEM_TIME AS OF @as_of"
                + (afterKey == null ? "" : " WHERE " + keyAfter(afterKey, p))
                + " ORDER BY " + keyOrder + " LIMIT " + limit;
        return read(sql, p, SourceRow.Op.SNAPSHOT, false);
    }

    @Override
    public Page changes(Instant start, Instant end, boolean appendOnly, Object[] afterKey, int limit) {
        columns();
        Map<String, QueryParameterValue> p = new LinkedHashMap<>();
        p.put("start", timestamp(start));
        p.put("end", timestamp(end));
        String sql = "SELECT * FROM " + (appendOnly ? "APPENDS" : "CHANGES") + "(TABLE " + from + ", @start, @end)"
                + (afterKey == null ? "" : " WHERE " + keyAfter(afterKey, p))
                + " ORDER BY " + keyOrder + ", _CHANGE_TIMESTAMP LIMIT " + limit;
        return read(sql, p, null, true);
    }

    @Override
    public Page watermark(Instant afterTs, Object[] afterKey, Instant upTo, int limit) {
        columns();
        String wm = quote(columns.get(wmIdx).name());
        Map<String, QueryParameterValue> p = new LinkedHashMap<>();
        p.put("up_to", point(upTo));
        String where;
        if (afterTs == null) {
            // first pass: rows with an empty watermark (in key order), then every stamped row
            where = (afterKey == null ? wm + " IS NULL" : "(" + wm + " IS NULL AND " + keyAfter(afterKey, p) + ")")
                    + " OR " + wm + " <= @up_to";
        } else {
            p.put("after_ts", point(afterTs));
            where = wm + " <= @up_to AND (" + wm + " > @after_ts OR (" + wm + " = @after_ts"
                    + (afterKey == null ? "" : " AND " + keyAfter(afterKey, p)) + "))";
        }
        String sql = "SELECT * FROM " + from + " WHERE " + where + " ORDER BY " + wm + " NULLS FIRST, " + keyOrder
                + " LIMIT " + limit;
        return read(sql, p, SourceRow.Op.UPSERT, false);
    }

    /** key &gt; after, lexicographic over composite keys, with one parameter per key column. */
    private String keyAfter(Object[] after, Map<String, QueryParameterValue> p) {
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < keyIdx.size(); k++) {
            if (k > 0) {
                sb.append(" OR (");
                for (int j = 0; j < k; j++) {
                    sb.append(quote(columns.get(keyIdx.get(j)).name()))
                            .append(" = @k")
                            .append(j)
                            .append(" AND ");
                }
            }
            sb.append(quote(columns.get(keyIdx.get(k)).name())).append(" > @k").append(k);
            if (k > 0) {
                sb.append(')');
            }
            p.put("k" + k, param(columns.get(keyIdx.get(k)), after[k]));
        }
        return sb.append(')').toString();
    }

    private QueryParameterValue point(Instant t) {
        ColumnInfo c = columns.get(wmIdx);
        return switch (c.type()) {
            case TIMESTAMP_NTZ ->
                QueryParameterValue.dateTime(
                        LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString());
            case DATE ->
                QueryParameterValue.date(LocalDate.ofInstant(t, ZoneOffset.UTC).toString());
            default -> timestamp(t);
        };
    }

    private static QueryParameterValue timestamp(Instant t) {
        return QueryParameterValue.timestamp(ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }

    private static QueryParameterValue param(ColumnInfo c, Object v) {
        return switch (c.type()) {
            case INTEGER -> QueryParameterValue.int64((Long) v);
            case DECIMAL ->
                "BIGNUMERIC".equals(c.warehouseType())
                        ? QueryParameterValue.bigNumeric((BigDecimal) v)
                        : QueryParameterValue.numeric((BigDecimal) v);
            case DOUBLE -> QueryParameterValue.float64((Double) v);
            case BOOLEAN -> QueryParameterValue.bool((Boolean) v);
            case DATE -> QueryParameterValue.date(v.toString());
            case TIME -> QueryParameterValue.time(v.toString());
            case TIMESTAMP_NTZ -> QueryParameterValue.dateTime(v.toString());
            case TIMESTAMP -> timestamp((Instant) v);
            case BYTES -> QueryParameterValue.bytes((byte[]) v);
            default -> QueryParameterValue.string(v.toString());
        };
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "") + "`";
    }

    /**
     * Runs one query as a job (jobs.insert), waits for it (jobs.get), then reads every page of its result table
     * (tabledata.list) through the client's RPC layer rather than {@code Job.getQueryResults}: the client's retry
     * algorithm serializes every successful page back to JSON and parses it again to look for error text, which
     * cost about half of the task's CPU time (JFR, warehouse-source benchmark). Failed pages are retried by the
     * core's bounded retry instead, as transient {@link WarehouseError}s.
     */
    private Page read(String sql, Map<String, QueryParameterValue> params, SourceRow.Op op, boolean changeRows) {
        QueryJobConfiguration.Builder q = QueryJobConfiguration.newBuilder(sql)
                .setUseLegacySql(false)
                .setNamedParameters(params)
                .setUseQueryCache(false);
        try {
            BigQuery bq = client.get();
            Job done = awaitDone(
                    bq,
                    bq.create(JobInfo.of(
                            JobId.newBuilder()
                                    .setJob("crmconnect_" + UUID.randomUUID())
                                    .setProject(project)
                                    .build(),
                            q.build())));
            TableId result = ((QueryJobConfiguration) done.getConfiguration()).getDestinationTable();
            BigQueryRpc rpc = (BigQueryRpc) bq.getOptions().getRpc();
            List<SourceRow> rows = new ArrayList<>();
            int n = columns.size();
            String token = null;
            do {
                Map<BigQueryRpc.Option, Object> page = new EnumMap<>(BigQueryRpc.Option.class);
                if (pageRows > 0) {
                    page.put(BigQueryRpc.Option.MAX_RESULTS, pageRows);
                }
                if (token != null) {
                    page.put(BigQueryRpc.Option.PAGE_TOKEN, token);
                }
                TableDataList data = rpc.listTableData(
                        result.getProject() == null ? project : result.getProject(),
                        result.getDataset(),
                        result.getTable(),
                        page);
                for (TableRow r : data.getRows() == null ? List.<TableRow>of() : data.getRows()) {
                    List<TableCell> cells = r.getF();
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = decode(columns.get(i), cells.get(i).getV());
                    }
                    SourceRow.Op rowOp = op;
                    if (changeRows) {
                        rowOp = "DELETE".equals(cells.get(n).getV()) ? SourceRow.Op.DELETE : SourceRow.Op.UPSERT;
                    }
                    rows.add(new SourceRow(values, rowOp));
                }
                token = data.getPageToken();
            } while (token != null);
            long bytes = 0;
            if (done.getStatistics() instanceof JobStatistics.QueryStatistics s && s.getTotalBytesProcessed() != null) {
                bytes = s.getTotalBytesProcessed();
            }
            return new Page(rows, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseError(WarehouseError.Kind.TRANSIENT, "interrupted", e);
        } catch (RuntimeException e) {
            if (e instanceof WarehouseError w) {
                throw w;
            }
            throw BigQueryErrors.classify("reading " + spec.name(), e);
        }
    }

    /** Polls jobs.get (50 ms doubling to 1 s, at most 10 minutes) until the job is DONE; its error is thrown. */
    private Job awaitDone(BigQuery bq, Job job) throws InterruptedException {
        Job current = job;
        long delay = 50;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (current != null && current.getStatus().getState() != JobStatus.State.DONE) {
            if (System.nanoTime() > deadline) {
                throw new WarehouseError(
                        WarehouseError.Kind.TRANSIENT,
                        "reading " + spec.name() + ": query job "
                                + job.getJobId().getJob() + " still running",
                        null);
            }
            Thread.sleep(delay);
            delay = Math.min(1_000, delay * 2);
            current = bq.getJob(job.getJobId());
        }
        if (current == null) {
            throw new WarehouseError(
                    WarehouseError.Kind.TRANSIENT,
                    "reading " + spec.name() + ": query job " + job.getJobId().getJob() + " vanished",
                    null);
        }
        BigQueryError error = current.getStatus().getError();
        if (error != null) {
            throw new BigQueryException(0, error.getMessage(), error);
        }
        return current;
    }

    /**
     * A cell as the REST API returns it (JSON: a string for every scalar, TIMESTAMP as decimal seconds, a list of
     * {"v": ...} for REPEATED, {"f": [...]} for RECORD), decoded as the client's FieldValue getters do.
     */
    static Object decode(ColumnInfo c, Object v) {
        if (v == null || Data.isNull(v)) {
            return null;
        }
        return switch (c.type()) {
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) v) {
                    out.add(decode(c.element(), ((Map<?, ?>) e).get("v")));
                }
                yield out;
            }
            case STRUCT -> {
                List<?> fields = (List<?>) ((Map<?, ?>) v).get("f");
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < c.fields().size(); i++) {
                    out.add(decode(c.fields().get(i), ((Map<?, ?>) fields.get(i)).get("v")));
                }
                yield out;
            }
            case INTEGER -> Long.parseLong((String) v);
            case DECIMAL -> new BigDecimal((String) v);
            case DOUBLE -> Double.parseDouble((String) v);
            case BOOLEAN -> Boolean.parseBoolean((String) v);
            case DATE -> LocalDate.parse((String) v);
            case TIME -> LocalTime.parse((String) v);
            case TIMESTAMP_NTZ -> LocalDateTime.parse(((String) v).replace(' ', 'T'));
            case TIMESTAMP ->
                Instant.EPOCH.plus(new BigDecimal((String) v).movePointRight(6).longValue(), ChronoUnit.MICROS);
            case BYTES -> Base64.getDecoder().decode((String) v);
            default -> v.toString();
        };
    }

    @Override
    public void close() {
        // the client holds no connection of its own to release
    }
}
