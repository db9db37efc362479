package io.crmconnect.testharness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds record values as Connect's JsonConverter reads them with {@code schemas.enable=true}: a schema-and-payload
 * envelope of optional fields, in the map's order, nulls kept. A {@link Long} becomes a Connect {@code Timestamp}
 * (epoch milliseconds); any other value its string form. What the sink tests put on their input topics.
 */
public final class JsonEnvelope {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonEnvelope() {}

    /** The envelope as JSON text. */
    public static String json(Map<String, ?> fields) {
        ObjectNode env = MAPPER.createObjectNode();
        ObjectNode schema = env.putObject("schema").put("type", "struct").put("optional", false);
        ArrayNode fs = schema.putArray("fields");
        ObjectNode payload = env.putObject("payload");
        fields.forEach((k, v) -> {
            ObjectNode f = fs.addObject().put("field", k).put("optional", true);
            if (v instanceof Long l) {
                f.put("type", "int64")
                        .put("name", "org.apache.kafka.connect.data.Timestamp")
                        .put("version", 1);
                payload.put(k, l);
            } else {
                f.put("type", "string");
                payload.put(k, v == null ? null : v.toString());
            }
        });
        return env.toString();
    }

    /** The envelope as UTF-8 bytes, for {@code ProducerRecord<byte[], byte[]>}. */
    public static byte[] jsonBytes(Map<String, ?> fields) {
        return json(fields).getBytes(StandardCharsets.UTF_8);
    }

    /** Fields from alternating names and values, in order; a null value stays (an explicit null field). */
    public static Map<String, Object> fields(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields(name, value, ...) needs pairs, got " + namesAndValues.length);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }
}
