package io.crmconnect.runner.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.runner.flow.InFlightRecord;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter;
import org.apache.kafka.connect.runtime.errors.Stage;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queue when there is no Kafka: one JSON line per record, appended to a local file, with the
 * headers a Connect worker's dead-letter topic carries ({@code __connect.errors.*}: where the record came from,
 * connector, task, stage, class, exception and its message) next to the record's own headers (the sinks' reason
 * headers) and the source partition and offset it was polled at. With errors.tolerance=none the record is written,
 * then the error fails the task, as in the worker.
 */
public final class DeadLetterFile implements ErrantRecordReporter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Finds the record in flight at these virtual coordinates, or null. */
    public interface Lookup {
        InFlightRecord find(String topic, int partition, long offset);
    }

    private final Path file;
    private final String connector;
    private final ToleranceType tolerance;
    private final boolean logErrors;
    private final Lookup positions;
    private final JsonConverter converter = new JsonConverter();
    private final JsonFactory factory = new JsonFactory();
    private final AtomicLong written = new AtomicLong();
    private FileChannel channel;
    private OutputStream out;

    public DeadLetterFile(Path file, String connector, ToleranceType tolerance, boolean logErrors, Lookup positions) {
        this.file = file;
        this.connector = connector;
        this.tolerance = tolerance;
        this.logErrors = logErrors;
        this.positions = positions;
        converter.configure(
                Map.of(
                        JsonConverterConfig.SCHEMAS_ENABLE_CONFIG,
                        "false",
                        JsonConverterConfig.REPLACE_NULL_WITH_DEFAULT_CONFIG,
                        "false"),
                false);
    }

    public Path file() {
        return file;
    }

    /** Records written to the file so far. */
    public long written() {
        return written.get();
    }

    @Override
    public Future<Void> report(SinkRecord record, Throwable error) {
        return report(record, error, Stage.TASK_PUT, SinkTask.class);
    }

    /** A record that failed in a stage other than the task's put() (a transformation). */
    public Future<Void> report(SinkRecord record, Throwable error, Stage stage, Class<?> executingClass) {
        write(record, error, stage, executingClass);
        if (tolerance != ToleranceType.ALL) {
            throw new ConnectException("Tolerance exceeded in error handler", error);
        }
        return CompletableFuture.completedFuture(null);
    }

    private synchronized void write(SinkRecord record, Throwable error, Stage stage, Class<?> executingClass) {
        if (logErrors) {
            LOG.error(
                    "Error encountered in task {}-0. Executing stage '{}' with class '{}', where consumed record is "
                            + "{{topic='{}', partition={}, offset={}}}.",
                    connector,
                    stage,
                    executingClass.getName(),
                    record.topic(),
                    record.kafkaPartition(),
                    record.kafkaOffset(),
                    error);
        }
        try {
            open();
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            try (JsonGenerator g = factory.createGenerator(line)) {
                g.writeStartObject();
                g.writeStringField("topic", record.topic());
                g.writeNumberField("partition", record.kafkaPartition());
                g.writeNumberField("offset", record.kafkaOffset());
                if (record.timestamp() != null) {
                    g.writeNumberField("timestamp", record.timestamp());
                }
                InFlightRecord source = positions == null
                        ? null
                        : positions.find(
                                record.originalTopic(), record.originalKafkaPartition(), record.originalKafkaOffset());
                if (source != null) {
                    g.writeFieldName("source");
                    g.writeStartObject();
                    g.writeFieldName("partition");
                    JSON.writeValue(g, source.polled().sourcePartition());
                    g.writeFieldName("offset");
                    JSON.writeValue(g, source.polled().sourceOffset());
                    g.writeEndObject();
                }
                g.writeFieldName("key");
                writeData(g, record.topic(), record.keySchema(), record.key());
                g.writeFieldName("value");
                writeData(g, record.topic(), record.valueSchema(), record.value());
                g.writeFieldName("headers");
                g.writeStartObject();
                for (Header h : record.headers()) {
                    g.writeStringField(h.key(), Values.convertToString(h.schema(), h.value()));
                }
                g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_ORIG_TOPIC, record.originalTopic());
                g.writeStringField(
                        DeadLetterQueueReporter.ERROR_HEADER_ORIG_PARTITION,
                        String.valueOf(record.originalKafkaPartition()));
                g.writeStringField(
                        DeadLetterQueueReporter.ERROR_HEADER_ORIG_OFFSET, String.valueOf(record.originalKafkaOffset()));
                g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_CONNECTOR_NAME, connector);
                g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_TASK_ID, "0");
                g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_STAGE, stage.name());
                g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_EXECUTING_CLASS, executingClass.getName());
                if (error != null) {
                    g.writeStringField(
                            DeadLetterQueueReporter.ERROR_HEADER_EXCEPTION,
                            error.getClass().getName());
                    g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_EXCEPTION_MESSAGE, error.getMessage());
                    g.writeStringField(DeadLetterQueueReporter.ERROR_HEADER_EXCEPTION_STACK_TRACE, stackTrace(error));
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            line.write('\n');
            line.writeTo(out);
            written.incrementAndGet();
        } catch (IOException e) {
            throw new ConnectException("Cannot write the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeData(JsonGenerator g, String topic, Schema schema, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        byte[] bytes = converter.fromConnectData(topic, schema, value);
        g.writeRawValue(new String(bytes, StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable error) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bos, true, StandardCharsets.UTF_8)) {
            error.printStackTrace(ps);
        }
        return bos.toString(StandardCharsets.UTF_8);
    }

    private void open() throws IOException {
        if (channel == null) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        }
    }

    /**
     * Makes every line written so far durable. Called before offsets are committed: a dead letter is on disk
     * before the source position past its record is.
     */
    public synchronized void sync() {
        if (channel == null) {
            return;
        }
        try {
            out.flush();
            channel.force(false);
        } catch (IOException e) {
            throw new ConnectException("Cannot sync the dead-letter file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                sync();
                channel.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing the dead-letter file {} failed: {}", file, e.toString());
            }
            channel = null;
        }
    }
}
