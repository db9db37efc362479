package io.crmconnect.sync.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.PropertyValue;
import io.crmconnect.sync.engine.RecordView;
import io.crmconnect.sync.engine.SyncState;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds the planner's view of a record from what each side gives: a record of the HubSpot or Dynamics 365 source
 * connector (Struct or schemaless map), a HubSpot object read through the API (with property history when asked),
 * or a Dataverse row read through the Web API. A Dynamics 365 field with a value map (choices) is read by its label:
 * the source's {@code <column>_label} field, the row's FormattedValue annotation.
 */
final class RecordViews {
    static final String FORMATTED = "@OData.Community.Display.V1.FormattedValue";
    static final String LABEL_SUFFIX = "_label";
    private static final String DATE_LOGICAL_NAME = "org.apache.kafka.connect.data.Date";

    private final ObjectMapping m;

    RecordViews(ObjectMapping m) {
        this.m = m;
    }

    /** A source connector's record of {@code side}; {@code key} is its id. */
    RecordView fromRecord(Side side, Object key, Object value) {
        ObjectMapping.SideSpec s = m.side(side);
        Map<String, String> values = new HashMap<>();
        for (FieldRule f : m.fields()) {
            String name = f.on(side);
            boolean byLabel = side == Side.DYNAMICS && !f.values().isIdentity();
            Object raw =
                    byLabel && has(value, name + LABEL_SUFFIX) ? get(value, name + LABEL_SUFFIX) : get(value, name);
            values.put(f.name(), Canonical.of(m, f, side, raw, isDateOnly(value, name)));
        }
        String id = key != null ? key.toString() : text(get(value, s.idField()));
        return new RecordView(
                id,
                orEmpty(text(get(value, s.linkField()))),
                values,
                SyncState.decode(text(get(value, s.stateField()))),
                millis(get(value, s.modifiedField())),
                Map.of(),
                s.modifiedByField().isEmpty() ? "" : orEmpty(text(get(value, s.modifiedByField()))));
    }

    /** A HubSpot object read through the API; {@code history} (property → newest first) may be null. */
    RecordView fromHubSpot(CrmObject o, Map<String, List<PropertyValue>> history) {
        ObjectMapping.SideSpec s = m.hubspot();
        Map<String, String> values = new HashMap<>();
        Map<String, Long> times = new HashMap<>();
        for (FieldRule f : m.fields()) {
            values.put(f.name(), Canonical.of(m, f, Side.HUBSPOT, o.property(f.hubspot()), false));
            List<PropertyValue> h = history == null ? null : history.get(f.hubspot());
            if (h != null && !h.isEmpty() && h.get(0).timestamp() != null) {
                times.put(f.name(), h.get(0).timestamp().toEpochMilli());
            }
        }
        long updatedAt = o.updatedAt() == null ? 0L : o.updatedAt().toEpochMilli();
        return new RecordView(
                o.id(),
                orEmpty(o.property(s.linkField())),
                values,
                SyncState.decode(o.property(s.stateField())),
                updatedAt,
                times,
                "",
                o.updatedAt() == null ? "" : Long.toString(updatedAt));
    }

    /** A Dataverse row read through the Web API with annotations. */
    RecordView fromDynamics(JsonNode row) {
        ObjectMapping.SideSpec s = m.dynamics();
        Map<String, String> values = new HashMap<>();
        for (FieldRule f : m.fields()) {
            String col = f.dynamics();
            JsonNode v = row.has(col) ? row.get(col) : row.path("_" + col + "_value");
            Object raw;
            if (!f.values().isIdentity() && row.hasNonNull(col + FORMATTED)) {
                raw = row.get(col + FORMATTED).asText();
            } else if (v.isMissingNode() || v.isNull()) {
                raw = null;
            } else if (v.isNumber()) {
                raw = v.decimalValue();
            } else if (v.isBoolean()) {
                raw = v.booleanValue();
            } else {
                raw = v.asText();
            }
            values.put(f.name(), Canonical.of(m, f, Side.DYNAMICS, raw, false));
        }
        String modifiedBy = row.path("_" + s.modifiedByField() + "_value").asText("");
        return new RecordView(
                row.path(s.idField()).asText(),
                row.path(s.linkField()).asText(""),
                values,
                SyncState.decode(row.path(s.stateField()).asText(null)),
                millis(row.path(s.modifiedField()).asText(null)),
                Map.of(),
                modifiedBy,
                row.path("@odata.etag").asText(""));
    }

    static boolean has(Object value, String field) {
        if (value instanceof Struct st) {
            return st.schema().field(field) != null;
        }
        return value instanceof Map<?, ?> map && map.containsKey(field);
    }

    static Object get(Object value, String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        if (value instanceof Struct st) {
            Field f = st.schema().field(field);
            return f == null ? null : st.get(f);
        }
        if (value instanceof Map<?, ?> map) {
            return map.get(field);
        }
        return null;
    }

    private static boolean isDateOnly(Object value, String field) {
        if (value instanceof Struct st) {
            Field f = st.schema().field(field);
            return f != null && DATE_LOGICAL_NAME.equals(f.schema().name());
        }
        return false;
    }

    static long millis(Object v) {
        if (v == null) {
            return 0L;
        }
        if (v instanceof Date d) {
            return d.getTime();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return 0L;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        }
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.trim();
    }
}
