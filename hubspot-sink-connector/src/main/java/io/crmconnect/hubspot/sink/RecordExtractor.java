package io.crmconnect.hubspot.sink;

import io.crmconnect.common.normalize.Normalizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads a record (Struct or Map) into a {@link PendingRecord}: the mapped fields by HubSpot property, converted to
 * HubSpot's formats, the values association rules need, and the identity fields (HubSpot id, unique value, email).
 */
final class RecordExtractor {
    private final PropertyCatalog catalog;
    private final ValueConverter converter;
    private final Map<String, String> mapping;
    private final List<HubSpotSinkConfig.AssociationRule> assocRules;
    private final String idField;
    private final String uniqueProperty;
    private final String uniqueField;
    private final boolean enumCheck;

    RecordExtractor(HubSpotSinkConfig config, PropertyCatalog catalog) {
        this.catalog = catalog;
        this.converter = new ValueConverter(config.zone());
        this.mapping = config.mapping();
        this.assocRules = config.associations();
        this.idField = config.getString(HubSpotSinkConfig.ID_FIELD).trim();
        this.uniqueProperty =
                config.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        this.uniqueField = config.getString(HubSpotSinkConfig.UNIQUE_FIELD).trim();
        this.enumCheck = config.getBoolean(HubSpotSinkConfig.ENUM_CHECK);
    }

    /**
     * Fills the record's values and identity.
     *
     * @throws ValueConverter.ConversionException when a value cannot become what its property takes
     */
    void extract(PendingRecord it) {
        Object value = it.record.value();
        Schema schema = it.record.valueSchema();
        Map<String, String> map = mapping;
        if (map.isEmpty()) {
            map = new LinkedHashMap<>();
            for (String f : topLevelFields(value)) {
                map.put(f, f);
            }
        }
        for (Map.Entry<String, String> m : map.entrySet()) {
            Object[] vs = lookup(value, schema, m.getKey());
            if (vs == null) {
                continue; // field absent from this record
            }
            String prop = m.getValue();
            it.raw.put(prop, vs[0]);
            it.schemas.put(prop, (Schema) vs[1]);
        }
        for (HubSpotSinkConfig.AssociationRule a : assocRules) {
            Object[] vs = lookup(value, schema, a.field());
            if (vs != null && vs[0] != null) {
                it.assocValues.put(a.field(), vs[0]);
            }
        }
        if (!idField.isEmpty()) {
            Object id = "_key".equals(idField) ? it.record.key() : valueOf(lookup(value, schema, idField));
            if (id != null && !id.toString().isBlank()) {
                it.hubspotId = withoutDecimalZero(id.toString().trim());
            }
        }
        if (!uniqueProperty.isEmpty()) {
            Object u = uniqueField.isEmpty()
                    ? it.raw.get(uniqueProperty)
                    : "_key".equals(uniqueField) ? it.record.key() : valueOf(lookup(value, schema, uniqueField));
            if (u != null && !u.toString().isBlank()) {
                it.uniqueValue = catalog.isContacts() && uniqueProperty.equals("email")
                        ? Normalizers.email(u.toString())
                        : u.toString().trim();
                it.raw.putIfAbsent(uniqueProperty, u);
            }
        }
        if (catalog.isContacts()) {
            Object e = it.raw.get("email");
            it.email = e == null ? null : Normalizers.email(e.toString());
        }
        for (Map.Entry<String, Object> e : it.raw.entrySet()) {
            String prop = e.getKey();
            PropertyCatalog.Prop def = catalog.get(prop);
            String v = e.getValue() == null
                    ? null
                    : enumCheck || def == null || !"enumeration".equals(def.type())
                            ? converter.convert(prop, e.getValue(), it.schemas.get(prop), def)
                            : e.getValue().toString();
            if (v != null && prop.equals("email") && catalog.isContacts()) {
                v = Normalizers.email(v);
            }
            it.props.put(prop, v);
        }
    }

    /** HubSpot ids read from doubles ("123.0") become "123". */
    static String withoutDecimalZero(String s) {
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static Object valueOf(Object[] vs) {
        return vs == null ? null : vs[0];
    }

    private static List<String> topLevelFields(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Struct s) {
            for (Field f : s.schema().fields()) {
                out.add(f.name());
            }
        } else if (value instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        } else {
            throw new ValueConverter.ConversionException(
                    "CONVERSION_FAILED",
                    "record value must be a Struct or a Map, got "
                            + value.getClass().getSimpleName());
        }
        return out;
    }

    /** {value, schema} of a (dotted) field, or null when the field does not exist in this record. */
    static Object[] lookup(Object value, Schema schema, String path) {
        Object cur = value;
        Schema curSchema = schema;
        for (String part : path.split("\\.")) {
            if (cur instanceof Struct s) {
                Field f = s.schema().field(part);
                if (f == null) {
                    return null;
                }
                cur = s.get(f);
                curSchema = f.schema();
            } else if (cur instanceof Map<?, ?> m) {
                if (!m.containsKey(part)) {
                    return null;
                }
                cur = m.get(part);
                curSchema = null;
            } else {
                return cur == null ? new Object[] {null, null} : null;
            }
        }
        return new Object[] {cur, curSchema};
    }
}
