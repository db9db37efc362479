package io.crmconnect.smt;

import io.crmconnect.smt.util.Errors;
import io.crmconnect.smt.util.Hmac256;
import io.crmconnect.smt.util.SchemaCache;
import io.crmconnect.smt.util.Schemas;
import io.crmconnect.smt.util.Structs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Replaces personal data in chosen top-level fields with a keyed HMAC-SHA-256 (stable, joinable, not reversible
 * without the secret) or a mask.
 */
public abstract class HashPii<R extends ConnectRecord<R>> extends BaseTransform<R> {

    public static final String OVERVIEW_DOC = "Replaces chosen top-level fields with a keyed HMAC-SHA-256 of their "
            + "value (hex or base64; the same input and secret always give the same output, so hashed values still "
            + "join and match) or with a mask that keeps a few leading/trailing characters. Non-text values are "
            + "hashed or masked by their text form and become optional strings. Nulls stay null, empty strings stay "
            + "empty, tombstones pass through.";

    public static final String FIELDS_CONFIG = "fields";
    public static final String MODE_CONFIG = "mode";
    public static final String SECRET_CONFIG = "hmac.secret";
    public static final String ENCODING_CONFIG = "hmac.encoding";
    public static final String MASK_CHAR_CONFIG = "mask.char";
    public static final String KEEP_FIRST_CONFIG = "mask.keep.first";
    public static final String KEEP_LAST_CONFIG = "mask.keep.last";
    public static final String IGNORE_MISSING_CONFIG = "ignore.missing";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    FIELDS_CONFIG,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "Top-level fields to hash or mask.")
            .define(
                    MODE_CONFIG,
                    ConfigDef.Type.STRING,
                    "hmac",
                    ConfigDef.CaseInsensitiveValidString.in("hmac", "mask"),
                    ConfigDef.Importance.HIGH,
                    "hmac: keyed HMAC-SHA-256; mask: replace characters with mask.char.")
            .define(
                    SECRET_CONFIG,
                    ConfigDef.Type.PASSWORD,
                    null,
                    ConfigDef.Importance.HIGH,
                    "The HMAC key (mode=hmac). At least 16 bytes; use a config provider to keep it out of the "
                            + "connector config. Changing it changes every hash.")
            .define(
                    ENCODING_CONFIG,
                    ConfigDef.Type.STRING,
                    "hex",
                    ConfigDef.CaseInsensitiveValidString.in("hex", "base64"),
                    ConfigDef.Importance.LOW,
                    "Text encoding of the 32-byte HMAC.")
            .define(
                    MASK_CHAR_CONFIG,
                    ConfigDef.Type.STRING,
                    "*",
                    ConfigDef.Importance.LOW,
                    "The masking character (mode=mask).")
            .define(
                    KEEP_FIRST_CONFIG,
                    ConfigDef.Type.INT,
                    0,
                    ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW,
                    "Leading characters left in clear (mode=mask).")
            .define(
                    KEEP_LAST_CONFIG,
                    ConfigDef.Type.INT,
                    0,
                    ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW,
                    "Trailing characters left in clear (mode=mask), e.g. 4 for the end of a phone number.")
            .define(
                    IGNORE_MISSING_CONFIG,
                    ConfigDef.Type.BOOLEAN,
                    false,
                    ConfigDef.Importance.MEDIUM,
                    "By default a record whose schema lacks a listed field fails, so a renamed column cannot "
                            + "leak personal data unnoticed. Set true to skip absent fields.");

    private static final String NAME = "HashPii";
    private static final int MIN_SECRET_BYTES = 16;

    private Set<String> fields;
    private Hmac256 hmac;
    private boolean base64;
    private char maskChar;
    private int keepFirst;
    private int keepLast;
    private boolean ignoreMissing;
    private final SchemaCache<Bound> bound = new SchemaCache<>();

    protected HashPii(boolean onKey) {
        super(onKey);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        List<String> list = config.getList(FIELDS_CONFIG);
        if (list.isEmpty()) {
            throw new ConfigException(FIELDS_CONFIG, list, "list at least one field");
        }
        for (String f : list) {
            if (f.contains(".")) {
                throw new ConfigException(
                        FIELDS_CONFIG,
                        list,
                        "'" + f + "': only top-level fields are supported; "
                                + "flatten nested fields first (e.g. with FieldMapping)");
            }
        }
        fields = Set.copyOf(list);
        ignoreMissing = config.getBoolean(IGNORE_MISSING_CONFIG);
        if (config.getString(MODE_CONFIG).equalsIgnoreCase("hmac")) {
            Password secret = config.getPassword(SECRET_CONFIG);
            if (secret == null
                    || secret.value() == null
                    || secret.value().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new ConfigException(
                        SECRET_CONFIG + " must be set to at least " + MIN_SECRET_BYTES + " bytes when mode=hmac");
            }
            hmac = new Hmac256(secret.value().getBytes(StandardCharsets.UTF_8));
            base64 = config.getString(ENCODING_CONFIG).equalsIgnoreCase("base64");
        } else {
            String mc = config.getString(MASK_CHAR_CONFIG);
            if (mc == null || mc.length() != 1) {
                throw new ConfigException(MASK_CHAR_CONFIG, mc, "must be exactly one character");
            }
            maskChar = mc.charAt(0);
            keepFirst = config.getInt(KEEP_FIRST_CONFIG);
            keepLast = config.getInt(KEEP_LAST_CONFIG);
        }
    }

    /** The protected form of a non-null value. */
    String protect(String field, Object value) {
        byte[] bytes = null;
        String text = null;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof byte[] b) {
            bytes = b;
        } else if (value instanceof ByteBuffer bb) {
            ByteBuffer dup = bb.duplicate();
            bytes = new byte[dup.remaining()];
            dup.get(bytes);
        } else if (value instanceof Date d) {
            text = DateTimeFormatter.ISO_INSTANT.format(d.toInstant());
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
            text = value.toString();
        } else {
            throw Errors.field(
                    NAME,
                    field,
                    "is a " + value.getClass().getSimpleName()
                            + "; only text, numbers, booleans, dates and bytes can be protected");
        }
        if (text != null && text.isEmpty()) {
            return text;
        }
        if (hmac != null) {
            if (text != null && !base64) {
                return hmac.macHex(text);
            }
            byte[] mac = bytes != null ? hmac.mac(bytes) : hmac.mac(text);
            return base64 ? Base64.getEncoder().encodeToString(mac) : Hmac256.hex(mac);
        }
        if (text == null) {
            text = Base64.getEncoder().encodeToString(bytes);
        }
        return mask(text);
    }

    private String mask(String text) {
        int n = text.length();
        char[] out = text.toCharArray();
        int from = Math.min(keepFirst, n);
        int to = Math.max(from, n - keepLast);
        for (int i = from; i < to; i++) {
            out[i] = maskChar;
        }
        return new String(out);
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        Schema schema = operatingSchema(record);
        if (schema == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException(NAME + ": the schemaless " + part() + " is a "
                        + value.getClass().getSimpleName() + "; expected a Map (JSON object)");
            }
            Map<Object, Object> out = new LinkedHashMap<>(map);
            for (String f : fields) {
                if (!map.containsKey(f)) {
                    continue; // schemaless records legitimately omit fields
                }
                Object v = map.get(f);
                if (v != null) {
                    out.put(f, protect(f, v));
                }
            }
            return newRecord(record, null, out);
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException(NAME + ": the " + part() + " is a "
                    + value.getClass().getSimpleName() + " with a " + schema.type() + " schema; expected a Struct");
        }
        Bound b = bound.get(schema, Bound::new);
        Struct out = new Struct(b.output);
        Field[] in = b.in;
        Field[] outFields = b.out;
        boolean[] protectedField = b.protect;
        Object[] direct = Structs.values(out);
        Object[] source = direct == null ? null : Structs.values(struct);
        if (source != null) {
            // same field layout: copy the raw values, then replace the protected ones
            System.arraycopy(source, 0, direct, 0, in.length);
            for (int i : b.protectedIndexes) {
                Object v = struct.get(in[i]);
                direct[i] = v == null ? null : protect(in[i].name(), v);
            }
        } else {
            for (int i = 0; i < in.length; i++) {
                Object v = struct.get(in[i]);
                if (v != null) {
                    out.put(outFields[i], protectedField[i] ? protect(in[i].name(), v) : v);
                }
            }
        }
        return newRecord(record, b.output, out);
    }

    private final class Bound {
        final Schema output;
        final Field[] in;
        final Field[] out;
        final boolean[] protect;
        final int[] protectedIndexes;

        Bound(Schema input) {
            if (input.type() != Schema.Type.STRUCT) {
                throw new DataException(
                        NAME + ": the " + part() + " schema is " + input.type() + ", expected a STRUCT");
            }
            Set<String> seen = new HashSet<>();
            boolean changed = false;
            SchemaBuilder builder = Schemas.structLike(input);
            for (Field f : input.fields()) {
                if (fields.contains(f.name())) {
                    seen.add(f.name());
                    Schema s = f.schema();
                    if (s.type() == Schema.Type.STRUCT
                            || s.type() == Schema.Type.ARRAY
                            || s.type() == Schema.Type.MAP) {
                        throw Errors.field(
                                NAME,
                                f.name(),
                                "is a " + s.type() + "; only text, numbers, booleans, "
                                        + "dates and bytes can be protected");
                    }
                    boolean plainString = s.type() == Schema.Type.STRING && s.name() == null;
                    if (!plainString) {
                        changed = true;
                    }
                    builder.field(
                            f.name(),
                            plainString
                                    ? s
                                    : Schemas.optional(SchemaBuilder.string().build()));
                } else {
                    builder.field(f.name(), f.schema());
                }
            }
            if (!ignoreMissing && seen.size() != fields.size()) {
                Set<String> missing = new HashSet<>(fields);
                missing.removeAll(seen);
                throw Errors.field(
                        NAME,
                        missing.iterator().next(),
                        "is not in the record schema" + (input.name() == null ? "" : " '" + input.name() + "'")
                                + "; set " + IGNORE_MISSING_CONFIG
                                + "=true to skip absent fields");
            }
            output = changed ? builder.build() : input;
            in = input.fields().toArray(new Field[0]);
            out = output.fields().toArray(new Field[0]);
            protect = new boolean[in.length];
            int count = 0;
            for (int i = 0; i < in.length; i++) {
                protect[i] = fields.contains(in[i].name());
                count += protect[i] ? 1 : 0;
            }
            protectedIndexes = new int[count];
            for (int i = 0, j = 0; i < in.length; i++) {
                if (protect[i]) {
                    protectedIndexes[j++] = i;
                }
            }
        }
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Protects fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends HashPii<R> {
        public Key() {
            super(true);
        }
    }

    /** Protects fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends HashPii<R> {
        public Value() {
            super(false);
        }
    }
}
