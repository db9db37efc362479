package io.crmconnect.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Warehouse users: rows of the Snowflake users table (snowflake-to-hubspot), or those rows as a warehouse export
 * would put them in Kafka (topic-to-hubspot): JSON with a Connect schema, keyed by email.
 */
final class WarehouseUsers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIRST = {
        "Ada",
        "Grace",
        "Alan",
        "Edsger",
        "Barbara",
        "Donald",
        "Frances",
        "Ken",
        "Margaret",
        "Niklaus",
        "Radia",
        "Tim",
        "Sophie",
        "Linus",
        "Hedy",
        "John"
    };
    private static final String[] LAST = {
        "Lovelace",
        "Hopper",
        "Turing",
        "Dijkstra",
        "Liskov",
        "Knuth",
        "Allen",
        "Thompson",
        "Hamilton",
        "Wirth",
        "Perlman",
        "Berners-Lee",
        "Wilson",
        "Torvalds",
        "Lamarr",
        "Backus"
    };
    private static final String[] TITLES = {
        "Data Engineer", "Head of Growth", "CFO", "Analyst", "VP Sales", "Support Lead"
    };

    private WarehouseUsers() {}

    /** One warehouse user row. */
    record User(String email, String firstName, String lastName, String phone, String company, String jobTitle) {}

    /**
     * {@code rows} users, the same for the same arguments: the first ones carry the emails of contacts HubSpot
     * already has (they update instead of create), the rest new addresses.
     */
    static List<User> generate(int rows, List<String> existingEmails) {
        Random random = new Random(7);
        List<User> users = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String email = i < existingEmails.size()
                    ? existingEmails.get(i)
                    : (first + "." + last + "." + i + "@warehouse.example").toLowerCase(Locale.ROOT);
            users.add(new User(
                    email,
                    first,
                    last,
                    String.format("+1 555 %03d %04d", random.nextInt(1000), random.nextInt(10000)),
                    last + " Analytics",
                    TITLES[random.nextInt(TITLES.length)]));
        }
        return users;
    }

    /** The users as JSON with a Connect schema, keyed by email. */
    static void produce(String bootstrapServers, String topic, int rows, List<String> existingEmails) {
        ObjectNode schema = schema();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        20),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (User user : generate(rows, existingEmails)) {
                ObjectNode payload = JSON.createObjectNode()
                        .put("email", user.email())
                        .put("first_name", user.firstName())
                        .put("last_name", user.lastName())
                        .put("phone", user.phone())
                        .put("company", user.company())
                        .put("job_title", user.jobTitle());
                payload.putNull("hubspot_id");
                ObjectNode envelope = JSON.createObjectNode();
                envelope.set("schema", schema);
                envelope.set("payload", payload);
                producer.send(new ProducerRecord<>(
                        topic,
                        user.email().getBytes(StandardCharsets.UTF_8),
                        envelope.toString().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static ObjectNode schema() {
        ObjectNode schema = JSON.createObjectNode()
                .put("type", "struct")
                .put("name", "warehouse.users")
                .put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        for (String field :
                List.of("email", "first_name", "last_name", "phone", "company", "job_title", "hubspot_id")) {
            fields.addObject().put("field", field).put("type", "string").put("optional", !"email".equals(field));
        }
        return schema;
    }
}
