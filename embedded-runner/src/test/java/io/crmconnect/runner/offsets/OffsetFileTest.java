package io.crmconnect.runner.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetFileTest {
    @TempDir
    Path dir;

    private static ByteBuffer json(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private OffsetFile store(Path file) {
        OffsetFile store = new OffsetFile();
        store.configure(new StandaloneConfig(Map.of(
                "bootstrap.servers",
                "127.0.0.1:9",
                "key.converter",
                JsonConverter.class.getName(),
                "value.converter",
                JsonConverter.class.getName(),
                StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG,
                file.toString())));
        store.start();
        return store;
    }

    @Test
    void offsetsSurviveARestartAndReadAsTheRestApiFormat() throws Exception {
        Path file = dir.resolve("offsets.json");
        OffsetFile store = store(file);
        store.set(
                        Map.of(
                                json("[\"hubspot-source\",{\"stream\":\"contacts\"}]"),
                                json("{\"v\":2,\"after\":\"17\"}")),
                        null)
                .get(5, TimeUnit.SECONDS);
        store.stop();

        OffsetFile again = store(file);
        Map<ByteBuffer, ByteBuffer> read = again.get(List.of(json("[\"hubspot-source\",{\"stream\":\"contacts\"}]")))
                .get(5, TimeUnit.SECONDS);
        assertThat(StandardCharsets.UTF_8
                        .decode(read.values().iterator().next())
                        .toString())
                .isEqualTo("{\"v\":2,\"after\":\"17\"}");
        assertThat(again.connectorPartitions("hubspot-source")).containsExactly(Map.of("stream", "contacts"));
        again.stop();
        assertThat(OffsetFile.describe(file))
                .contains("\"partition\"", "\"stream\" : \"contacts\"", "\"after\" : \"17\"");
        assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind
    }

    @Test
    void aTruncatedFileStopsTheRunnerInsteadOfStartingOver() throws Exception {
        Path file = dir.resolve("offsets.json");
        Files.writeString(file, "{\"format\":\"crm-connect-offsets\",\"offsets\":[{\"key\":[\"x\",{");
        assertThatThrownBy(() -> store(file))
                .isInstanceOf(OffsetFile.OffsetFileException.class)
                .hasMessageContaining("unreadable")
                .hasMessageContaining("delete it");
    }

    @Test
    void aWriteIsAllOrNothing() throws Exception {
        Path file = dir.resolve("offsets.json");
        OffsetFile.write(file, "first".getBytes(StandardCharsets.UTF_8));
        // a crash while writing leaves at most a temporary file next to the intact previous content
        Files.writeString(dir.resolve("offsets.json.tmp"), "half-writ");
        assertThat(Files.readString(file)).isEqualTo("first");
        OffsetFile.write(file, "second".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(Files.exists(dir.resolve("offsets.json.tmp"))).isFalse();
    }
}
