package io.crmconnect.it.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17.5: known personal values fed through the error paths of both sinks (the BUILT plugins in a real Connect
 * worker) never appear in the logs of the plugins and the worker, in a failed task's status (REST), or in the
 * dead-letter headers (ours and Connect's {@code __connect.errors.*}, stack trace included). Database and HubSpot
 * messages that quote the values are what the sinks receive: PostgreSQL's invalid input syntax, unique violation
 * detail, date out of range; MariaDB's duplicate entry; HubSpot's 207 "was not one of the allowed options"; local
 * parser and option messages.
 */
class PersonalDataInErrorsIT {
    /** Every probe value contains one of these; none may leave a task. */
    static final List<String> PROBES = List.of("quaxley", "1961", "8675309");

    static final String EMAIL = "zelda.quaxley@pii-probe.example";

    static ConnectCluster cluster;
    static HubSpotSimulator sim;
    static final CapturingAppender LOGS = new CapturingAppender();

    @BeforeAll
    static void start() {
        LOGS.attach();
        cluster = ConnectCluster.start("pii-probe");
        sim = HubSpotSimulator.builder().seed(8).start();
    }

    @AfterAll
    static void stop() {
        LOGS.detach();
        if (cluster != null) {
            cluster.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static void assertClean(String where, String text) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        for (String p : PROBES) {
            assertThat(lower)
                    .as("%s must not contain the personal value %s", where, p)
                    .doesNotContain(p);
        }
    }

    static ProducerRecord<byte[], byte[]> json(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> schemaless(String topic) {
        Map<String, String> c = new HashMap<>();
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("errors.log.enable", "true");
        return c;
    }

    static Map<String, String> withDlq(Map<String, String> c, String dlq) {
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", dlq);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    static void assertDeadLettersClean(String dlq, int n) {
        List<DeadLetter> dead = cluster.readDeadLetters(dlq, n, Duration.ofSeconds(90));
        assertThat(dead).hasSize(n);
        for (DeadLetter d : dead) {
            assertThat(d.header("crmconnect.error.reason")).isNotBlank();
            assertThat(d.headers()).containsKey("__connect.errors.exception.stacktrace");
            d.headers().forEach((k, v) -> assertClean("DLQ header " + k + " of " + d.key(), v));
        }
    }

    @Test
    void jdbcSinkDriverMessagesCarryNoValues() {
        String topic = "pii.people";
        cluster.createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> records = List.of(
                json(topic, "p1", "{\"email\":\"ok@example.org\",\"full_name\":\"Ok\",\"age\":30}"),
                json(topic, "p2", "{\"email\":\"p2@example.org\",\"full_name\":\"A\",\"age\":\"Zelda Quaxley\"}"),
                json(topic, "p3", "{\"email\":\"" + EMAIL + "\",\"full_name\":\"Zelda Quaxley\",\"age\":40}"),
                json(topic, "p4", "{\"email\":\"p4@example.org\",\"full_name\":\"B\",\"born\":\"1961-02-30\"}"),
                json(
                        topic,
                        "p5",
                        "{\"email\":\"p5@example.org\",\"full_name\":\"Zelda Quaxley, +1 555 867 5309, "
                                + "12 Elm Street, Springfield\",\"age\":50}"));
        cluster.produce(records);
        PostgresServer pg = PostgresServer.shared();
        MariaDbServer maria = MariaDbServer.shared();
        List<String> names = new ArrayList<>();
        for (SqlServer server : List.<SqlServer>of(pg, maria)) {
            String db = server.createDatabase("it_pii");
            server.update(
                    db,
                    "CREATE TABLE pii_people (person_id VARCHAR(20) PRIMARY KEY, email VARCHAR(80) UNIQUE, "
                            + "full_name VARCHAR(20), age BIGINT, born DATE)");
            // the value p3 collides with: a unique violation quotes it
            server.update(db, "INSERT INTO pii_people (person_id, email) VALUES ('existing', '" + EMAIL + "')");
            Map<String, String> c = schemaless(topic);
            c.put("connector.class", "io.crmconnect.jdbc.JdbcSinkConnector");
            c.put("connection.url", server.jdbcUrl(db));
            c.put("connection.user", server.user());
            c.put("connection.password", server.password());
            c.put("pk.fields", "person_id");
            c.put("metadata.columns", "");
            c.put("auto.evolve", "false");
            String name = "pii-jdbc-" + server.kind();
            names.add(name);
            cluster.configureConnector(name, withDlq(c, name + ".dlq"));
            // p3's email collision is a dead letter on both: on MariaDB the sink's unique-index check catches what
            // ON DUPLICATE KEY UPDATE would have merged into the existing row
            assertDeadLettersClean(name + ".dlq", 4);
            assertThat(server.query(db, "SELECT person_id FROM pii_people WHERE person_id = 'p1'"))
                    .hasSize(1);
            assertThat(server.query(db, "SELECT person_id FROM pii_people WHERE email = '" + EMAIL + "'"))
                    .extracting(r -> r.get("person_id"))
                    .containsExactly("existing");

            // no DLQ: the task fails at the first bad record; its status trace is what Kafka UI shows
            String strict = "pii-jdbc-strict-" + server.kind();
            names.add(strict);
            Map<String, String> s = schemaless(topic);
            s.putAll(c);
            s.keySet().removeIf(k -> k.startsWith("errors.deadletterqueue"));
            s.put("errors.tolerance", "none");
            s.put("errors.log.enable", server == pg ? "false" : "true"); // the sink's own failure / Connect's
            cluster.configureConnector(strict, s);
            String trace = cluster.awaitTaskFailed(strict, Duration.ofSeconds(90));
            assertThat(trace).contains(server == pg ? "cannot be written (REJECTED [" : "Tolerance exceeded");
            assertClean("task status of " + strict, trace);
        }
        cluster.deleteConnectorsIfPresent(names.toArray(String[]::new));
        assertClean("plugin and worker logs", LOGS.text());
    }

    @Test
    void hubspotSinkMessagesCarryNoValues() {
        api(
                "/crm/v3/properties/contacts",
                "{\"name\":\"external_id\",\"label\":\"x\",\"type\":\"string\","
                        + "\"fieldType\":\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":true}");
        api(
                "/crm/v3/properties/contacts",
                "{\"name\":\"plan\",\"label\":\"Plan\",\"type\":\"enumeration\","
                        + "\"fieldType\":\"select\",\"groupName\":\"contactinformation\",\"options\":["
                        + "{\"label\":\"Basic\",\"value\":\"basic\",\"displayOrder\":0,\"hidden\":false}]}");
        // HubSpot's default date_of_birth is a text property: a date property of our own for the parser's message
        api(
                "/crm/v3/properties/contacts",
                "{\"name\":\"birth_date\",\"label\":\"Birth date\",\"type\":\"date\","
                        + "\"fieldType\":\"date\",\"groupName\":\"contactinformation\"}");
        String topic = "pii.contacts";
        cluster.createTopic(topic, 1);
        cluster.produce(List.of(
                json(topic, "h1", "{\"external_id\":\"h1\",\"email\":\"h1@example.org\",\"plan\":\"basic\"}"),
                // an option HubSpot refuses: its 207 message quotes the value
                json(topic, "h2", "{\"external_id\":\"h2\",\"email\":\"h2@example.org\",\"plan\":\"Zelda Quaxley\"}"),
                // a date the sink cannot parse: the parser's message quotes it
                json(
                        topic,
                        "h3",
                        "{\"external_id\":\"h3\",\"email\":\"" + EMAIL + "\",\"date_of_birth\":" + "\"31/31/1961\"}"),
                json(
                        topic,
                        "h4",
                        "{\"external_id\":\"h4\",\"email\":\"h4@example.org\",\"firstname\":\"Quaxley\","
                                + "\"phone\":\"+1 555 867 5309\"}")));
        Map<String, String> c = schemaless(topic);
        c.put("connector.class", "io.crmconnect.hubspot.sink.HubSpotSinkConnector");
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("object", "contacts");
        c.put("unique.property", "external_id");
        c.put(
                "field.mapping",
                "external_id:external_id,email:email,plan:plan,date_of_birth:birth_date,"
                        + "firstname:firstname,phone:phone");
        c.put("enumeration.check", "false"); // let HubSpot judge the option: its 207 message is under test
        cluster.configureConnector("pii-hubspot", withDlq(c, "pii-hubspot.dlq"));
        assertDeadLettersClean("pii-hubspot.dlq", 2);
        cluster.awaitCondition(
                "h1 and h4 written",
                Duration.ofSeconds(60),
                () -> sim.ids("contacts").size() >= 2
                        && sim.dump("contacts", false).stream()
                                        .filter(r -> List.of("h1", "h4")
                                                .contains(((Map<?, ?>) r.get("properties")).get("external_id")))
                                        .count()
                                == 2);

        Map<String, String> s = schemaless(topic);
        s.putAll(c);
        s.keySet().removeIf(k -> k.startsWith("errors.deadletterqueue"));
        s.put("errors.tolerance", "none");
        s.put("enumeration.check", "true"); // the sink's own option check quotes the value too
        s.put("errors.log.enable", "false");
        cluster.configureConnector("pii-hubspot-strict", s);
        String trace = cluster.awaitTaskFailed("pii-hubspot-strict", Duration.ofSeconds(90));
        assertThat(trace).contains("INVALID_OPTION");
        assertClean("task status of pii-hubspot-strict", trace);
        cluster.deleteConnectorsIfPresent("pii-hubspot", "pii-hubspot-strict");
        assertClean("plugin and worker logs", LOGS.text());
    }

    static void api(String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                                    .header("Authorization", "Bearer " + sim.token())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isLessThan(300);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Everything the plugins ({@code io.crmconnect} minus the simulators and the test harness), the JDBC drivers
     * they bundle and the Connect runtime log, stack traces included. The database servers' own logs are not the
     * worker's and not captured.
     */
    static final class CapturingAppender extends AbstractAppender {
        private final StringBuilder text = new StringBuilder();

        CapturingAppender() {
            super(
                    "pii-probe",
                    (Filter) null,
                    PatternLayout.newBuilder().withPattern("%c %m%n%throwable").build(),
                    true,
                    Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
            boolean ours = logger.startsWith("io.crmconnect.")
                    && !logger.startsWith("io.crmconnect.simulator")
                    && !logger.startsWith("io.crmconnect.testharness");
            if (ours
                    || logger.startsWith("org.apache.kafka.connect")
                    || logger.startsWith("org.mariadb")
                    || logger.startsWith("org.postgresql")) {
                String line = new String(getLayout().toByteArray(event), StandardCharsets.UTF_8);
                synchronized (text) {
                    text.append(line);
                }
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        void attach() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration cfg = ctx.getConfiguration();
            start();
            cfg.addAppender(this);
            cfg.getRootLogger().addAppender(this, Level.ALL, null);
            cfg.getLoggers().values().forEach(l -> l.addAppender(this, Level.ALL, null));
            ctx.updateLoggers();
        }

        void detach() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration cfg = ctx.getConfiguration();
            cfg.getRootLogger().removeAppender(getName());
            cfg.getLoggers().values().forEach(l -> l.removeAppender(getName()));
            ctx.updateLoggers();
            stop();
        }
    }
}
