package io.crmconnect.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {
    @TempDir
    Path dir;

    private static SinkRecord record() {
        Schema schema = SchemaBuilder.struct()
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("crmconnect.error.reason", "VALUE_TOO_LONG");
        return new SinkRecord(
                "hubspot.contacts",
                0,
                Schema.STRING_SCHEMA,
                "17",
                schema,
                new Struct(schema).put("email", "a@example.com"),
                42,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                headers);
    }

    @Test
    void aLineCarriesTheRecordAndTheHeadersOfAConnectDeadLetterTopic() throws Exception {
        Path file = dir.resolve("dlq/sink-dlq.jsonl");
        try (DeadLetterFile dlq = new DeadLetterFile(file, "pg-sink", ToleranceType.ALL, false, null)) {
            dlq.report(record(), new DataException("value too long for column email"));
            dlq.report(record(), new DataException("again"));
            dlq.sync();
            assertThat(dlq.written()).isEqualTo(2);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.path("key").asText()).isEqualTo("17");
        assertThat(line.path("value").path("email").asText()).isEqualTo("a@example.com");
        JsonNode h = line.path("headers");
        assertThat(h.path("crmconnect.error.reason").asText()).isEqualTo("VALUE_TOO_LONG");
        assertThat(h.path("__connect.errors.topic").asText()).isEqualTo("hubspot.contacts");
        assertThat(h.path("__connect.errors.offset").asText()).isEqualTo("42");
        assertThat(h.path("__connect.errors.connector.name").asText()).isEqualTo("pg-sink");
        assertThat(h.path("__connect.errors.stage").asText()).isEqualTo("TASK_PUT");
        assertThat(h.path("__connect.errors.class.name").asText()).isEqualTo("org.apache.kafka.connect.sink.SinkTask");
        assertThat(h.path("__connect.errors.exception.class.name").asText()).isEqualTo(DataException.class.getName());
        assertThat(h.path("__connect.errors.exception.message").asText()).isEqualTo("value too long for column email");
        assertThat(h.path("__connect.errors.exception.stacktrace").asText()).contains("DataException");
    }

    @Test
    void withToleranceNoneTheRecordIsWrittenThenTheTaskFails() throws Exception {
        Path file = dir.resolve("dlq.jsonl");
        try (DeadLetterFile dlq = new DeadLetterFile(file, "pg-sink", ToleranceType.NONE, false, null)) {
            assertThatThrownBy(() -> dlq.report(record(), new DataException("bad")))
                    .isInstanceOf(ConnectException.class)
                    .hasMessage("Tolerance exceeded in error handler");
        }
        assertThat(Files.readAllLines(file)).hasSize(1);
    }
}
