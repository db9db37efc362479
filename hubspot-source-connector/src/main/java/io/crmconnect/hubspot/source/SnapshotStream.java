package io.crmconnect.hubspot.source;

import io.crmconnect.common.RecordShape;
import io.crmconnect.hubspot.client.AssociationType;
import io.crmconnect.hubspot.client.Associations;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.Owner;
import io.crmconnect.hubspot.client.Page;
import io.crmconnect.hubspot.client.Pipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Small reference data read as periodic snapshots: owners, pipelines (with stages) and labelled associations. Each
 * pass is paged (one call per step); only new or changed entries are sent, and entries that disappeared become
 * tombstones. After a restart the first pass sends everything again (idempotent on a compacted topic). A page that
 * fails transiently is read again after the server's delay (or a backoff), the pass going on from that page; a page
 * only counts as read once all of its calls succeeded, so a failure never turns its entries into tombstones.
 */
abstract class SnapshotStream implements Stream {
    protected final HubSpotSourceConfig config;
    protected final HubSpotClient client;
    private final String name;
    private final String topic;
    private final String portal;
    private final SourceMetrics metrics;
    private final Map<String, Object> partition;
    private final long interval;
    private Map<String, Integer> previous;
    private Map<String, Integer> current;
    private boolean running;
    private long nextRun;
    /** After a transient failure: epoch ms of the next attempt, and failures in a row. */
    private long retryAt;

    private int failures;

    SnapshotStream(HubSpotSourceConfig config, HubSpotClient client, String name, SourceMetrics metrics) {
        this.config = config;
        this.client = client;
        this.name = name;
        this.topic = config.topic(name);
        this.portal = config.getString(HubSpotSourceConfig.PORTAL_ID);
        this.metrics = metrics;
        this.partition = Map.of("stream", name);
        this.interval = config.getLong(HubSpotSourceConfig.SNAPSHOT_INTERVAL_MS);
    }

    /** One entry: key and value. */
    record Entry(String key, Struct value) {}

    /** Reads one page; returns entries and whether the pass is complete. */
    abstract boolean readPage(List<Entry> out);

    /** Starts a new pass (reset paging state). */
    abstract void startPass();

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Map<String, Object>> partitions() {
        return List.of(partition);
    }

    @Override
    public void restore(Map<Map<String, Object>, Map<String, Object>> offsets) {
        nextRun = 0;
    }

    @Override
    public long nextDue() {
        return Math.max(running ? 0 : nextRun, retryAt);
    }

    @Override
    public boolean nextIsSearch() {
        return false;
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (!running) {
            running = true;
            current = new HashMap<>();
            startPass();
        }
        List<Entry> entries = new ArrayList<>();
        boolean done;
        try {
            done = readPage(entries);
        } catch (HubSpotRetriableException e) {
            failures++;
            retryAt = now + Math.max(e.retryAfterMillis(), Math.min(30_000, 1_000L << Math.min(failures - 1, 5)));
            throw e;
        }
        failures = 0;
        retryAt = 0;
        List<SourceRecord> out = new ArrayList<>();
        Map<String, Object> off = Map.of("v", 1, "pass", now);
        for (Entry e : entries) {
            int h = e.value().hashCode();
            Integer prevHash = previous == null ? null : previous.get(e.key());
            current.put(e.key(), h);
            if (prevHash == null || prevHash != h) {
                out.add(new SourceRecord(
                        partition,
                        off,
                        topic,
                        null,
                        Schema.STRING_SCHEMA,
                        e.key(),
                        e.value().schema(),
                        e.value(),
                        null,
                        Headers.of(portal, name, "upsert")));
                metrics.record(name);
            }
        }
        if (done) {
            if (previous != null) {
                for (String k : previous.keySet()) {
                    if (!current.containsKey(k)) {
                        out.add(new SourceRecord(
                                partition,
                                off,
                                topic,
                                null,
                                Schema.STRING_SCHEMA,
                                k,
                                null,
                                null,
                                null,
                                Headers.of(portal, name, "delete")));
                        metrics.record(name);
                    }
                }
            }
            previous = current;
            current = null;
            running = false;
            nextRun = now + interval;
        }
        return out;
    }

    static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }

    // ------------------------------------------------------------------------------------------ owners

    static final class Owners extends SnapshotStream {
        static final Schema SCHEMA = RecordShape.describeAll(
                        SchemaBuilder.struct()
                                .name("io.crmconnect.hubspot.owner")
                                .version(1)
                                .field("id", Schema.STRING_SCHEMA)
                                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                                .field("firstName", Schema.OPTIONAL_STRING_SCHEMA)
                                .field("lastName", Schema.OPTIONAL_STRING_SCHEMA)
                                .field("userId", Schema.OPTIONAL_INT64_SCHEMA)
                                .field("archived", Schema.BOOLEAN_SCHEMA)
                                .field(
                                        "createdAt",
                                        Timestamp.builder().optional().build())
                                .field(
                                        "updatedAt",
                                        Timestamp.builder().optional().build()),
                        List.of("id"),
                        "id")
                .build();
        private String after;
        private boolean archivedPass;

        Owners(HubSpotSourceConfig c, HubSpotClient client, SourceMetrics m) {
            super(c, client, "owners", m);
        }

        @Override
        void startPass() {
            after = null;
            archivedPass = false;
        }

        @Override
        boolean readPage(List<Entry> out) {
            Page<Owner> p = client.owners(after, 100, archivedPass);
            for (Owner o : p.results()) {
                out.add(new Entry(
                        o.id(),
                        new Struct(SCHEMA)
                                .put("id", o.id())
                                .put("email", o.email())
                                .put("firstName", o.firstName())
                                .put("lastName", o.lastName())
                                .put("userId", o.userId())
                                .put("archived", o.archived())
                                .put("createdAt", date(o.createdAt()))
                                .put("updatedAt", date(o.updatedAt()))));
            }
            after = p.after();
            if (after == null && !archivedPass) {
                archivedPass = true; // archived owners stay as records with archived=true
                return false;
            }
            return after == null;
        }
    }

    // ------------------------------------------------------------------------------------------ pipelines

    static final class Pipelines extends SnapshotStream {
        static final Schema STAGE = SchemaBuilder.struct()
                .name("io.crmconnect.hubspot.pipeline_stage")
                .field("id", Schema.STRING_SCHEMA)
                .field("label", Schema.OPTIONAL_STRING_SCHEMA)
                .field("displayOrder", Schema.INT32_SCHEMA)
                .field("archived", Schema.BOOLEAN_SCHEMA)
                .field(
                        "metadata",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                                .build())
                .build();
        static final Schema SCHEMA = RecordShape.describeAll(
                        SchemaBuilder.struct()
                                .name("io.crmconnect.hubspot.pipeline")
                                .version(1)
                                .field("id", Schema.STRING_SCHEMA)
                                .field("objectType", Schema.STRING_SCHEMA)
                                .field("label", Schema.OPTIONAL_STRING_SCHEMA)
                                .field("displayOrder", Schema.INT32_SCHEMA)
                                .field("archived", Schema.BOOLEAN_SCHEMA)
                                .field(
                                        "createdAt",
                                        Timestamp.builder().optional().build())
                                .field(
                                        "updatedAt",
                                        Timestamp.builder().optional().build())
                                .field("stages", SchemaBuilder.array(STAGE).build()),
                        List.of(),
                        null)
                .build();
        private final List<String> types;
        private int index;

        Pipelines(HubSpotSourceConfig c, HubSpotClient client, SourceMetrics m, List<String> types) {
            super(c, client, "pipelines", m);
            this.types = types;
        }

        @Override
        void startPass() {
            index = 0;
        }

        @Override
        boolean readPage(List<Entry> out) {
            String type = types.get(index);
            List<Pipeline> pipelines = client.pipelines(type);
            index++;
            for (Pipeline p : pipelines) {
                List<Struct> stages = new ArrayList<>();
                for (Pipeline.Stage s : p.stages()) {
                    stages.add(new Struct(STAGE)
                            .put("id", s.id())
                            .put("label", s.label())
                            .put("displayOrder", s.displayOrder())
                            .put("archived", s.archived())
                            .put("metadata", new HashMap<>(s.metadata())));
                }
                out.add(new Entry(
                        type + ":" + p.id(),
                        new Struct(SCHEMA)
                                .put("id", p.id())
                                .put("objectType", type)
                                .put("label", p.label())
                                .put("displayOrder", p.displayOrder())
                                .put("archived", p.archived())
                                .put("createdAt", date(p.createdAt()))
                                .put("updatedAt", date(p.updatedAt()))
                                .put("stages", stages)));
            }
            return index >= types.size();
        }
    }

    // ------------------------------------------------------------------------------------------ associations

    static final class AssociationPair extends SnapshotStream {
        static final Schema TYPE = SchemaBuilder.struct()
                .name("io.crmconnect.hubspot.association_type")
                .field("category", Schema.STRING_SCHEMA)
                .field("typeId", Schema.INT32_SCHEMA)
                .field("label", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        static final Schema SCHEMA = RecordShape.describeAll(
                        SchemaBuilder.struct()
                                .name("io.crmconnect.hubspot.association")
                                .version(1)
                                .field("fromObjectType", Schema.STRING_SCHEMA)
                                .field("fromId", Schema.STRING_SCHEMA)
                                .field("toObjectType", Schema.STRING_SCHEMA)
                                .field("toId", Schema.STRING_SCHEMA)
                                .field(
                                        "labels",
                                        SchemaBuilder.array(Schema.STRING_SCHEMA)
                                                .build())
                                .field("types", SchemaBuilder.array(TYPE).build()),
                        List.of("fromId", "toId"),
                        null)
                .build();
        private final String from;
        private final String to;
        private String after;

        AssociationPair(HubSpotSourceConfig c, HubSpotClient client, SourceMetrics m, String from, String to) {
            super(c, client, "associations." + from + "." + to, m);
            this.from = from;
            this.to = to;
        }

        @Override
        void startPass() {
            after = null;
        }

        @Override
        boolean readPage(List<Entry> out) {
            Page<CrmObject> ids = client.list(from, List.of("hs_object_id"), null, after, 100, false);
            if (!ids.results().isEmpty()) {
                List<String> fromIds = ids.results().stream().map(CrmObject::id).toList();
                for (Associations a : client.associations(from, to, fromIds)) {
                    for (Associations.Associated t : a.to()) {
                        List<Struct> types = new ArrayList<>();
                        Set<String> labels = new HashSet<>();
                        for (AssociationType at : t.types()) {
                            types.add(new Struct(TYPE)
                                    .put("category", at.category())
                                    .put("typeId", at.typeId())
                                    .put("label", at.label()));
                            if (at.label() != null) {
                                labels.add(at.label());
                            }
                        }
                        types.sort((x, y) -> Integer.compare(x.getInt32("typeId"), y.getInt32("typeId")));
                        List<String> sortedLabels = new ArrayList<>(labels);
                        sortedLabels.sort(null);
                        out.add(new Entry(
                                a.fromId() + "-" + t.toObjectId(),
                                new Struct(SCHEMA)
                                        .put("fromObjectType", from)
                                        .put("fromId", a.fromId())
                                        .put("toObjectType", to)
                                        .put("toId", t.toObjectId())
                                        .put("labels", sortedLabels)
                                        .put("types", types)));
                    }
                }
            }
            after = ids.after(); // only now: a failed associations read re-reads this page
            return after == null;
        }
    }
}
