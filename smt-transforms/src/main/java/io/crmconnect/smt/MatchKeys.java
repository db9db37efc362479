package io.crmconnect.smt;

import io.crmconnect.common.normalize.Normalizers;
import io.crmconnect.smt.util.Errors;
import io.crmconnect.smt.util.FieldPath;
import io.crmconnect.smt.util.SchemaCache;
import io.crmconnect.smt.util.Schemas;
import io.crmconnect.smt.util.Structs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;

/**
 * Computes normalized match keys (email, person name, date of birth, postal address, postal code, phone and
 * composites of those) and writes them to fields or headers. The rules live in {@link Normalizers}.
 */
public abstract class MatchKeys<R extends ConnectRecord<R>> extends BaseTransform<R> {

    public static final String OVERVIEW_DOC = "Adds normalized keys for matching and de-duplication: email (trimmed, "
            + "lower-case), person name (diacritics stripped, lower-case, punctuation and whitespace collapsed), "
            + "date of birth (several input formats to an ISO date), postal address (USPS abbreviations, "
            + "punctuation removed, ZIP+4 to ZIP5), postal code, phone (digits) and composite keys built from "
            + "other keys. Keys are written as optional string fields or as headers. Declare keys with "
            + "<code>keys=k1,k2</code> and, per key, <code>key.k1.type</code>, <code>key.k1.fields</code> and "
            + "(dates) <code>key.k1.formats</code>.";

    public static final String KEYS_CONFIG = "keys";
    public static final String TARGET_CONFIG = "target";
    public static final String HEADER_PREFIX_CONFIG = "header.prefix";
    public static final String SEPARATOR_CONFIG = "composite.separator";
    public static final String ON_INVALID_CONFIG = "on.invalid";
    public static final String KEY_PREFIX = "key.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    KEYS_CONFIG,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString() {
                        @Override
                        public void ensureValid(String name, Object value) {
                            if (value == null || ((List<?>) value).isEmpty()) {
                                throw new ConfigException(name, value, "list at least one key name");
                            }
                        }

                        @Override
                        public String toString() {
                            return "non-empty list of key names";
                        }
                    },
                    ConfigDef.Importance.HIGH,
                    "Names of the keys to compute, in order; each name is also the output field or header name. "
                            + "For each name N set key.N.type (email, name, date, address, postal_code, phone, "
                            + "composite), key.N.fields (source field paths; for composite the names of other keys) "
                            + "and optionally key.N.formats (date patterns tried in order).")
            .define(
                    TARGET_CONFIG,
                    ConfigDef.Type.STRING,
                    "field",
                    ConfigDef.CaseInsensitiveValidString.in("field", "header"),
                    ConfigDef.Importance.MEDIUM,
                    "Write keys as fields of the record (optional strings) or as headers.")
            .define(
                    HEADER_PREFIX_CONFIG,
                    ConfigDef.Type.STRING,
                    "",
                    ConfigDef.Importance.LOW,
                    "Prefix of header names when target=header.")
            .define(
                    SEPARATOR_CONFIG,
                    ConfigDef.Type.STRING,
                    "|",
                    ConfigDef.Importance.LOW,
                    "Separator between the components of a composite key.")
            .define(
                    ON_INVALID_CONFIG,
                    ConfigDef.Type.STRING,
                    "fail",
                    ConfigDef.CaseInsensitiveValidString.in("fail", "null"),
                    ConfigDef.Importance.MEDIUM,
                    "When a source value cannot be normalized (e.g. a date matching no format): fail the record "
                            + "(errors.tolerance and the DLQ apply) or write a null key.");

    private static final String NAME = "MatchKeys";

    enum Type {
        EMAIL,
        NAME,
        DATE,
        ADDRESS,
        POSTAL_CODE,
        PHONE,
        COMPOSITE
    }

    /** One compiled key. */
    static final class KeySpec {
        final String name;
        final Type type;
        final FieldPath[] sources;
        final int[] components;
        final Normalizers.DateFormats formats;
        final String header;

        KeySpec(
                String name,
                Type type,
                FieldPath[] sources,
                int[] components,
                Normalizers.DateFormats formats,
                String header) {
            this.name = name;
            this.type = type;
            this.sources = sources;
            this.components = components;
            this.formats = formats;
            this.header = header;
        }
    }

    private KeySpec[] keys;
    private boolean toHeaders;
    private String separator;
    private boolean failOnInvalid;
    private final SchemaCache<Bound> bound = new SchemaCache<>();

    protected MatchKeys(boolean onKey) {
        super(onKey);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        toHeaders = config.getString(TARGET_CONFIG).equalsIgnoreCase("header");
        separator = config.getString(SEPARATOR_CONFIG);
        failOnInvalid = config.getString(ON_INVALID_CONFIG).equalsIgnoreCase("fail");
        String headerPrefix = config.getString(HEADER_PREFIX_CONFIG);
        List<String> names = config.getList(KEYS_CONFIG);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (index.put(names.get(i).trim(), i) != null) {
                throw new ConfigException(KEYS_CONFIG, names, "key '" + names.get(i) + "' is listed twice");
            }
        }
        Map<String, ?> originals = config.originals();
        List<KeySpec> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim();
            String typeKey = KEY_PREFIX + name + ".type";
            String fieldsKey = KEY_PREFIX + name + ".fields";
            String formatsKey = KEY_PREFIX + name + ".formats";
            Object typeValue = originals.get(typeKey);
            if (typeValue == null) {
                throw new ConfigException(
                        typeKey,
                        null,
                        "missing: set the type of key '" + name
                                + "' (email, name, date, address, postal_code, phone, composite)");
            }
            Type type;
            try {
                type = Type.valueOf(typeValue.toString().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        typeKey,
                        typeValue,
                        "must be one of email, name, date, address, " + "postal_code, phone, composite");
            }
            List<String> fields = list(originals.get(fieldsKey));
            if (fields.isEmpty()) {
                throw new ConfigException(
                        fieldsKey,
                        originals.get(fieldsKey),
                        "list the source " + (type == Type.COMPOSITE ? "keys" : "fields") + " of key '" + name + "'");
            }
            if ((type == Type.EMAIL || type == Type.DATE || type == Type.POSTAL_CODE || type == Type.PHONE)
                    && fields.size() != 1) {
                throw new ConfigException(
                        fieldsKey,
                        originals.get(fieldsKey),
                        "a " + type.name().toLowerCase(Locale.ROOT) + " key reads exactly one field");
            }
            FieldPath[] sources = null;
            int[] components = null;
            if (type == Type.COMPOSITE) {
                components = new int[fields.size()];
                for (int c = 0; c < components.length; c++) {
                    Integer idx = index.get(fields.get(c));
                    if (idx == null || idx >= i) {
                        throw new ConfigException(
                                fieldsKey,
                                originals.get(fieldsKey),
                                "component '" + fields.get(c) + "' must be a key listed before '" + name + "' in "
                                        + KEYS_CONFIG);
                    }
                    components[c] = idx;
                }
            } else {
                sources = new FieldPath[fields.size()];
                for (int c = 0; c < sources.length; c++) {
                    try {
                        sources[c] = FieldPath.parse(fields.get(c));
                    } catch (ConfigException e) {
                        throw new ConfigException(fieldsKey, originals.get(fieldsKey), e.getMessage());
                    }
                }
            }
            Normalizers.DateFormats formats = null;
            List<String> patterns = list(originals.get(formatsKey));
            if (type == Type.DATE) {
                try {
                    formats = patterns.isEmpty()
                            ? Normalizers.DateFormats.DEFAULT
                            : new Normalizers.DateFormats(patterns);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            formatsKey, originals.get(formatsKey), "not a date pattern: " + e.getMessage());
                }
            } else if (!patterns.isEmpty()) {
                throw new ConfigException(formatsKey, originals.get(formatsKey), "only date keys take formats");
            }
            specs.add(new KeySpec(name, type, sources, components, formats, headerPrefix + name));
        }
        keys = specs.toArray(new KeySpec[0]);
    }

    private static List<String> list(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                if (o != null && !o.toString().isBlank()) {
                    out.add(o.toString().trim());
                }
            }
        } else {
            for (String s : value.toString().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ computing keys

    /** Reads source values: either through bound field chains (Struct) or paths (Map). */
    private interface Source {
        Object read(Object root, int key, int part);
    }

    private String[] compute(Object root, Source source) {
        String[] out = new String[keys.length];
        for (int k = 0; k < keys.length; k++) {
            KeySpec spec = keys[k];
            try {
                out[k] = switch (spec.type) {
                    case EMAIL -> Normalizers.email(text(source.read(root, k, 0)));
                    case PHONE -> Normalizers.phone(text(source.read(root, k, 0)));
                    case POSTAL_CODE -> Normalizers.postalCode(text(source.read(root, k, 0)));
                    case DATE -> Normalizers.dateOfBirth(source.read(root, k, 0), spec.formats);
                    case NAME ->
                        spec.sources.length == 1
                                ? Normalizers.personName(text(source.read(root, k, 0)))
                                : Normalizers.personName(texts(root, source, k));
                    case ADDRESS ->
                        spec.sources.length == 1
                                ? Normalizers.postalAddress(text(source.read(root, k, 0)))
                                : Normalizers.postalAddress(texts(root, source, k));
                    case COMPOSITE -> {
                        String[] parts = new String[spec.components.length];
                        for (int c = 0; c < parts.length; c++) {
                            parts[c] = out[spec.components[c]];
                        }
                        yield Normalizers.composite(separator, parts);
                    }
                };
            } catch (IllegalArgumentException e) {
                if (failOnInvalid) {
                    throw Errors.field(
                            NAME, spec.sources[0].path(), "cannot build key '" + spec.name + "': " + e.getMessage());
                }
                out[k] = null;
            }
        }
        return out;
    }

    private String[] texts(Object root, Source source, int k) {
        String[] parts = new String[keys[k].sources.length];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = text(source.read(root, k, p));
        }
        return parts;
    }

    private static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map || value instanceof List || value instanceof Struct) {
            throw new IllegalArgumentException("is a " + value.getClass().getSimpleName() + ", expected text");
        }
        return value.toString();
    }

    // ------------------------------------------------------------------ apply

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        Schema schema = operatingSchema(record);
        String[] computed;
        if (schema == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException(NAME + ": the schemaless " + part() + " is a "
                        + value.getClass().getSimpleName() + "; expected a Map (JSON object)");
            }
            computed = compute(map, (root, k, p) -> keys[k].sources[p].get(root));
            if (toHeaders) {
                return withHeaders(record, computed);
            }
            Map<Object, Object> out = new LinkedHashMap<>(map);
            for (int k = 0; k < keys.length; k++) {
                out.put(keys[k].name, computed[k]);
            }
            return newRecord(record, null, out);
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException(NAME + ": the " + part() + " is a "
                    + value.getClass().getSimpleName() + " with a " + schema.type() + " schema; expected a Struct");
        }
        Bound b = bound.get(schema, this::bind);
        computed = compute(struct, b);
        if (toHeaders) {
            return withHeaders(record, computed);
        }
        Struct out = new Struct(b.output);
        Field[] in = b.inFields;
        Field[] copy = b.copyFields;
        Object[] direct = Structs.values(out);
        Object[] source = b.samePrefix ? Structs.values(struct) : null;
        if (direct != null && source != null) {
            // the output starts with exactly the input's fields: copy the raw values (defaults stay unapplied,
            // as in the input, because the field schemas are the same)
            System.arraycopy(source, 0, direct, 0, in.length);
        } else {
            for (int i = 0; i < in.length; i++) {
                Object v = struct.get(in[i]);
                if (v != null) {
                    if (direct != null) {
                        direct[copy[i].index()] = v;
                    } else {
                        out.put(copy[i], v);
                    }
                }
            }
        }
        for (int k = 0; k < keys.length; k++) {
            if (computed[k] != null) {
                if (direct != null) {
                    direct[b.keyFields[k].index()] = computed[k];
                } else {
                    out.put(b.keyFields[k], computed[k]);
                }
            }
        }
        return newRecord(record, b.output, out);
    }

    private R withHeaders(R record, String[] computed) {
        Headers headers = record.headers().duplicate();
        for (int k = 0; k < keys.length; k++) {
            headers.remove(keys[k].header);
            if (computed[k] != null) {
                headers.addString(keys[k].header, computed[k]);
            }
        }
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                record.valueSchema(),
                record.value(),
                record.timestamp(),
                headers);
    }

    /** Source chains and output layout for one input schema. */
    private final class Bound implements Source {
        final Field[][][] chains;
        final Schema output;
        final Field[] inFields;
        final Field[] copyFields;
        final Field[] keyFields;
        final boolean samePrefix;

        Bound(Schema input) {
            if (input.type() != Schema.Type.STRUCT) {
                throw new DataException(
                        NAME + ": the " + part() + " schema is " + input.type() + ", expected a STRUCT");
            }
            chains = new Field[keys.length][][];
            for (int k = 0; k < keys.length; k++) {
                KeySpec spec = keys[k];
                if (spec.sources == null) {
                    continue;
                }
                chains[k] = new Field[spec.sources.length][];
                for (int p = 0; p < spec.sources.length; p++) {
                    Field[] chain = spec.sources[p].bind(input);
                    if (chain == null) {
                        throw Errors.field(
                                NAME, spec.sources[p].path(), "is not in the record schema (key '" + spec.name + "')");
                    }
                    chains[k][p] = chain;
                }
            }
            if (toHeaders) {
                output = input;
                inFields = copyFields = keyFields = null;
                samePrefix = false;
                return;
            }
            SchemaBuilder builder = Schemas.structLike(input);
            List<Field> kept = new ArrayList<>();
            for (Field f : input.fields()) {
                if (!isKeyName(f.name())) {
                    builder.field(f.name(), f.schema());
                    kept.add(f);
                }
            }
            for (KeySpec k : keys) {
                builder.field(k.name, Schema.OPTIONAL_STRING_SCHEMA);
            }
            output = builder.build();
            inFields = kept.toArray(new Field[0]);
            copyFields = new Field[inFields.length];
            for (int i = 0; i < inFields.length; i++) {
                copyFields[i] = output.field(inFields[i].name());
            }
            keyFields = new Field[keys.length];
            for (int k = 0; k < keys.length; k++) {
                keyFields[k] = output.field(keys[k].name);
            }
            samePrefix = inFields.length == input.fields().size();
        }

        @Override
        public Object read(Object root, int key, int part) {
            Field[] chain = chains[key][part];
            return chain.length == 1 ? ((Struct) root).get(chain[0]) : FieldPath.get((Struct) root, chain);
        }
    }

    private boolean isKeyName(String name) {
        for (KeySpec k : keys) {
            if (k.name.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Bound bind(Schema schema) {
        return new Bound(schema);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Computes keys from the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends MatchKeys<R> {
        public Key() {
            super(true);
        }
    }

    /** Computes keys from the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends MatchKeys<R> {
        public Value() {
            super(false);
        }
    }
}
