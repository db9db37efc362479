package io.crmconnect.runner.offsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source offsets in a local JSON file that survives kill -9: each commit writes a temporary file, forces it to
 * disk and renames it over the previous one, so the file always holds one complete commit. Keys and values are
 * the JSON a worker writes to its offsets topic ({@code ["connector", {partition}]} and the offset map), readable
 * by people and by the Connect REST API's offsets format. An unreadable file stops the runner instead of starting
 * the initial load again silently (Kafka's FileOffsetBackingStore treats a truncated file as empty).
 */
public class OffsetFile extends MemoryOffsetBackingStore {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FORMAT = "crm-connect-offsets";

    private static final Map<Path, Throwable> FAILURES = new ConcurrentHashMap<>();

    private Path file;

    /** The last error writing this file, until a later write succeeds; null when the last write succeeded. */
    public static Throwable failure(Path file) {
        return FAILURES.get(file.toAbsolutePath().normalize());
    }

    /** An offsets file that cannot be read or written. */
    public static final class OffsetFileException extends ConnectException {
        private static final long serialVersionUID = 1L;

        OffsetFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        String name = config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG);
        if (name == null || name.isBlank()) {
            throw new ConnectException(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG + " is required");
        }
        file = Path.of(name);
    }

    @Override
    public synchronized void start() {
        super.start();
        data = read(file);
        LOG.info("Source offsets: {} ({} entries)", file, data.size());
    }

    /** The offsets in a file written by this class; empty when the file does not exist. */
    static Map<ByteBuffer, ByteBuffer> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new HashMap<>();
        } catch (IOException e) {
            throw new OffsetFileException("Cannot read the offsets file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IOException("not a " + FORMAT + " file");
            }
            Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
            for (JsonNode entry : root.path("offsets")) {
                JsonNode value = entry.get("value");
                out.put(
                        ByteBuffer.wrap(JSON.writeValueAsBytes(entry.get("key"))),
                        value == null || value.isNull() ? null : ByteBuffer.wrap(JSON.writeValueAsBytes(value)));
            }
            return out;
        } catch (IOException e) {
            throw new OffsetFileException(
                    "The offsets file " + file + " is unreadable (" + e.getMessage() + "). Restore "
                            + "it, or delete it to read the source again from the beginning.",
                    e);
        }
    }

    @Override
    protected void save() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ArrayNode entries = root.putArray("offsets");
        try {
            for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
                ObjectNode entry = entries.addObject();
                entry.set("key", JSON.readTree(bytes(e.getKey())));
                entry.set("value", e.getValue() == null ? null : JSON.readTree(bytes(e.getValue())));
            }
            write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            FAILURES.remove(file.toAbsolutePath().normalize());
        } catch (IOException | RuntimeException e) {
            OffsetFileException failure =
                    new OffsetFileException("Cannot write the offsets file " + file + ": " + e.getMessage(), e);
            FAILURES.put(file.toAbsolutePath().normalize(), failure);
            throw failure;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Replaces the file with these bytes in one step: temporary file, fsync, rename, fsync of the directory. */
    static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream out = Channels.newOutputStream(ch)) {
            out.write(content);
            out.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("Directory fsync not supported here: {}", e.toString());
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        Set<Map<String, Object>> out = new HashSet<>();
        for (ByteBuffer key : data.keySet()) {
            try {
                JsonNode k = JSON.readTree(bytes(key));
                if (k.isArray()
                        && k.size() == 2
                        && connectorName.equals(k.get(0).asText())) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> partition = JSON.convertValue(k.get(1), Map.class);
                    out.add(partition);
                }
            } catch (IOException e) {
                LOG.debug("Skipping an offsets key that is not JSON: {}", e.toString());
            }
        }
        return out;
    }

    /** The file's content as text (for the {@code offsets} command); {@code {}} when there is none. */
    public static String describe(Path file) {
        Map<ByteBuffer, ByteBuffer> offsets = read(file);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("offsets");
        try {
            for (Map.Entry<ByteBuffer, ByteBuffer> e : offsets.entrySet()) {
                JsonNode k = JSON.readTree(bytes(e.getKey()));
                ObjectNode o = list.addObject();
                o.set("partition", k.size() > 1 ? k.get(1) : k);
                o.set("offset", e.getValue() == null ? null : JSON.readTree(bytes(e.getValue())));
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new ConnectException("Cannot render the offsets of " + file + ": " + e.getMessage(), e);
        }
    }
}
