package io.crmconnect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.jdbc.RecordMapper.MappedRecord;
import io.crmconnect.jdbc.dialect.MariaDbDialect;
import io.crmconnect.jdbc.dialect.PostgresDialect;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Connect schemas and schemaless values to column kinds, SQL types in both dialects, and normalized values. */
class TypeMappingTest {
    private final PostgresDialect pg = new PostgresDialect();
    private final MariaDbDialect maria = new MariaDbDialect();

    private static RecordMapper mapper(Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:1/x");
        props.putAll(extra);
        return new RecordMapper(new JdbcSinkConfig(props));
    }

    /** A HubSpot contact as the HubSpot source describes it (connect-common RecordShape parameters). */
    private static Schema hubSpotContact() {
        SchemaBuilder b = SchemaBuilder.struct()
                .name("io.crmconnect.hubspot.contacts")
                .field("id", Schema.STRING_SCHEMA)
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("hs_object_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("createdAt", Timestamp.builder().optional().build())
                .field("updatedAt", Timestamp.builder().optional().build())
                .field("archived", Schema.BOOLEAN_SCHEMA)
                .field("archivedAt", Timestamp.builder().optional().build());
        return io.crmconnect.common.RecordShape.describe(
                        b, List.of("id", "createdAt", "updatedAt", "archived", "archivedAt"), List.of("id"), "id")
                .build();
    }

    @Test
    void recordsThatDescribeTheirShapeGetTheFivetranLikeLayout() {
        Schema contact = hubSpotContact();
        Struct value = new Struct(contact)
                .put("id", "101")
                .put("email", "a@example.com")
                .put("hs_object_id", "101")
                .put("createdAt", new Date(1_700_000_000_000L))
                .put("updatedAt", new Date(1_700_000_100_000L))
                .put("archived", false);
        MappedRecord r = mapper(Map.of())
                .map(new SinkRecord("hubspot.contacts", 0, Schema.STRING_SCHEMA, "101", contact, value, 1));
        assertThat(r.defs().keySet())
                .containsExactly(
                        "id",
                        "property_email",
                        "property_hs_object_id",
                        "created_at",
                        "updated_at",
                        "archived",
                        "archived_at");
        assertThat(r.defs().get("id").kind()).isEqualTo(ColumnKind.INT64);
        assertThat(r.defs().get("id").key()).isTrue();
        assertThat(r.values().get("id")).isEqualTo(101L);
        assertThat(r.defs().get("created_at").kind()).isEqualTo(ColumnKind.TIMESTAMP);
        assertThat(r.defs().get("property_hs_object_id").kind()).isEqualTo(ColumnKind.STRING); // a property: as sent
        assertThat(r.table()).isEqualTo("hubspot_contacts");

        // the tombstone of the same contact carries the key as text: it meets the row keyed by the number
        MappedRecord gone = mapper(Map.of("delete.mode", "soft"))
                .map(new SinkRecord("hubspot.contacts", 0, Schema.STRING_SCHEMA, "101", null, null, 2));
        assertThat(gone.key()).isEqualTo(r.key());

        // the old layout on request; the prefix of properties is configurable
        assertThat(mapper(Map.of("record.shape.enabled", "false", "column.prefix", "p_"))
                        .map(new SinkRecord("c", 0, Schema.STRING_SCHEMA, "101", contact, value, 1))
                        .defs()
                        .keySet())
                .containsExactly(
                        "id",
                        "p_id",
                        "p_email",
                        "p_hs_object_id",
                        "p_createdAt",
                        "p_updatedAt",
                        "p_archived",
                        "p_archivedAt");
        assertThat(mapper(Map.of("property.column.prefix", ""))
                        .map(new SinkRecord("c", 0, Schema.STRING_SCHEMA, "101", contact, value, 1))
                        .defs())
                .containsKeys("email", "created_at");
        assertThat(mapper(Map.of("record.shape.enabled", "false"))
                        .map(new SinkRecord("c", 0, Schema.STRING_SCHEMA, "101", contact, value, 1))
                        .defs()
                        .get("id")
                        .kind())
                .isEqualTo(ColumnKind.STRING);

        // an id that is not a number is a bad record, not a crash
        assertThatThrownBy(() -> mapper(Map.of())
                        .map(new SinkRecord(
                                "c",
                                0,
                                Schema.STRING_SCHEMA,
                                "x1",
                                contact,
                                new Struct(contact).put("id", "x1").put("archived", false),
                                1)))
                .isInstanceOf(org.apache.kafka.connect.errors.DataException.class);
    }

    @Test
    void snakeCaseOfMetadataNames() {
        assertThat(RecordMapper.snakeCase("createdAt")).isEqualTo("created_at");
        assertThat(RecordMapper.snakeCase("fromObjectType")).isEqualTo("from_object_type");
        assertThat(RecordMapper.snakeCase("hs_object_id")).isEqualTo("hs_object_id");
        assertThat(RecordMapper.snakeCase("HTTPCode")).isEqualTo("http_code");
        assertThat(RecordMapper.snakeCase("userId2")).isEqualTo("user_id2");
        assertThat(RecordMapper.snakeCase("archived")).isEqualTo("archived");
    }

    @Test
    void logicalTypesMapToProperColumnsInBothDialects() {
        Schema decimal =
                Decimal.builder(2).parameter("connect.decimal.precision", "12").build();
        Schema value = SchemaBuilder.struct()
                .name("Deal")
                .field("amount", decimal)
                .field("closeDate", org.apache.kafka.connect.data.Date.SCHEMA)
                .field("meetingTime", Time.SCHEMA)
                .field("updatedAt", Timestamp.SCHEMA)
                .field("won", Schema.BOOLEAN_SCHEMA)
                .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
                .field(
                        "tags",
                        SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
                .field(
                        "props",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
                                .optional()
                                .build())
                .field("count", Schema.INT32_SCHEMA)
                .field("score", Schema.FLOAT32_SCHEMA)
                .build();
        long day = 19_782L; // 2024-02-29
        Struct struct = new Struct(value)
                .put("amount", new BigDecimal("1234.50"))
                .put("closeDate", new Date(day * 86_400_000L))
                .put("meetingTime", new Date(((13 * 60 + 5) * 60 + 7) * 1000L + 250))
                .put("updatedAt", new Date(1_709_200_000_123L))
                .put("won", true)
                .put("blob", new byte[] {1, 2})
                .put("tags", List.of("a", "b\"c"))
                .put("props", Map.of("x", 1))
                .put("count", 7)
                .put("score", 1.5f);
        MappedRecord r = mapper(Map.of()).map(new SinkRecord("deals", 0, Schema.INT64_SCHEMA, 42L, value, struct, 10));
        Map<String, ColumnDef> defs = r.defs();
        assertThat(defs.get("id").kind()).isEqualTo(ColumnKind.INT64);
        assertThat(defs.get("id").key()).isTrue();
        assertThat(defs.get("amount")).isEqualTo(new ColumnDef("amount", ColumnKind.DECIMAL, 12, 2, false));
        assertThat(r.values().get("amount")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(r.values().get("closeDate")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(r.values().get("meetingTime")).isEqualTo(LocalTime.of(13, 5, 7, 250_000_000));
        assertThat(r.values().get("updatedAt")).isEqualTo(Instant.ofEpochMilli(1_709_200_000_123L));
        assertThat(r.values().get("tags")).isEqualTo(new JsonText("[\"a\",\"b\\\"c\"]"));
        assertThat(r.values().get("props")).isEqualTo(new JsonText("{\"x\":1}"));
        assertThat(r.values().get("count")).isEqualTo(7L);

        assertThat(pg.sqlType(defs.get("amount"), false)).isEqualTo("numeric(12,2)");
        assertThat(pg.sqlType(defs.get("closeDate"), false)).isEqualTo("date");
        assertThat(pg.sqlType(defs.get("meetingTime"), false)).isEqualTo("time(3)");
        assertThat(pg.sqlType(defs.get("updatedAt"), false)).isEqualTo("timestamptz");
        assertThat(pg.sqlType(defs.get("won"), false)).isEqualTo("boolean");
        assertThat(pg.sqlType(defs.get("blob"), false)).isEqualTo("bytea");
        assertThat(pg.sqlType(defs.get("tags"), false)).isEqualTo("jsonb");
        assertThat(pg.sqlType(defs.get("props"), false)).isEqualTo("jsonb");
        assertThat(pg.sqlType(defs.get("count"), false)).isEqualTo("integer");
        assertThat(pg.sqlType(defs.get("score"), false)).isEqualTo("real");

        assertThat(maria.sqlType(defs.get("amount"), false)).isEqualTo("DECIMAL(12,2)");
        assertThat(maria.sqlType(defs.get("updatedAt"), false)).isEqualTo("DATETIME(3)");
        assertThat(maria.sqlType(defs.get("meetingTime"), false)).isEqualTo("TIME(3)");
        assertThat(maria.sqlType(defs.get("tags"), false)).isEqualTo("JSON");
        assertThat(maria.sqlType(defs.get("blob"), false)).isEqualTo("LONGBLOB");
        assertThat(maria.sqlType(defs.get("won"), false)).isEqualTo("BOOLEAN");
    }

    @Test
    void schemalessValuesAreInferred() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("n", 5);
        value.put("f", 2.5);
        value.put("s", "x");
        value.put("b", false);
        value.put("nested", Map.of("a", List.of(1, 2)));
        value.put("nothing", null);
        MappedRecord r = mapper(Map.of("column.prefix", "property_"))
                .map(new SinkRecord("contacts", 0, null, "k1", null, value, 3));
        assertThat(r.defs().get("id").kind()).isEqualTo(ColumnKind.STRING);
        assertThat(r.defs().get("property_n").kind()).isEqualTo(ColumnKind.INT64);
        assertThat(r.defs().get("property_f").kind()).isEqualTo(ColumnKind.FLOAT64);
        assertThat(r.defs().get("property_s").kind()).isEqualTo(ColumnKind.STRING);
        assertThat(r.defs().get("property_b").kind()).isEqualTo(ColumnKind.BOOLEAN);
        assertThat(r.defs().get("property_nested").kind()).isEqualTo(ColumnKind.JSON);
        assertThat(r.values().get("property_nested")).isEqualTo(new JsonText("{\"a\":[1,2]}"));
        assertThat(r.defs().get("property_nothing").kind()).isNull();
        assertThat(r.defs().get("_crmconnect_synced")).isNull(); // computed by the database, not a value
    }

    @Test
    void schemalessJsonModeKeepsTheWholeValueInOneColumn() {
        MappedRecord r = mapper(Map.of("schemaless.mode", "json", "schemaless.json.column", "doc"))
                .map(new SinkRecord("contacts", 0, null, "k1", null, Map.of("a", 1), 3));
        assertThat(r.defs().keySet()).containsExactly("id", "doc");
        assertThat(r.values().get("doc")).isEqualTo(new JsonText("{\"a\":1}"));
    }

    @Test
    void widensKindsSafelyAndNeverNarrows() {
        assertThat(ColumnTypes.merge(ColumnKind.INT32, ColumnKind.INT64)).isEqualTo(ColumnKind.INT64);
        assertThat(ColumnTypes.merge(ColumnKind.INT64, ColumnKind.INT32)).isEqualTo(ColumnKind.INT64);
        assertThat(ColumnTypes.merge(ColumnKind.INT64, ColumnKind.FLOAT64)).isEqualTo(ColumnKind.DECIMAL);
        assertThat(ColumnTypes.merge(ColumnKind.FLOAT32, ColumnKind.FLOAT64)).isEqualTo(ColumnKind.FLOAT64);
        assertThat(ColumnTypes.merge(ColumnKind.STRING, ColumnKind.INT64)).isEqualTo(ColumnKind.STRING);
        assertThat(ColumnTypes.merge(null, ColumnKind.BOOLEAN)).isEqualTo(ColumnKind.BOOLEAN);
        TableManager tm = new TableManager(pg, true, true, new SinkMetrics());
        assertThat(tm.widening(ColumnKind.INT64, ColumnKind.FLOAT64)).isEqualTo("numeric");
        assertThat(tm.widening(ColumnKind.INT32, ColumnKind.INT64)).isEqualTo("bigint");
        assertThat(tm.widening(ColumnKind.INT64, ColumnKind.INT32)).isNull();
        assertThat(tm.widening(ColumnKind.DECIMAL, ColumnKind.INT64)).isNull();
        assertThat(tm.widening(ColumnKind.STRING, ColumnKind.INT64)).isNull();
    }

    @Test
    void keysFromStructsValuesAndKafkaCoordinates() {
        Schema keySchema = SchemaBuilder.struct()
                .field("tenant", Schema.STRING_SCHEMA)
                .field("id", Schema.INT64_SCHEMA)
                .build();
        Struct key = new Struct(keySchema).put("tenant", "t1").put("id", 9L);
        MappedRecord r = mapper(Map.of()).map(new SinkRecord("x", 0, keySchema, key, null, Map.of("a", 1), 1));
        assertThat(r.keyColumns()).containsExactly("tenant", "id");
        assertThat(r.key()).containsExactly("t1", "9"); // integers compare as text: a tombstone's text key meets them

        MappedRecord byValue = mapper(Map.of("pk.mode", "record_value", "pk.fields", "email", "delete.mode", "none"))
                .map(new SinkRecord("x", 0, null, null, null, Map.of("email", "a@b", "n", 1), 1));
        assertThat(byValue.keyColumns()).containsExactly("email");

        MappedRecord byKafka = mapper(Map.of("pk.mode", "kafka", "delete.mode", "none"))
                .map(new SinkRecord("x.y", 3, null, null, null, Map.of("n", 1), 77));
        assertThat(byKafka.keyColumns())
                .containsExactly("_crmconnect_kafka_topic", "_crmconnect_kafka_partition", "_crmconnect_kafka_offset");
        assertThat(byKafka.key()).containsExactly("x.y", "3", "77");
        assertThat(byKafka.table()).isEqualTo("x_y");
    }

    @Test
    void badRecordsAreRejectedWithAReason() {
        RecordMapper m = mapper(Map.of());
        assertThatThrownBy(() -> m.map(new SinkRecord("x", 0, null, null, null, Map.of("a", 1), 1)))
                .isInstanceOf(RecordMapper.BadRecordException.class)
                .hasMessageContaining("record key is null");
        assertThatThrownBy(() -> m.map(new SinkRecord("x", 0, null, "k", null, "just a string", 1)))
                .hasMessageContaining("value must be a Struct or a JSON object");
        RecordMapper byValue = mapper(Map.of("pk.mode", "record_value", "pk.fields", "email", "delete.mode", "none"));
        Map<String, Object> noEmail = new LinkedHashMap<>();
        noEmail.put("email", null);
        assertThatThrownBy(() -> byValue.map(new SinkRecord("x", 0, null, null, null, noEmail, 1)))
                .hasMessageContaining("primary key field 'email' is null");
    }

    @Test
    void schemaFulAndSchemalessRecordsOfTheSameFieldsGetTheSameColumns() {
        Map<String, String> cfg = Map.of(
                "metadata.columns",
                "synced_at,kafka_topic,kafka_offset",
                "delete.mode",
                "soft",
                "column.prefix",
                "property_");
        Schema keySchema =
                SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
        Schema valueSchema = SchemaBuilder.struct()
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("n", Schema.INT64_SCHEMA)
                .build();
        Struct key = new Struct(keySchema).put("id", 5L);
        RecordMapper m = mapper(cfg);
        MappedRecord schemaFul = m.map(new SinkRecord(
                "t",
                1,
                keySchema,
                key,
                valueSchema,
                new Struct(valueSchema).put("email", "a@example.com").put("n", 3L),
                40));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("email", "a@example.com");
        value.put("n", 3L);
        MappedRecord schemaless = m.map(new SinkRecord("t", 1, keySchema, key, null, value, 40));
        assertThat(schemaless.values()).isEqualTo(schemaFul.values());
        assertThat(schemaless.defs()).isEqualTo(schemaFul.defs());
        assertThat(schemaFul.values().keySet())
                .containsExactly(
                        "id",
                        "property_email",
                        "property_n",
                        "_crmconnect_kafka_topic",
                        "_crmconnect_kafka_offset",
                        "_crmconnect_deleted",
                        "_crmconnect_deleted_at");
        assertThat(schemaFul.key()).containsExactly("5");
        MappedRecord next = m.map(new SinkRecord(
                "t",
                1,
                keySchema,
                new Struct(keySchema).put("id", 6L),
                valueSchema,
                new Struct(valueSchema).put("email", null).put("n", 4L),
                41));
        assertThat(next.layout()).isSameAs(schemaFul.layout()); // one plan per schema pair
        assertThat(next.values().get("property_n")).isEqualTo(4L);
        assertThat(next.values().get("_crmconnect_kafka_offset")).isEqualTo(41L);
    }

    @Test
    void aSchemaPairThatCannotBecomeRowsRejectsEveryRecordWithTheSameReason() {
        Schema keySchema = SchemaBuilder.struct()
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .build();
        Schema valueSchema =
                SchemaBuilder.struct().field("n", Schema.INT64_SCHEMA).build();
        RecordMapper m = mapper(Map.of());
        for (int i = 0; i < 2; i++) {
            SinkRecord r = new SinkRecord(
                    "t",
                    0,
                    keySchema,
                    new Struct(keySchema).put("tags", List.of("a")),
                    valueSchema,
                    new Struct(valueSchema).put("n", 1L),
                    i);
            assertThatThrownBy(() -> m.map(r))
                    .isInstanceOf(RecordMapper.BadRecordException.class)
                    .hasMessage("primary key field 'tags' is a nested object or array");
        }
        RecordMapper byValue = mapper(Map.of("pk.mode", "record_value", "pk.fields", "email", "delete.mode", "none"));
        assertThatThrownBy(() -> byValue.map(
                        new SinkRecord("t", 0, null, null, valueSchema, new Struct(valueSchema).put("n", 1L), 0)))
                .hasMessage("primary key field 'email' is missing from the value");
        Schema withEmail = SchemaBuilder.struct()
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        assertThatThrownBy(() -> byValue.map(
                        new SinkRecord("t", 0, null, null, withEmail, new Struct(withEmail).put("email", null), 0)))
                .hasMessage("primary key field 'email' is null");
    }

    @Test
    void fieldsThatWouldShareAColumnAreRejectedNotDropped() {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("Email", "a");
        both.put("email", "b");
        SinkRecord record = new SinkRecord("x", 0, null, "k", null, both, 1);
        assertThat(mapper(Map.of()).map(record).defs()).containsKeys("Email", "email"); // PostgreSQL: two columns
        RecordMapper maria = mapper(Map.of("connection.url", "jdbc:mariadb://127.0.0.1:1/x"));
        assertThatThrownBy(() -> maria.map(record))
                .isInstanceOf(RecordMapper.BadRecordException.class)
                .hasMessageContaining("field 'Email' and field 'email' both map to column");
        assertThatThrownBy(() -> mapper(Map.of())
                        .map(new SinkRecord("x", 0, null, "k", null, Map.of("_crmconnect_synced", "x"), 1)))
                .hasMessage("field '_crmconnect_synced' and metadata column synced both map to column "
                        + "'_crmconnect_synced'");
        Schema keyed = SchemaBuilder.struct()
                .field("id", Schema.STRING_SCHEMA)
                .field("n", Schema.INT64_SCHEMA)
                .build();
        MappedRecord repeatsKey = mapper(Map.of())
                .map(new SinkRecord(
                        "x",
                        0,
                        Schema.STRING_SCHEMA,
                        "7",
                        keyed,
                        new Struct(keyed).put("id", "7").put("n", 1L),
                        1));
        assertThat(repeatsKey.defs().keySet()).containsExactly("id", "n"); // the key column carries the value's id
    }

    @Test
    void longTableAndColumnNamesAreShortenedConsistently() {
        RecordMapper m = mapper(Map.of("column.prefix", "property_"));
        String field = "custom_".repeat(10);
        MappedRecord r = m.map(new SinkRecord("topic." + "t".repeat(70), 0, null, "k", null, Map.of(field, 1), 1));
        assertThat(r.table()).hasSize(63).startsWith("topic_ttt");
        assertThat(r.defs()).containsKey(m.valueColumn(field));
        assertThat(m.valueColumn(field)).hasSize(63).startsWith("property_custom_");
    }

    @Test
    void tombstonesDeleteOrAreSkipped() {
        assertThat(mapper(Map.of())
                        .map(new SinkRecord("x", 0, null, "k", null, null, 1))
                        .delete())
                .isTrue();
        assertThat(mapper(Map.of("delete.mode", "none")).map(new SinkRecord("x", 0, null, "k", null, null, 1)))
                .isNull();
    }
}
