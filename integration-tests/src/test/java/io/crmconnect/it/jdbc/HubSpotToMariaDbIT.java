package io.crmconnect.it.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.MariaDbServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the built archives: HubSpot simulator -> HubSpot source -> Kafka -> JDBC sink -> MariaDB, into a
 * database of its own (table.name.format with a database, RegexRouter dropping the topic prefix), in the
 * layout users of Fivetran's HubSpot schema know (id BIGINT, created_at, property_email, _crmconnect_synced,
 * _crmconnect_deleted), with declared indexes, the portal id column, pipeline stages in a stage table and the sync-state
 * table; then an update and a deletion in HubSpot reach the table.
 */
class HubSpotToMariaDbIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static ConnectCluster cluster;
    static HubSpotSimulator sim;
    static HubSpotClient api;

    @BeforeAll
    static void start() {
        sim = HubSpotSimulator.builder()
                .seed(31)
                .contacts(80)
                .companies(12)
                .deals(10)
                .tickets(0)
                .validateRequests(true)
                .start();
        api = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .build();
        cluster = ConnectCluster.start("hubspot-mariadb");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (api != null) {
            api.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static long count(MariaDbServer db, String database, String sql) {
        try {
            return ((Number) db.query(database, sql).get(0).get("n")).longValue();
        } catch (RuntimeException e) {
            return -1; // the table does not exist yet
        }
    }

    @Test
    void hubSpotObjectsLandInMariaDbInTheFivetranLikeLayoutAndFollowChanges() {
        Map<String, String> source = new HashMap<>();
        source.put("connector.class", "io.crmconnect.hubspot.source.HubSpotSourceConnector");
        source.put("tasks.max", "1");
        source.put("hubspot.base.url", sim.baseUrl());
        source.put("hubspot.access.token", sim.token());
        source.put("hubspot.tier", "professional");
        source.put("hubspot.portal.id", Long.toString(sim.portalId()));
        source.put("objects.include", "contacts,companies,owners,pipelines");
        source.put("associations", "contacts:companies");
        source.put("topic.format", "hubspot.${object}");
        source.put("poll.interval.ms", "1000");
        source.put("search.index.lag.overlap.ms", "3000");
        source.put("deletes.interval.ms", "2000");
        source.put("snapshot.interval.ms", "3000");
        source.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("value.converter.schemas.enable", "true");

        MariaDbServer maria = MariaDbServer.shared();
        String db = maria.createDatabase("it_hs_maria");
        String hs = db + "_hubspot"; // the database the tables go to, created by the sink
        cluster.createTopic("hubspot-mariadb-dlq", 1);
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", "io.crmconnect.jdbc.JdbcSinkConnector");
        sink.put("tasks.max", "1");
        List<String> topics = List.of(
                "hubspot.contacts",
                "hubspot.companies",
                "hubspot.owners",
                "hubspot.pipelines",
                "hubspot.associations.contacts.companies");
        topics.forEach(t -> cluster.createTopic(t, 1)); // created up front: a consumer finds new topics late
        sink.put("topics", String.join(",", topics));
        sink.put("connection.url", maria.jdbcUrl(db));
        sink.put("connection.user", maria.user());
        sink.put("connection.password", maria.password());
        sink.put("table.name.format", hs + ".${topic}");
        // the documented recipe: drop the topic prefix, so hubspot.contacts becomes <hs>.contacts
        sink.put("transforms", "strip");
        sink.put("transforms.strip.type", "org.apache.kafka.connect.transforms.RegexRouter");
        sink.put("transforms.strip.regex", "hubspot\\.(.*)");
        sink.put("transforms.strip.replacement", "$1");
        sink.put("delete.mode", "soft");
        sink.put("table.indexes", "hubspot_owner_id,createdAt,updatedAt,fromId+toId");
        sink.put("header.columns", "hubspot.portal:portal_id");
        sink.put("child.tables", "stages:pipeline_id");
        sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter.schemas.enable", "true");
        sink.put("errors.tolerance", "all");
        sink.put("errors.deadletterqueue.topic.name", "hubspot-mariadb-dlq");
        sink.put("errors.deadletterqueue.context.headers.enable", "true");
        cluster.configureConnector("hs-source", source);
        cluster.configureConnector("hs-mariadb", sink);
        cluster.awaitRunning("hs-source", 1, Duration.ofSeconds(60));
        cluster.awaitRunning("hs-mariadb", 1, Duration.ofSeconds(60));

        int contacts = sim.ids("contacts").size();
        int companies = sim.ids("companies").size();
        cluster.awaitCondition(
                "every contact and company in MariaDB",
                Duration.ofSeconds(120),
                () -> count(maria, db, "SELECT COUNT(*) AS n FROM " + hs + ".contacts") == contacts
                        && count(maria, db, "SELECT COUNT(*) AS n FROM " + hs + ".companies") == companies
                        && count(maria, db, "SELECT COUNT(*) AS n FROM " + hs + ".owners") > 0
                        && count(maria, db, "SELECT COUNT(*) AS n FROM " + hs + ".pipelines") > 0
                        && count(maria, db, "SELECT COUNT(*) AS n FROM " + hs + ".associations_contacts_companies")
                                > 0);

        // the layout: typed id, metadata unprefixed, properties prefixed, sink columns named as documented
        Map<String, String> types = maria
                .query(
                        db,
                        "SELECT COLUMN_NAME AS c, DATA_TYPE AS t FROM "
                                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + hs
                                + "' AND TABLE_NAME = 'contacts'")
                .stream()
                .collect(Collectors.toMap(r -> String.valueOf(r.get("c")), r -> String.valueOf(r.get("t"))));
        assertThat(types)
                .containsEntry("id", "bigint")
                .containsEntry("created_at", "datetime")
                .containsEntry("updated_at", "datetime")
                .containsKeys(
                        "archived",
                        "property_email",
                        "property_hubspot_owner_id",
                        "_crmconnect_synced",
                        "_crmconnect_deleted",
                        "portal_id")
                .doesNotContainKeys("property_id", "createdAt", "property_createdAt");
        for (Map<String, Object> row : maria.query(
                db,
                "SELECT id, property_email, created_at, portal_id, " + "_crmconnect_synced FROM " + hs + ".contacts")) {
            Map<String, String> contact = sim.record("contacts", String.valueOf(row.get("id")));
            assertThat(contact)
                    .as("contact %s is a HubSpot contact", row.get("id"))
                    .isNotNull();
            assertThat(row.get("property_email")).isEqualTo(contact.get("email"));
            assertThat(row.get("created_at")).isNotNull();
            assertThat(row.get("_crmconnect_synced")).isNotNull();
            assertThat(String.valueOf(row.get("portal_id"))).isEqualTo(Long.toString(sim.portalId()));
        }
        Map<String, String> assocTypes = maria
                .query(
                        db,
                        "SELECT COLUMN_NAME AS c, DATA_TYPE AS t FROM "
                                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + hs + "' "
                                + "AND TABLE_NAME = 'associations_contacts_companies'")
                .stream()
                .collect(Collectors.toMap(r -> String.valueOf(r.get("c")), r -> String.valueOf(r.get("t"))));
        assertThat(assocTypes)
                .containsEntry("from_id", "bigint")
                .containsEntry("to_id", "bigint")
                .containsKeys("from_object_type", "to_object_type", "labels");
        assertThat(maria.query(
                        db,
                        "SELECT DISTINCT COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE "
                                + "TABLE_SCHEMA = '" + hs
                                + "' AND TABLE_NAME = 'contacts' AND INDEX_NAME <> 'PRIMARY'"))
                .extracting(r -> r.get("c"))
                .contains("property_hubspot_owner_id", "created_at", "updated_at");
        assertThat(maria.query(
                        db,
                        "SELECT DISTINCT COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE "
                                + "TABLE_SCHEMA = '" + hs + "' AND TABLE_NAME = 'associations_contacts_companies' "
                                + "AND INDEX_NAME <> 'PRIMARY'"))
                .extracting(r -> r.get("c"))
                .contains("from_id", "to_id");
        assertThat(maria.query(
                        db,
                        "SELECT p.id AS p, s.id AS s, s.label AS l FROM " + hs + ".pipelines p JOIN " + hs
                                + ".pipelines_stages s ON s.pipeline_id = p.id"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("l")).isNotNull());
        assertThat(maria.query(db, "SELECT table_name, status FROM _crmconnect_sync_state"))
                .extracting(r -> r.get("table_name") + "=" + r.get("status"))
                .contains(hs + ".contacts=ok", hs + ".companies=ok", hs + ".owners=ok");

        // changes in HubSpot reach the table: an update, and a deletion as a soft delete
        List<String> ids = sim.ids("contacts");
        String changed = ids.get(0);
        String deleted = ids.get(1);
        ObjectNode u = JSON.createObjectNode().put("id", changed);
        u.putObject("properties").put("email", "renamed-" + changed + "@example.com");
        api.batchUpdate("contacts", List.of(u));
        api.batchArchive("contacts", List.of(deleted));
        cluster.awaitCondition(
                "the update and the deletion in MariaDB",
                Duration.ofSeconds(90),
                () -> count(
                                        maria,
                                        db,
                                        "SELECT COUNT(*) AS n FROM " + hs + ".contacts WHERE id = " + changed
                                                + " AND property_email = 'renamed-" + changed + "@example.com'")
                                == 1
                        && count(
                                        maria,
                                        db,
                                        "SELECT COUNT(*) AS n FROM " + hs + ".contacts WHERE id = " + deleted
                                                + " AND (_crmconnect_deleted = 1 OR archived = 1)")
                                == 1);
        assertThat(cluster.consumeAll(Duration.ofSeconds(2), "hubspot-mariadb-dlq"))
                .isEmpty();
        assertThat(sim.contractViolations()).isEmpty();
        assertThat(cluster.status("hs-mariadb").tasks())
                .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
    }
}
