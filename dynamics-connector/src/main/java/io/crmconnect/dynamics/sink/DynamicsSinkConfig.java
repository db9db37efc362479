package io.crmconnect.dynamics.sink;

import io.crmconnect.common.EnumValidator;
import io.crmconnect.common.Redact;
import io.crmconnect.dynamics.connection.DynamicsConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of the Dynamics 365 sink, declared once: docs, groups, validators and recommenders. */
public final class DynamicsSinkConfig extends AbstractConfig {
    public static final String OVERVIEW = "Writes Kafka records into one Dynamics 365 / Dataverse table: upserts "
            + "by row id or alternate key (single or compound) of only the columns that changed, through "
            + "UpsertMultiple or $batch change sets, with lookups bound from natural keys, choice labels mapped to "
            + "values, protected and fill-if-missing columns, and every rejected record in the dead-letter topic.";

    public static final String TABLE = "table";
    public static final String WRITE_MODE = "write.mode";
    public static final String DELETE_MODE = "delete.mode";
    public static final String ID_FIELD = "id.field";
    public static final String ALTERNATE_KEY = "alternate.key";
    public static final String FIELD_MAPPING = "field.mapping";
    public static final String LOOKUPS = "lookups";
    public static final String PROTECTED = "columns.protected";
    public static final String FILL_IF_MISSING = "columns.fill.if.missing";
    public static final String CHANGED_ONLY = "write.changed.columns.only";
    public static final String NULL_HANDLING = "null.handling";
    public static final String WRITE_API = "write.api";
    public static final String BATCH_SIZE = "batch.size";
    public static final String IN_FLIGHT = "batch.max.in.flight";
    public static final String TASK_COUNT = "task.count";

    static final String GROUP_TARGET = "Target and identity";
    static final String GROUP_COLUMNS = "Columns";
    static final String GROUP_WRITES = "Writes";

    /** What happens to a record whose row exists or not. */
    public enum WriteMode {
        /** Update the row when it exists, else create it. */
        UPSERT,
        /** Create rows that do not exist; records whose row exists are skipped. */
        CREATE_ONLY,
        /** Update rows that exist; records without a row go to the dead-letter topic (NOT_FOUND). */
        UPDATE_ONLY
    }

    /** What a tombstone (null value) does. */
    public enum DeleteMode {
        /** Tombstones are skipped and counted. */
        NONE,
        /** The row the key names is deleted (in offset order with upserts of the same key). */
        DELETE
    }

    /** Which Web API call writes the rows. */
    public enum WriteApi {
        /** UpsertMultiple where the table supports it (one call per batch), else $batch. */
        AUTO,
        /** $batch with one change set per row (any table; a bad row fails alone). */
        BATCH
    }

    /** Null field values. */
    public enum NullHandling {
        /** Leave Dynamics 365's value as it is. */
        SKIP,
        /** Clear the column. */
        CLEAR
    }

    public static final ConfigDef CONFIG = configDef();

    private static ConfigDef configDef() {
        ConfigDef d = DynamicsConnection.define(new ConfigDef());
        int o = 0;
        d.define(
                TABLE,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Target table by logical name (contact, account, lead, cr123_project).",
                GROUP_TARGET,
                ++o,
                Width.MEDIUM,
                "Table");
        d.define(
                WRITE_MODE,
                Type.STRING,
                "upsert",
                new EnumValidator(WriteMode.class),
                Importance.HIGH,
                "upsert: update the row when it exists, else create it. create_only: records whose row exists are "
                        + "skipped (counted). update_only: records without a row go to the dead-letter topic "
                        + "(NOT_FOUND).",
                GROUP_TARGET,
                ++o,
                Width.SHORT,
                "Write mode",
                new EnumValidator(WriteMode.class));
        d.define(
                DELETE_MODE,
                Type.STRING,
                "none",
                new EnumValidator(DeleteMode.class),
                Importance.MEDIUM,
                "Tombstones (null value). none: skipped and counted. delete: the row named by the record key (row id, "
                        + "or the alternate key's value; a Struct or map with the key columns for compound keys) is "
                        + "deleted, in offset order with upserts of the same key.",
                GROUP_TARGET,
                ++o,
                Width.SHORT,
                "Delete mode",
                new EnumValidator(DeleteMode.class));
        d.define(
                ID_FIELD,
                Type.STRING,
                "",
                Importance.HIGH,
                "Record field holding the row id (a GUID), or _key for the record key. Tried first; records "
                        + "without it use the alternate key.",
                GROUP_TARGET,
                ++o,
                Width.MEDIUM,
                "Id field");
        d.define(
                ALTERNATE_KEY,
                Type.LIST,
                "",
                Importance.HIGH,
                "The alternate key that identifies rows: its logical name, or its column(s) (emailaddress1; "
                        + "firstname,lastname for a compound key). It must be defined on the table and active.",
                GROUP_TARGET,
                ++o,
                Width.MEDIUM,
                "Alternate key");
        o = 0;
        d.define(
                FIELD_MAPPING,
                Type.LIST,
                "",
                Importance.HIGH,
                "recordField:column pairs (nested fields with dots). Empty = every top-level field to the column of "
                        + "the same name. Fields not listed are not written.",
                GROUP_COLUMNS,
                ++o,
                Width.LONG,
                "Field mapping");
        d.define(
                LOOKUPS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Lookups bound with @odata.bind, each field>navigationProperty[:table].column (e.g. "
                        + "company_number>parentcustomerid_account.accountnumber: the account whose accountnumber is "
                        + "the field's value) or field>navigationProperty (the field holds the row id). A natural "
                        + "key with no row or several rows sends the record to the dead-letter topic.",
                GROUP_COLUMNS,
                ++o,
                Width.LONG,
                "Lookups");
        d.define(
                PROTECTED,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Columns never written (owned by Dynamics 365 users).",
                GROUP_COLUMNS,
                ++o,
                Width.LONG,
                "Protected");
        d.define(
                FILL_IF_MISSING,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Columns written only while the row's current value is empty.",
                GROUP_COLUMNS,
                ++o,
                Width.LONG,
                "Fill if missing");
        d.define(
                NULL_HANDLING,
                Type.STRING,
                "skip",
                new EnumValidator(NullHandling.class),
                Importance.MEDIUM,
                "Null field values: skip (leave the column as it is) or clear (write null).",
                GROUP_COLUMNS,
                ++o,
                Width.SHORT,
                "Nulls",
                new EnumValidator(NullHandling.class));
        o = 0;
        d.define(
                CHANGED_ONLY,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Read the current rows first and send only the columns whose value differs (a record that changes "
                        + "nothing is not written): Dataverse runs plug-ins, flows and auditing on every write, even "
                        + "of the same value.",
                GROUP_WRITES,
                ++o,
                Width.SHORT,
                "Changed columns only");
        d.define(
                WRITE_API,
                Type.STRING,
                "auto",
                new EnumValidator(WriteApi.class),
                Importance.LOW,
                "auto: UpsertMultiple where the table supports it (a rejected call is written again through $batch "
                        + "so only the bad rows fail), else $batch. batch: always $batch with one change set per "
                        + "row. create_only and update_only always use $batch with If-None-Match / If-Match.",
                GROUP_WRITES,
                ++o,
                Width.SHORT,
                "Write API",
                new EnumValidator(WriteApi.class));
        d.define(
                BATCH_SIZE,
                Type.INT,
                500,
                ConfigDef.Range.between(1, 1_000),
                Importance.LOW,
                "Rows per UpsertMultiple or $batch call (Dataverse: up to 1,000 per $batch; 100-1,000 recommended "
                        + "for bulk messages).",
                GROUP_WRITES,
                ++o,
                Width.SHORT,
                "Batch size");
        d.define(
                IN_FLIGHT,
                Type.INT,
                4,
                ConfigDef.Range.between(1, 52),
                Importance.LOW,
                "Write calls in flight at once, also across put() calls (bounded by x-ms-dop-hint and the budget too).",
                GROUP_WRITES,
                ++o,
                Width.SHORT,
                "Calls in flight");
        Redact.define(d, GROUP_WRITES, ++o);
        d.defineInternal(TASK_COUNT, Type.INT, 1, Importance.LOW);
        return d;
    }

    /** One lookup binding: the record field, the navigation property, and how the field's value finds the row. */
    public record Lookup(String field, String navigationProperty, String targetTable, String keyColumn) {
        /** The field holds the related row's id. */
        public boolean byId() {
            return keyColumn == null;
        }

        static Lookup parse(String s) {
            int gt = s.indexOf('>');
            if (gt <= 0 || gt == s.length() - 1) {
                throw new ConfigException(
                        LOOKUPS,
                        s,
                        "expected field>navigationProperty[:table].column or " + "field>navigationProperty");
            }
            String field = s.substring(0, gt).trim();
            String rest = s.substring(gt + 1).trim();
            int dot = rest.lastIndexOf('.');
            String col = dot < 0 ? null : rest.substring(dot + 1).trim();
            String navAndTable = dot < 0 ? rest : rest.substring(0, dot);
            int colon = navAndTable.indexOf(':');
            String nav = (colon < 0 ? navAndTable : navAndTable.substring(0, colon)).trim();
            String table = colon < 0 ? null : navAndTable.substring(colon + 1).trim();
            if (nav.isEmpty() || (col != null && col.isEmpty()) || (table != null && table.isEmpty())) {
                throw new ConfigException(
                        LOOKUPS,
                        s,
                        "expected field>navigationProperty[:table].column or " + "field>navigationProperty");
            }
            return new Lookup(field, nav, table, col);
        }
    }

    public DynamicsSinkConfig(Map<String, String> props) {
        super(CONFIG, props);
        mapping();
        lookups();
        if (idField().isEmpty() && alternateKey().isEmpty()) {
            throw new ConfigException(
                    ALTERNATE_KEY,
                    "",
                    "set id.field, alternate.key or both: the sink needs a way " + "to find each record's row");
        }
    }

    public DynamicsConnection connection() {
        return DynamicsConnection.of(this);
    }

    public String table() {
        return getString(TABLE).trim();
    }

    public WriteMode writeMode() {
        return EnumValidator.parse(WriteMode.class, getString(WRITE_MODE));
    }

    public DeleteMode deleteMode() {
        return EnumValidator.parse(DeleteMode.class, getString(DELETE_MODE));
    }

    public WriteApi writeApi() {
        return EnumValidator.parse(WriteApi.class, getString(WRITE_API));
    }

    public boolean clearNulls() {
        return EnumValidator.parse(NullHandling.class, getString(NULL_HANDLING)) == NullHandling.CLEAR;
    }

    public boolean changedOnly() {
        return getBoolean(CHANGED_ONLY);
    }

    public String idField() {
        return getString(ID_FIELD).trim();
    }

    public List<String> alternateKey() {
        return getList(ALTERNATE_KEY).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** recordField -> column, in order; empty = identity mapping of top-level fields. */
    public Map<String, String> mapping() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : getList(FIELD_MAPPING)) {
            int c = s.indexOf(':');
            if (c <= 0 || c == s.length() - 1) {
                throw new ConfigException(FIELD_MAPPING, s, "expected recordField:column");
            }
            m.put(s.substring(0, c).trim(), s.substring(c + 1).trim());
        }
        return m;
    }

    public List<Lookup> lookups() {
        List<Lookup> out = new ArrayList<>();
        for (String s : getList(LOOKUPS)) {
            if (!s.isBlank()) {
                out.add(Lookup.parse(s.trim()));
            }
        }
        return out;
    }

    public Redact redact() {
        return Redact.withSecret(getPassword(Redact.SECRET_CONFIG));
    }

    public List<String> protectedColumns() {
        return getList(PROTECTED).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public List<String> fillIfMissing() {
        return getList(FILL_IF_MISSING).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
