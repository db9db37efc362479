package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.common.sink.DeadLetterException;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.simulator.dynamics.DynamicsFault;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.testharness.RecordingSinkTaskContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink task driven as a worker drives it (put, preCommit, consumed again after a transient failure) against the
 * Dataverse simulator over HTTP, with Connect's errant-record reporting recorded.
 */
class SinkTaskIT {
    private static final String TOPIC = "warehouse.people";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    static final Schema PERSON = SchemaBuilder.struct()
            .name("person")
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("first", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last", Schema.OPTIONAL_STRING_SCHEMA)
            .field("title", Schema.OPTIONAL_STRING_SCHEMA)
            .field("gender", Schema.OPTIONAL_STRING_SCHEMA)
            .field("credit", Decimal.builder(2).optional().build())
            .field("company", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private DynamicsSimulator sim;
    private final List<DynamicsSinkTask> tasks = new ArrayList<>();
    private long offset;

    @BeforeEach
    void startSim() {
        sim = DynamicsSimulator.builder().seed(3).contacts(20).accounts(5).start();
    }

    @AfterEach
    void stop() {
        tasks.forEach(DynamicsSinkTask::stop);
        sim.close();
    }

    private Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("dynamics.url", sim.baseUrl());
        c.put("dynamics.tenant.id", sim.tenantId());
        c.put("dynamics.client.id", sim.clientId());
        c.put("dynamics.client.secret", sim.clientSecret());
        c.put("dynamics.token.url", sim.tokenUrl());
        c.put("dynamics.retry.budget.ms", "5000");
        c.put("table", "contact");
        c.put("alternate.key", "emailaddress1");
        c.put(
                "field.mapping",
                "email:emailaddress1,first:firstname,last:lastname,title:jobtitle,gender:gendercode,"
                        + "credit:creditlimit");
        c.put("lookups", "company>parentcustomerid_account.accountnumber");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq");
        return c;
    }

    private DynamicsSinkTask start(Map<String, String> config, RecordingSinkTaskContext ctx) {
        DynamicsSinkTask t = new DynamicsSinkTask();
        t.initialize(ctx);
        t.start(config);
        tasks.add(t);
        return t;
    }

    private SinkRecord person(
            String email, String first, String last, String title, String gender, String credit, String company) {
        Struct s = new Struct(PERSON)
                .put("email", email)
                .put("first", first)
                .put("last", last)
                .put("title", title)
                .put("gender", gender)
                .put("credit", credit == null ? null : new BigDecimal(credit))
                .put("company", company);
        return new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, email, PERSON, s, offset++);
    }

    private SinkRecord tombstone(String email) {
        return new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, email, null, null, offset++);
    }

    /** put() returns with its writes in flight; the assertions read the simulator, so wait for them. */
    private static void put(DynamicsSinkTask t, List<SinkRecord> records) {
        t.put(records);
        t.awaitWrites(Set.of());
    }

    private Map<String, Object> contactByEmail(String email) {
        for (Map<String, Object> r : sim.rows("contact")) {
            if (email.equalsIgnoreCase(String.valueOf(r.get("emailaddress1")))) {
                return r;
            }
        }
        return null;
    }

    private String accountNumber() {
        return String.valueOf(sim.rows("account").get(0).get("accountnumber"));
    }

    private long writes() {
        return sim.routeCount("POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple")
                + sim.routeCount("POST /$batch");
    }

    @Test
    void upsertsByKeyWithLabelsAndLookupsThenAReplayWritesNothing() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(config(), true, TP);
        DynamicsSinkTask t = start(config(), ctx);
        String acct = accountNumber();
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(person(
                    "p" + i + "@example.com",
                    "First" + i,
                    "Last" + i,
                    "Engineer",
                    i % 2 == 0 ? "Female" : "male",
                    "1000.50",
                    acct));
        }
        put(t, batch);
        assertThat(ctx.reported()).isEmpty();
        Map<String, Object> row = contactByEmail("p4@example.com");
        assertThat(row.get("lastname")).isEqualTo("Last4");
        assertThat(((Number) row.get("gendercode")).intValue()).isEqualTo(2);
        assertThat(new BigDecimal(row.get("creditlimit").toString())).isEqualByComparingTo("1000.50");
        assertThat(row.get("_parentcustomerid_value"))
                .isEqualTo(sim.rows("account").get(0).get("accountid"));
        assertThat(t.metrics().created.get()).isEqualTo(30);
        Map<TopicPartition, OffsetAndMetadata> committed = t.preCommit(Map.of(TP, new OffsetAndMetadata(0)));
        assertThat(committed.get(TP).offset()).isEqualTo(30);

        // the same records again (a replay): nothing differs, nothing is written, versions stay
        Object version = row.get("versionnumber");
        long before = writes();
        offset = 0;
        List<SinkRecord> replay = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            replay.add(person(
                    "p" + i + "@example.com",
                    "First" + i,
                    "Last" + i,
                    "Engineer",
                    i % 2 == 0 ? "Female" : "male",
                    "1000.5",
                    acct));
        }
        DynamicsSinkTask fresh = start(config(), new RecordingSinkTaskContext(config(), true, TP));
        put(fresh, replay);
        assertThat(writes()).isEqualTo(before);
        assertThat(fresh.metrics().unchanged.get()).isEqualTo(30);
        assertThat(contactByEmail("p4@example.com").get("versionnumber")).isEqualTo(version);

        // one column changed: one row written
        put(fresh, List.of(person("p4@example.com", "First4", "Last4", "Director", "Female", "1000.50", acct)));
        assertThat(fresh.metrics().updated.get()).isEqualTo(1);
        assertThat(contactByEmail("p4@example.com").get("jobtitle")).isEqualTo("Director");
    }

    /**
     * A record planned against a row version (the two-way sync's) is written only over that version: a row edited
     * meanwhile is left as it is (If-Match refused with 412), and the record is consumed again, not dead-lettered.
     */
    @Test
    void aRecordWithAnExpectedVersionIsWrittenOnlyOverThatVersionElseConsumedAgain() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(config(), true, TP);
        DynamicsSinkTask t = start(config(), ctx);
        put(t, List.of(person("cas@example.com", "Ada", "Lovelace", "Engineer", null, null, null)));
        Map<String, Object> row = contactByEmail("cas@example.com");
        String id = String.valueOf(row.get("contactid"));
        String planned = String.valueOf(row.get("@odata.etag"));
        sim.update("contact", id, Map.of("jobtitle", "Edited by a user"));

        SinkRecord stale = person("cas@example.com", "Ada", "King", "Countess", null, null, null);
        stale.headers().addString(ExpectedVersion.HEADER, planned);
        SinkRecord after = person("after@example.com", "Alan", "Turing", "Engineer", null, null, null);
        put(t, List.of(stale, after));
        assertThat(contactByEmail("cas@example.com"))
                .containsEntry("lastname", "Lovelace")
                .containsEntry("jobtitle", "Edited by a user");
        assertThat(contactByEmail("after@example.com")).isNotNull();
        assertThat(ctx.reported()).isEmpty();
        assertThat(t.metrics().changedSincePlanned.get()).isEqualTo(1);
        assertThat(ctx.offsetsRequested()).isEqualTo(Map.of(TP, stale.kafkaOffset()));
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(0))).get(TP).offset())
                .isEqualTo(stale.kafkaOffset());

        // consumed again and planned again against the row as it is now: written
        SinkRecord replanned =
                new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, stale.key(), PERSON, stale.value(), stale.kafkaOffset());
        replanned
                .headers()
                .addString(
                        ExpectedVersion.HEADER,
                        String.valueOf(contactByEmail("cas@example.com").get("@odata.etag")));
        put(t, List.of(replanned, after));
        assertThat(contactByEmail("cas@example.com"))
                .containsEntry("lastname", "King")
                .containsEntry("jobtitle", "Countess");
        assertThat(t.metrics().changedSincePlanned.get()).isEqualTo(1);
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(0))).get(TP).offset())
                .isEqualTo(after.kafkaOffset() + 1);
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueWithDataversesCodeAndTheRestLands() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(config(), true, TP);
        DynamicsSinkTask t = start(config(), ctx);
        String acct = accountNumber();
        String longTitle = "x".repeat(500);
        put(
                t,
                List.of(
                        person("ok1@example.com", "A", "Ok", null, null, null, null),
                        person("bad-title@example.com", "B", "Bad", longTitle, null, null, null),
                        person("bad-gender@example.com", "C", "Bad", null, "Unknown", null, null),
                        person("bad-company@example.com", "D", "Bad", null, null, null, "NO-SUCH-ACCOUNT"),
                        person(null, "E", "No key", null, null, null, null),
                        person("ok2@example.com", "F", "Ok", null, null, null, acct)));
        assertThat(contactByEmail("ok1@example.com")).isNotNull();
        assertThat(contactByEmail("ok2@example.com")).isNotNull();
        assertThat(contactByEmail("bad-title@example.com")).isNull();
        Map<String, DeadLetter> byEmail = new HashMap<>();
        for (RecordingSinkTaskContext.Reported r : ctx.reported()) {
            byEmail.put(String.valueOf(r.record().key()), ((DeadLetterException) r.error()).deadLetter());
            Header h = r.record().headers().lastWithName(DeadLetter.H_REASON);
            assertThat(h).isNotNull();
        }
        assertThat(byEmail)
                .containsOnlyKeys("bad-title@example.com", "bad-gender@example.com", "bad-company@example.com", "null");
        assertThat(byEmail.get("bad-title@example.com").code()).isEqualTo("0x80044331");
        assertThat(byEmail.get("bad-title@example.com").reason()).isEqualTo("REJECTED");
        assertThat(byEmail.get("bad-title@example.com").system()).isEqualTo("dynamics365");
        assertThat(byEmail.get("bad-gender@example.com").reason()).isEqualTo("INVALID_CHOICE");
        assertThat(byEmail.get("bad-company@example.com").reason()).isEqualTo("LOOKUP_NOT_FOUND");
        assertThat(byEmail.get("null").reason()).isEqualTo("MISSING_KEY");
        for (DeadLetter d : byEmail.values()) {
            assertThat(d.summary())
                    .doesNotContain("@example.com")
                    .doesNotContain("xxxxxxxx")
                    .doesNotContain("NO-SUCH-ACCOUNT");
        }
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(0))).get(TP).offset())
                .isEqualTo(6);
    }

    @Test
    void deletesApplyInOffsetOrderWithUpsertsOfTheSameKey() {
        Map<String, String> cfg = config();
        cfg.put("delete.mode", "delete");
        DynamicsSinkTask t = start(cfg, new RecordingSinkTaskContext(cfg, true, TP));
        put(
                t,
                List.of(
                        person("gone@example.com", "G", "One", null, null, null, null),
                        person("back@example.com", "B", "Two", null, null, null, null)));
        put(
                t,
                List.of(
                        person("gone@example.com", "G", "Updated", null, null, null, null),
                        tombstone("gone@example.com"),
                        tombstone("back@example.com"),
                        person("back@example.com", "B", "Again", null, null, null, null),
                        tombstone("never@example.com")));
        assertThat(contactByEmail("gone@example.com")).isNull();
        assertThat(contactByEmail("back@example.com").get("lastname")).isEqualTo("Again");
        assertThat(t.metrics().deleted.get()).isEqualTo(2);
    }

    @Test
    void protectedFillIfMissingCreateOnlyAndUpdateOnly() {
        Map<String, String> cfg = config();
        cfg.put("columns.protected", "jobtitle");
        cfg.put("columns.fill.if.missing", "firstname");
        DynamicsSinkTask t = start(cfg, new RecordingSinkTaskContext(cfg, true, TP));
        put(t, List.of(person("rules@example.com", "Ann", "Rules", "CEO", null, null, null)));
        Map<String, Object> row = contactByEmail("rules@example.com");
        assertThat(row.get("jobtitle")).isNull();
        assertThat(row.get("firstname")).isEqualTo("Ann");
        put(t, List.of(person("rules@example.com", "Bob", "Rules2", "CEO", null, null, null)));
        row = contactByEmail("rules@example.com");
        assertThat(row.get("firstname")).isEqualTo("Ann");
        assertThat(row.get("lastname")).isEqualTo("Rules2");

        Map<String, String> createOnly = config();
        createOnly.put("write.mode", "create_only");
        DynamicsSinkTask c = start(createOnly, new RecordingSinkTaskContext(createOnly, true, TP));
        put(
                c,
                List.of(
                        person("rules@example.com", "X", "Not written", null, null, null, null),
                        person("created@example.com", "Y", "Created", null, null, null, null)));
        assertThat(contactByEmail("rules@example.com").get("lastname")).isEqualTo("Rules2");
        assertThat(contactByEmail("created@example.com")).isNotNull();
        assertThat(c.metrics().skipped.get()).isEqualTo(1);

        Map<String, String> updateOnly = config();
        updateOnly.put("write.mode", "update_only");
        RecordingSinkTaskContext uctx = new RecordingSinkTaskContext(updateOnly, true, TP);
        DynamicsSinkTask u = start(updateOnly, uctx);
        put(
                u,
                List.of(
                        person("created@example.com", "Y", "Updated", null, null, null, null),
                        person("missing@example.com", "Z", "Missing", null, null, null, null)));
        assertThat(contactByEmail("created@example.com").get("lastname")).isEqualTo("Updated");
        assertThat(contactByEmail("missing@example.com")).isNull();
        assertThat(uctx.reported())
                .singleElement()
                .satisfies(r -> assertThat(
                                ((DeadLetterException) r.error()).deadLetter().reason())
                        .isEqualTo("NOT_FOUND"));
    }

    @Test
    void transientFailuresAreRetriedAndARedeliveredBatchCreatesNothingTwice() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(config(), true, TP);
        DynamicsSinkTask t = start(config(), ctx);
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(person("retry" + i + "@example.com", "R", "Retry" + i, null, null, null, null));
        }
        batch.add(person("bad@example.com", "B", "Bad", "y".repeat(500), null, null, null));
        // every write fails for longer than the retry budget: the batch is consumed again from its first record
        sim.addFault(DynamicsFault.status("POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple", 503, 1.0));
        sim.addFault(DynamicsFault.status("POST /$batch", 503, 1.0));
        put(t, batch);
        assertThat(ctx.offsetsRequested()).containsEntry(TP, batch.get(0).kafkaOffset());
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(batch.get(40).kafkaOffset() + 1)))
                        .getOrDefault(TP, new OffsetAndMetadata(0))
                        .offset())
                .isLessThanOrEqualTo(batch.get(0).kafkaOffset());
        assertThat(ctx.reported()).isEmpty();
        sim.clearFaults();
        // 429s and resets: retried inside the budget
        sim.addFault(DynamicsFault.throttle("POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple", "0x80072322", 1)
                .times(2));
        sim.addFault(DynamicsFault.of("GET /{entityset}", DynamicsFault.Kind.CONNECTION_RESET, 1.0)
                .times(1));
        put(t, batch);
        put(t, batch); // delivered once more (a rebalance): handled records are skipped
        long created = sim.rows("contact").stream()
                .filter(r -> String.valueOf(r.get("emailaddress1")).startsWith("retry"))
                .count();
        assertThat(created).isEqualTo(40);
        assertThat(ctx.reported()).hasSize(1);
        assertThat(t.client().budget().throttled()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void writesStayInFlightAcrossPutsYetRowsApplyInOffsetOrderAndCommitOnlyWhenWritten() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(config(), true, TP);
        DynamicsSinkTask t = start(config(), ctx);
        // only the first write is slow: without waiting for it, the next put()'s write of the same row would land first
        sim.addFault(DynamicsFault.latency("POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple", 700, 700)
                .times(1));
        SinkRecord first = person("order@example.com", "Old", "Order", "Clerk", null, null, null);
        SinkRecord other = person("other@example.com", "Other", "Order", "Clerk", null, null, null);
        t.put(List.of(first, other));
        // put() returned with the write in flight: nothing of that batch may be committed yet
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(other.kafkaOffset() + 1))))
                .doesNotContainKey(TP);
        SinkRecord second = person("order@example.com", "New", "Order", "Manager", null, null, null);
        t.put(List.of(second)); // the same row: read and written only after the first write ended
        t.awaitWrites(Set.of());
        sim.clearFaults();
        assertThat(contactByEmail("order@example.com"))
                .containsEntry("firstname", "New")
                .containsEntry("jobtitle", "Manager");
        assertThat(contactByEmail("other@example.com")).containsEntry("firstname", "Other");
        assertThat(t.preCommit(Map.of(TP, new OffsetAndMetadata(second.kafkaOffset() + 1)))
                        .get(TP)
                        .offset())
                .isEqualTo(second.kafkaOffset() + 1);
        t.stop();
    }
}
