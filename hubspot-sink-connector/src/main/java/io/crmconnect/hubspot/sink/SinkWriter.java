package io.crmconnect.hubspot.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.AssociationType;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import io.crmconnect.common.normalize.Normalizers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of sink records to one HubSpot object: converts values, resolves identity (HubSpot id, unique
 * property, ordered match tiers), applies the field rules against the current HubSpot record, writes in batches of
 * ≤100 and routes exactly the failing records to the dead-letter reporter. Transient HubSpot failures propagate as
 * {@link io.crmconnect.hubspot.client.HubSpotRetriableException} (the caller hands the batch back to Connect); every
 * write is idempotent, so a redelivery creates nothing twice.
 */
final class SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Search bodies must stay under HubSpot's 3,000 characters. */
    static final int MAX_SEARCH_BODY = 2_900;
    /** HubSpot's search limits: filter groups per request, filters per request. */
    static final int MAX_SEARCH_GROUPS = 5;
    static final int MAX_SEARCH_FILTERS = 18;
    /** Records per filter group when a search splits its records over groups. */
    static final int GROUP_RECORDS = 20;


    /** Receives dead-lettered records. */
    interface DeadLetters {
        void report(SinkRecord record, DeadLetter failure);
    }

    /** Counters (exposed in logs and for tests/benchmarks). */
    static final class Stats {
        final AtomicLong created = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong archived = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final AtomicLong associations = new AtomicLong();
        final AtomicLong searches = new AtomicLong();
        final AtomicLong searchMillis = new AtomicLong();
        final Map<String, AtomicLong> matchedBy = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String toString() {
            return "created=" + created + " updated=" + updated + " skipped=" + skipped + " archived=" + archived
                    + " deadLettered=" + deadLettered + " associations=" + associations + " matchedBy=" + matchedBy
                    + " searches=" + searches + " searchMillis=" + searchMillis;
        }
    }

    /** One record on its way to HubSpot. */
    static final class Item {
        final SinkRecord record;
        final Map<String, Object> raw = new LinkedHashMap<>();
        final Map<String, Schema> schemas = new HashMap<>();
        final Map<String, String> props = new LinkedHashMap<>();
        final Map<String, Object> assocValues = new HashMap<>();
        String hubspotId;
        String uniqueValue;
        String email;
        CrmObject existing;
        String resolvedBy;
        String writtenId;
        boolean done;

        Item(SinkRecord record) {
            this.record = record;
        }

        String identityKey() {
            if (hubspotId != null) {
                return "id:" + hubspotId;
            }
            if (uniqueValue != null) {
                return "u:" + uniqueValue;
            }
            if (email != null) {
                return "e:" + email;
            }
            return record.key() == null ? null : "k:" + record.key();
        }
    }

    /** A tier of the matching. */
    record Tier(int number, List<String> properties, List<String> normalizers, List<Boolean> optional,
            boolean uniqueLookup) {
        String label() {
            return "tier " + number + " (" + String.join(",", properties) + ")";
        }
    }

    private final HubSpotClient client;
    private final HubSpotSinkConfig config;
    private final PropertyCatalog catalog;
    private final String objectType;
    private final DeadLetters dlq;
    /** Property names stay readable in HubSpot's messages; values do not. */
    private final ErrorSanitizer sanitizer;
    private final ValueConverter converter;
    private final Normalizers.DateFormats dateFormats;
    private final Map<String, String> mapping;
    private final Set<String> protectedProps;
    private final Set<String> fillIfMissing;
    private final Map<String, String> skipGuards;
    private final List<Tier> tiers = new ArrayList<>();
    private final List<HubSpotSinkConfig.AssociationRule> assocRules;
    private final Map<HubSpotSinkConfig.AssociationRule, ResolvedAssociation> resolvedAssoc = new HashMap<>();
    private final String idField;
    private final String uniqueProperty;
    private final String uniqueField;
    private final int batchSize;
    private final int maxSearchValues;
    private final HubSpotSinkConfig.WriteMode mode;
    private final List<String> readProperties;
    /** Tier keys of records this task created, so a redelivery finds them even before HubSpot's index does. */
    private final Map<String, String> createdKeys = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 200_000;
        }
    };
    final Stats stats = new Stats();
    private final java.util.concurrent.ExecutorService pool;
    private final MatchIndex index;
    /** Per tier: {candidates, records} seen by exact-component searches (is exact blocking selective?). */
    private final Map<Integer, long[]> selectivity = new java.util.concurrent.ConcurrentHashMap<>();
    /** When this writer first created records (epoch ms), null before. */
    private volatile Long firstCreateMillis;

    record ResolvedAssociation(String toType, List<AssociationType> types, boolean byId) {
    }

    SinkWriter(HubSpotClient client, HubSpotSinkConfig config, PropertyCatalog catalog, DeadLetters dlq) {
        this.client = client;
        this.config = config;
        this.catalog = catalog;
        this.objectType = catalog.objectType;
        this.dlq = dlq;
        this.sanitizer = ErrorSanitizer.keeping(catalog.props.keySet());
        this.converter = new ValueConverter(config.zone());
        List<String> formats = config.getList(HubSpotSinkConfig.MATCH_DATE_FORMATS);
        this.dateFormats = formats.isEmpty() ? Normalizers.DateFormats.DEFAULT : new Normalizers.DateFormats(formats);
        this.mapping = config.mapping();
        this.protectedProps = new HashSet<>(config.getList(HubSpotSinkConfig.PROTECTED));
        this.fillIfMissing = new HashSet<>(config.getList(HubSpotSinkConfig.FILL_IF_MISSING));
        this.skipGuards = config.skipGuards();
        this.assocRules = config.associations();
        this.idField = config.getString(HubSpotSinkConfig.ID_FIELD).trim();
        this.uniqueProperty = config.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        String uf = config.getString(HubSpotSinkConfig.UNIQUE_FIELD).trim();
        this.uniqueField = uf;
        this.batchSize = config.getInt(HubSpotSinkConfig.BATCH_SIZE);
        this.maxSearchValues = config.getInt(HubSpotSinkConfig.MATCH_SEARCH_RECORDS);
        this.mode = config.writeMode();
        Map<String, String> norms = config.normalizers();
        int n = 0;
        for (List<String> t : config.tiers()) {
            List<String> props = new ArrayList<>();
            List<String> ns = new ArrayList<>();
            List<Boolean> opt = new ArrayList<>();
            for (String p : t) {
                boolean optional = p.endsWith("?");
                String name = optional ? p.substring(0, p.length() - 1) : p;
                props.add(name);
                opt.add(optional);
                PropertyCatalog.Prop def = catalog.get(name);
                ns.add(norms.getOrDefault(name, MatchKeys.defaultFor(name, def == null ? null : def.type())));
            }
            boolean unique = props.size() == 1 && catalog.isUniqueKey(props.get(0));
            tiers.add(new Tier(++n, props, ns, opt, unique));
        }
        Set<String> read = new LinkedHashSet<>();
        tiers.forEach(t -> read.addAll(t.properties()));
        read.addAll(skipGuards.keySet());
        read.addAll(fillIfMissing);
        if (!uniqueProperty.isEmpty()) {
            read.add(uniqueProperty);
        }
        if (catalog.isContacts()) {
            read.add("email");
        }
        this.readProperties = new ArrayList<>(read);
        boolean searchTiers = tiers.stream().anyMatch(t -> !t.uniqueLookup());
        this.index = searchTiers && "index".equals(config.getString(HubSpotSinkConfig.MATCH_STRATEGY))
                ? new MatchIndex(client, objectType, readProperties, tiers, this::hubspotKey, catalog.isContacts(),
                        config.getLong(HubSpotSinkConfig.MATCH_INDEX_REFRESH_MS))
                : null;
        int inFlight = config.getInt(HubSpotSinkConfig.IN_FLIGHT);
        this.pool = inFlight <= 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "hubspot-sink-writer");
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------------------------------ entry point

    /** Writes one batch from put(). Throws HubSpotRetriableException for transient failures (batch redelivered). */
    void write(List<SinkRecord> records) {
        List<Item> items = new ArrayList<>(records.size());
        List<Item> tombstones = new ArrayList<>();
        for (SinkRecord r : records) {
            Item it = new Item(r);
            if (r.value() == null) {
                tombstones.add(it);
                continue;
            }
            try {
                extract(it);
                items.add(it);
            } catch (ValueConverter.ConversionException e) {
                fail(it, Failure.of(e.reason, "").withDetail(sanitizer, e.getMessage()));
            } catch (RuntimeException e) {
                fail(it, Failure.of(DeadLetter.CONVERSION_FAILED, "").withDetail(sanitizer, e.getMessage()));
            }
        }
        if (!tombstones.isEmpty()) {
            archive(tombstones);
        }
        // Several records for the same identity in one batch: write them in order, one per round.
        List<List<Item>> rounds = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Item it : items) {
            String k = it.identityKey();
            int round = k == null ? 0 : seen.merge(k, 1, Integer::sum) - 1;
            while (rounds.size() <= round) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(it);
        }
        for (List<Item> round : rounds) {
            process(round);
        }
    }

    // ------------------------------------------------------------------------------------------ conversion

    private void extract(Item it) {
        Object value = it.record.value();
        Schema schema = it.record.valueSchema();
        Map<String, String> map = mapping;
        if (map.isEmpty()) {
            map = new LinkedHashMap<>();
            for (String f : topLevelFields(value, schema)) {
                map.put(f, f);
            }
        }
        for (Map.Entry<String, String> m : map.entrySet()) {
            Object[] vs = lookup(value, schema, m.getKey());
            if (vs == null) {
                continue; // field absent from this record
            }
            String prop = m.getValue();
            it.raw.put(prop, vs[0]);
            it.schemas.put(prop, (Schema) vs[1]);
        }
        for (HubSpotSinkConfig.AssociationRule a : assocRules) {
            Object[] vs = lookup(value, schema, a.field());
            if (vs != null && vs[0] != null) {
                it.assocValues.put(a.field(), vs[0]);
            }
        }
        if (!idField.isEmpty()) {
            Object id = "_key".equals(idField) ? it.record.key() : valueOf(lookup(value, schema, idField));
            if (id != null && !id.toString().isBlank()) {
                String s = id.toString().trim();
                if (s.endsWith(".0")) {
                    s = s.substring(0, s.length() - 2);
                }
                it.hubspotId = s;
            }
        }
        if (!uniqueProperty.isEmpty()) {
            Object u = uniqueField.isEmpty() ? it.raw.get(uniqueProperty)
                    : "_key".equals(uniqueField) ? it.record.key() : valueOf(lookup(value, schema, uniqueField));
            if (u != null && !u.toString().isBlank()) {
                it.uniqueValue = catalog.isContacts() && uniqueProperty.equals("email")
                        ? Normalizers.email(u.toString()) : u.toString().trim();
                it.raw.putIfAbsent(uniqueProperty, u);
            }
        }
        if (catalog.isContacts()) {
            Object e = it.raw.get("email");
            it.email = e == null ? null : Normalizers.email(e.toString());
        }
        for (Map.Entry<String, Object> e : it.raw.entrySet()) {
            String prop = e.getKey();
            PropertyCatalog.Prop def = catalog.get(prop);
            String v = e.getValue() == null ? null : config.getBoolean(HubSpotSinkConfig.ENUM_CHECK) || def == null
                    || !"enumeration".equals(def.type())
                    ? converter.convert(prop, e.getValue(), it.schemas.get(prop), def)
                    : e.getValue().toString();
            if (v != null && prop.equals("email") && catalog.isContacts()) {
                v = Normalizers.email(v);
            }
            it.props.put(prop, v);
        }
    }

    private static Object valueOf(Object[] vs) {
        return vs == null ? null : vs[0];
    }

    private static List<String> topLevelFields(Object value, Schema schema) {
        List<String> out = new ArrayList<>();
        if (value instanceof Struct s) {
            for (Field f : s.schema().fields()) {
                out.add(f.name());
            }
        } else if (value instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> out.add(String.valueOf(k)));
        } else {
            throw new ValueConverter.ConversionException("CONVERSION_FAILED",
                    "record value must be a Struct or a Map, got " + value.getClass().getSimpleName());
        }
        return out;
    }

    /** {value, schema} of a (dotted) field, or null when the field does not exist in this record. */
    static Object[] lookup(Object value, Schema schema, String path) {
        Object cur = value;
        Schema curSchema = schema;
        for (String part : path.split("\\.")) {
            if (cur instanceof Struct s) {
                Field f = s.schema().field(part);
                if (f == null) {
                    return null;
                }
                cur = s.get(f);
                curSchema = f.schema();
            } else if (cur instanceof Map<?, ?> m) {
                if (!m.containsKey(part)) {
                    return null;
                }
                cur = m.get(part);
                curSchema = null;
            } else {
                return cur == null ? new Object[] {null, null} : null;
            }
        }
        return new Object[] {cur, curSchema};
    }

    // ------------------------------------------------------------------------------------------ identity

    private boolean needsCurrentRecord() {
        return !skipGuards.isEmpty() || !fillIfMissing.isEmpty() || mode != HubSpotSinkConfig.WriteMode.UPSERT
                || !tiers.isEmpty() || !idField.isEmpty() || uniqueProperty.isEmpty();
    }

    private void process(List<Item> round) {
        if (round.isEmpty()) {
            return;
        }
        if (!needsCurrentRecord()) {
            fastUpsert(round);
            return;
        }
        resolveById(round);
        resolveByUnique(round);
        if (index != null && round.stream().anyMatch(i -> !i.done && i.existing == null)) {
            index.refresh();
        }
        resolveByTiers(round);
        List<Item> updates = new ArrayList<>();
        List<Item> creates = new ArrayList<>();
        for (Item it : round) {
            if (it.done) {
                continue;
            }
            if (it.existing != null) {
                if (mode == HubSpotSinkConfig.WriteMode.CREATE_ONLY) {
                    skip(it);
                    continue;
                }
                if (guarded(it)) {
                    skip(it);
                    continue;
                }
                Map<String, String> p = rules(it, it.existing);
                if (!uniqueProperty.isEmpty() && it.uniqueValue != null
                        && !it.uniqueValue.equals(it.existing.property(uniqueProperty))) {
                    p.put(uniqueProperty, it.uniqueValue); // write back the natural key
                }
                it.props.clear();
                it.props.putAll(p);
                updates.add(it);
            } else {
                if (mode == HubSpotSinkConfig.WriteMode.UPDATE_ONLY) {
                    fail(it, Failure.of("NOT_FOUND", "no existing " + objectType + " record for this record "
                            + "(write.mode=update-only)"));
                    continue;
                }
                if (!tiers.isEmpty() && catalog.isContacts() && it.email == null
                        && config.getBoolean(HubSpotSinkConfig.MATCH_REQUIRE_EMAIL)) {
                    fail(it, Failure.of("NO_EMAIL_NO_MATCH", "the record has no email and matches no contact in any "
                            + "of " + tiers.size() + " tiers; quarantined instead of creating an unfindable contact"));
                    continue;
                }
                Map<String, String> p = rules(it, null);
                it.props.clear();
                it.props.putAll(p);
                creates.add(it);
            }
        }
        // Two records of this round resolved to the same HubSpot record (e.g. matched by different tiers): write
        // them one after the other, in offset order, never in the same or concurrent batches.
        List<List<Item>> layers = new ArrayList<>();
        Map<String, Integer> seenIds = new HashMap<>();
        for (Item it : updates) {
            int layer = seenIds.merge(it.existing.id(), 1, Integer::sum) - 1;
            while (layers.size() <= layer) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer).add(it);
        }
        for (List<Item> layer : layers) {
            writeUpdates(layer);
        }
        writeCreates(creates);
        writeAssociations(round);
    }

    private void resolveById(List<Item> round) {
        List<Item> todo = round.stream().filter(i -> !i.done && i.hubspotId != null).toList();
        forEachChunk(chunks(todo, batchSize), chunk -> {
            BatchResult r = client.batchRead(objectType, chunk.stream().map(i -> i.hubspotId).toList(),
                    readProperties, null, false);
            Map<String, CrmObject> byId = new HashMap<>();
            r.results().forEach(o -> byId.put(o.id(), o));
            for (Item it : chunk) {
                CrmObject o = byId.get(it.hubspotId);
                if (o != null) {
                    it.existing = o;
                    it.resolvedBy = "id";
                }
            }
        });
    }

    private void resolveByUnique(List<Item> round) {
        if (uniqueProperty.isEmpty()) {
            return;
        }
        List<Item> todo = round.stream().filter(i -> !i.done && i.existing == null && i.uniqueValue != null)
                .toList();
        forEachChunk(chunks(todo, batchSize), chunk -> {
            Map<String, CrmObject> found = readByUnique(uniqueProperty,
                    chunk.stream().map(i -> i.uniqueValue).toList());
            for (Item it : chunk) {
                CrmObject o = found.get(uniqueNorm(uniqueProperty, it.uniqueValue));
                if (o != null) {
                    it.existing = o;
                    it.resolvedBy = "unique";
                }
            }
        });
    }

    private String uniqueNorm(String prop, String v) {
        return catalog.isContacts() && prop.equals("email") ? Normalizers.email(v) : v;
    }

    private Map<String, CrmObject> readByUnique(String prop, List<String> values) {
        BatchResult r = client.batchRead(objectType, new LinkedHashSet<>(values), readProperties, prop, false);
        Map<String, CrmObject> out = new HashMap<>();
        for (CrmObject o : r.results()) {
            String v = o.property(prop);
            if (v != null) {
                out.put(uniqueNorm(prop, v), o);
            }
        }
        return out;
    }

    private void resolveByTiers(List<Item> round) {
        List<Item> pending = new ArrayList<>(round.stream().filter(i -> !i.done && i.existing == null).toList());
        for (Tier tier : tiers) {
            if (pending.isEmpty()) {
                return;
            }
            Map<Item, String> keys = new IdentityHashMap<>();
            List<Item> applicable = new ArrayList<>();
            for (Item it : pending) {
                String k;
                try {
                    k = recordKey(tier, it);
                } catch (IllegalArgumentException e) {
                    k = null; // e.g. an unreadable date of birth: this tier cannot match the record
                }
                if (k != null) {
                    keys.put(it, k);
                    applicable.add(it);
                }
            }
            if (applicable.isEmpty()) {
                continue;
            }
            Map<String, List<CrmObject>> hits = tier.uniqueLookup() ? uniqueHits(tier, applicable, keys)
                    : index != null ? indexHits(tier, applicable, keys) : searchHits(tier, applicable, keys);
            List<Item> next = new ArrayList<>();
            for (Item it : pending) {
                String k = keys.get(it);
                List<CrmObject> h = k == null ? List.of() : hits.getOrDefault(k, List.of());
                if (h.isEmpty()) {
                    String created;
                    synchronized (this) {
                        created = k == null ? null : createdKeys.get(tier.number() + "|" + k);
                    }
                    if (created != null) {
                        it.existing = new CrmObject(created, Map.of(), null, null, false, null, Map.of());
                        it.resolvedBy = tier.label() + " (created by this task)";
                        stats.matchedBy.computeIfAbsent("tier" + tier.number(), x -> new AtomicLong())
                                .incrementAndGet();
                    } else {
                        next.add(it);
                    }
                } else if (h.size() == 1) {
                    it.existing = h.get(0);
                    it.resolvedBy = tier.label();
                    stats.matchedBy.computeIfAbsent("tier" + tier.number(), x -> new AtomicLong()).incrementAndGet();
                } else {
                    List<String> ids = h.stream().map(CrmObject::id).sorted().toList();
                    fail(it, Failure.of("AMBIGUOUS_MATCH", h.size() + " " + objectType + " records match "
                            + tier.label() + ": ids " + ids + "; quarantined, not guessed",
                            Map.of("tier", List.of(Integer.toString(tier.number())), "candidateIds", ids)));
                }
            }
            pending = next;
        }
    }

    private Map<String, List<CrmObject>> indexHits(Tier tier, List<Item> items, Map<Item, String> keys) {
        Map<String, List<CrmObject>> out = new HashMap<>();
        for (Item it : items) {
            String k = keys.get(it);
            List<CrmObject> h = index.hits(tier, k);
            if (!h.isEmpty()) {
                out.put(k, h);
            }
        }
        return out;
    }

    private void indexWritten(Item it, String id) {
        if (index != null && id != null) {
            index.written(id, it.props);
        }
    }

    private String recordKey(Tier tier, Item it) {
        List<String> parts = new ArrayList<>(tier.properties().size());
        for (int i = 0; i < tier.properties().size(); i++) {
            parts.add(MatchKeys.normalize(tier.normalizers().get(i), it.raw.get(tier.properties().get(i)),
                    dateFormats));
        }
        return MatchKeys.tierKey(parts, tier.optional());
    }

    private String hubspotKey(Tier tier, CrmObject o) {
        List<String> parts = new ArrayList<>(tier.properties().size());
        for (int i = 0; i < tier.properties().size(); i++) {
            try {
                parts.add(MatchKeys.normalize(tier.normalizers().get(i), o.property(tier.properties().get(i)),
                        dateFormats));
            } catch (IllegalArgumentException e) {
                parts.add(null);
            }
        }
        return MatchKeys.tierKey(parts, tier.optional());
    }

    private Map<String, List<CrmObject>> uniqueHits(Tier tier, List<Item> items, Map<Item, String> keys) {
        String prop = tier.properties().get(0);
        Map<String, List<CrmObject>> out = new java.util.concurrent.ConcurrentHashMap<>();
        forEachChunk(chunks(items, batchSize), chunk -> {
            String norm = tier.normalizers().get(0);
            Map<String, CrmObject> found = readByUnique(prop, chunk.stream().map(i -> "email".equals(norm)
                    ? Normalizers.email(i.raw.get(prop).toString()) : i.raw.get(prop).toString().trim()).toList());
            for (CrmObject o : found.values()) {
                String k = hubspotKey(tier, o);
                if (k != null) {
                    out.computeIfAbsent(k, x -> java.util.Collections.synchronizedList(new ArrayList<>())).add(o);
                }
            }
        });
        return out;
    }

    /**
     * Batched candidate search: IN filters over the records' blocking values (as HubSpot compares them), as many
     * records per search as HubSpot's 3,000-character body allows, every page read; candidates are then compared on
     * the full normalized tier key locally.
     * <ul>
     *   <li>A tier whose exactly comparable components (dates, emails, postal codes) are selective (≤ 4 candidates
     *   per record so far) blocks on those only: one pass, a superset of every match whatever the spelling of names
     *   and street lines in HubSpot, short values, many records per search.</li>
     *   <li>Otherwise (e.g. thousands of people share each birth date) a first pass narrows with every required
     *   component (names as lower-case raw and folded forms), records sorted by their values and split over up to
     *   5 filter groups so each group's name lists stay short; records without a hit are searched again on the exact
     *   components only, among records created before this task's first create (its own creates are found by the
     *   first pass or from its memory), so a HubSpot value spelled with diacritics or punctuation is still found.</li>
     *   <li>A tier without exact components blocks on all its required components.</li>
     * </ul>
     */
    private Map<String, List<CrmObject>> searchHits(Tier tier, List<Item> items, Map<Item, String> keys) {
        List<Integer> exact = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < tier.properties().size(); i++) {
            if (tier.optional().get(i)) {
                continue;
            }
            all.add(i);
            if (MatchKeys.BLOCKING.contains(tier.normalizers().get(i))) {
                exact.add(i);
            }
        }
        if (exact.isEmpty() || exact.size() == all.size()) {
            return searchHits(tier, items, all, null, exact.isEmpty(), null);
        }
        long[] sel = selectivity.computeIfAbsent(tier.number(), x -> new long[2]);
        boolean selective;
        synchronized (sel) {
            // ≤ 4 candidates per record: a 200-result page covers ≥ 50 records, about what a narrowed search packs
            selective = sel[1] < 50 || sel[0] <= 4 * sel[1];
        }
        if (selective) {
            return searchHits(tier, items, exact, null, false, sel);
        }
        Map<String, List<CrmObject>> out = searchHits(tier, items, all, null, true, null);
        List<Item> missing = new ArrayList<>();
        for (Item it : items) {
            if (!out.containsKey(keys.get(it))) {
                missing.add(it);
            }
        }
        if (!missing.isEmpty()) {
            Long t0 = firstCreateMillis;
            // no margin: a clock skew only lets some of this task's own creates in (more candidates, same answer)
            SearchRequest.Filter before = t0 == null ? null : SearchRequest.Filter.of(createdProperty(), "LT",
                    Long.toString(t0));
            Map<String, List<CrmObject>> more = searchHits(tier, missing, exact, before, false, null);
            more.forEach((k, v) -> out.merge(k, v, (a, b) -> {
                Set<String> ids = new HashSet<>();
                List<CrmObject> m = new ArrayList<>();
                for (CrmObject o : a) {
                    if (ids.add(o.id())) {
                        m.add(o);
                    }
                }
                for (CrmObject o : b) {
                    if (ids.add(o.id())) {
                        m.add(o);
                    }
                }
                return m;
            }));
        }
        return out;
    }

    private String createdProperty() {
        return catalog.get("createdate") != null ? "createdate" : "hs_createdate";
    }

    /** Characters of a search body besides the filter groups: properties, sort, paging. */
    private int searchBodyOverhead() {
        int n = 120; // {"filterGroups":[],"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],...
        for (String p : readProperties) {
            n += p.length() + 3;
        }
        return n;
    }

    /** Characters of one filter group's JSON besides the IN values. */
    private static int groupOverhead(Tier tier, List<Integer> blocking, SearchRequest.Filter extra) {
        int n = 16; // {"filters":[]},
        for (int b : blocking) {
            n += 50 + tier.properties().get(b).length(); // {"propertyName":"..","operator":"IN","values":[]},
        }
        if (extra != null) {
            n += 60 + extra.propertyName().length() + String.valueOf(extra.value()).length();
        }
        return n;
    }

    /**
     * One pass of candidate searches.
     *
     * @param extra    a filter added to every group (e.g. created before a time), or null
     * @param grouped  split each search's records over up to 5 filter groups (sorted by their values) so that
     *                 the cross product of the IN lists stays small
     * @param sel      when non-null, counts {candidates, records} of the pass (selectivity of the tier's blocking)
     */
    private Map<String, List<CrmObject>> searchHits(Tier tier, List<Item> items, List<Integer> blocking,
            SearchRequest.Filter extra, boolean grouped, long[] sel) {
        Map<String, List<CrmObject>> out = new HashMap<>();
        Set<String> seenIds = new HashSet<>();
        int filtersPerGroup = blocking.size() + (extra == null ? 0 : 1);
        int maxGroups = !grouped ? 1 : Math.max(1, Math.min(MAX_SEARCH_GROUPS, MAX_SEARCH_FILTERS / filtersPerGroup));
        List<Item> order = new ArrayList<>(items);
        Map<Item, Map<Integer, Set<String>>> byItem = new IdentityHashMap<>();
        for (Item it : items) {
            Map<Integer, Set<String>> vals = new LinkedHashMap<>();
            for (int b : blocking) {
                vals.put(b, blockingValues(tier, b, it.raw.get(tier.properties().get(b))));
            }
            byItem.put(it, vals);
        }
        if (maxGroups > 1) {
            // similar values next to each other: each group's IN lists stay short
            order.sort(java.util.Comparator.comparing(it -> byItem.get(it).values().toString()));
        }
        int budget = MAX_SEARCH_BODY - searchBodyOverhead();
        int perGroupOverhead = groupOverhead(tier, blocking, extra);
        // searches -> groups -> blocking index -> values
        List<List<Map<Integer, Set<String>>>> searches = new ArrayList<>();
        List<Map<Integer, Set<String>>> curSearch = new ArrayList<>();
        Map<Integer, Set<String>> curGroup = null;
        int size = 0;
        int count = 0;
        int groupCount = 0;
        int groupTarget = maxGroups == 1 ? Integer.MAX_VALUE : GROUP_RECORDS;
        for (Item it : order) {
            Map<Integer, Set<String>> vals = byItem.get(it);
            boolean newGroup = curGroup == null || groupCount >= groupTarget && curSearch.size() < maxGroups;
            int add = newGroup ? perGroupOverhead + charsOf(vals, null) : charsOf(vals, curGroup);
            boolean close = curGroup != null && (size + add > budget || count >= maxSearchValues
                    || groupCount >= groupTarget && curSearch.size() >= maxGroups);
            if (close) {
                searches.add(curSearch);
                curSearch = new ArrayList<>();
                curGroup = null;
                size = 0;
                count = 0;
                newGroup = true;
                add = perGroupOverhead + charsOf(vals, null);
            }
            if (newGroup) {
                curGroup = new LinkedHashMap<>();
                curSearch.add(curGroup);
                groupCount = 0;
            }
            for (Map.Entry<Integer, Set<String>> e : vals.entrySet()) {
                curGroup.computeIfAbsent(e.getKey(), x -> new LinkedHashSet<>()).addAll(e.getValue());
            }
            size += add;
            count++;
            groupCount++;
        }
        if (!curSearch.isEmpty()) {
            searches.add(curSearch);
        }
        long candidates = 0;
        String passKey = "searches.tier" + tier.number() + (sel != null ? ".exact" : extra != null || !grouped
                ? ".exact2" : ".narrow");
        for (List<Map<Integer, Set<String>>> groups : searches) {
            List<List<SearchRequest.Filter>> filterGroups = new ArrayList<>();
            for (Map<Integer, Set<String>> g : groups) {
                List<SearchRequest.Filter> filters = new ArrayList<>();
                for (int b : blocking) {
                    Set<String> vs = g.get(b);
                    if (vs == null || vs.isEmpty()) {
                        filters = null; // a blocking component no record of this group has: nothing can match
                        break;
                    }
                    filters.add(new SearchRequest.Filter(tier.properties().get(b), "IN", null, null,
                            new ArrayList<>(vs)));
                }
                if (filters != null) {
                    if (extra != null) {
                        filters.add(extra);
                    }
                    filterGroups.add(filters);
                }
            }
            if (filterGroups.isEmpty()) {
                continue;
            }
            SearchRequest req = new SearchRequest(filterGroups, "hs_object_id", true, readProperties,
                    SearchRequest.MAX_PAGE, null);
            int read = 0;
            while (true) {
                long t0 = System.nanoTime();
                SearchPage page = client.search(objectType, req);
                stats.searches.incrementAndGet();
                stats.searchMillis.addAndGet((System.nanoTime() - t0) / 1_000_000);
                stats.matchedBy.computeIfAbsent(passKey, x -> new AtomicLong()).incrementAndGet();
                if (read == 0) {
                    candidates += page.total();
                }
                for (CrmObject o : page.results()) {
                    if (!seenIds.add(o.id())) {
                        continue;
                    }
                    String k = hubspotKey(tier, o);
                    if (k != null) {
                        out.computeIfAbsent(k, x -> new ArrayList<>()).add(o);
                    }
                }
                read += page.results().size();
                if (page.after() == null || read + SearchRequest.MAX_PAGE > SearchRequest.MAX_RESULTS) {
                    if (page.after() != null) {
                        LOG.warn("Match {} of {}: more than {} candidates for one search; some candidates were not "
                                + "compared", tier.label(), objectType, SearchRequest.MAX_RESULTS);
                    }
                    break;
                }
                req = req.withAfter(page.after());
            }
        }
        if (sel != null) {
            synchronized (sel) {
                sel[0] += candidates;
                sel[1] += items.size();
            }
        }
        return out;
    }

    /** Characters the values of one record add to a group (values already in the group count nothing). */
    private static int charsOf(Map<Integer, Set<String>> vals, Map<Integer, Set<String>> group) {
        int n = 0;
        for (Map.Entry<Integer, Set<String>> e : vals.entrySet()) {
            Set<String> have = group == null ? null : group.get(e.getKey());
            for (String v : e.getValue()) {
                if (have == null || !have.contains(v)) {
                    n += v.length() + 3;
                }
            }
        }
        return n;
    }

    /** The values an IN filter uses for one record's component: lower-case, as HubSpot compares strings. */
    private Set<String> blockingValues(Tier tier, int i, Object raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw == null) {
            return out;
        }
        String norm = tier.normalizers().get(i);
        String n;
        try {
            n = MatchKeys.normalize(norm, raw, dateFormats);
        } catch (IllegalArgumentException e) {
            n = null;
        }
        String prop = tier.properties().get(i);
        PropertyCatalog.Prop def = catalog.get(prop);
        if ("date".equals(norm) && n != null) {
            if (def != null && ("date".equals(def.type()) || "datetime".equals(def.type()))) {
                out.add(Long.toString(java.time.LocalDate.parse(n).toEpochDay() * 86_400_000L));
            } else {
                out.add(n);
            }
            return out;
        }
        if (n != null) {
            out.add(n.toLowerCase(java.util.Locale.ROOT));
        }
        String r = raw.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (!r.isEmpty()) {
            out.add(r);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ field rules

    private boolean guarded(Item it) {
        for (Map.Entry<String, String> g : skipGuards.entrySet()) {
            String v = it.existing.property(g.getKey());
            if (v != null && v.equalsIgnoreCase(g.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The properties to send given the current HubSpot record (null on create). */
    Map<String, String> rules(Item it, CrmObject current) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : it.props.entrySet()) {
            String prop = e.getKey();
            String v = e.getValue();
            if (protectedProps.contains(prop)) {
                continue;
            }
            PropertyCatalog.Prop def = catalog.get(prop);
            if (def != null && def.readOnly()) {
                continue;
            }
            if (fillIfMissing.contains(prop) && current != null) {
                String have = current.property(prop);
                if (have != null && !have.isEmpty()) {
                    continue;
                }
            }
            if (v == null) {
                if (config.clearNulls() && current != null) {
                    out.put(prop, "");
                }
                continue;
            }
            out.put(prop, v);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ writes

    private void fastUpsert(List<Item> round) {
        List<Item> ok = new ArrayList<>();
        for (Item it : round) {
            if (it.uniqueValue == null) {
                fail(it, Failure.of("MISSING_KEY", "the record has no value for the unique property "
                        + uniqueProperty));
            } else {
                Map<String, String> p = rules(it, null);
                it.props.clear();
                it.props.putAll(p);
                ok.add(it);
            }
        }
        upsert(ok, uniqueProperty, i -> i.uniqueValue);
        writeAssociations(round);
    }

    private void writeUpdates(List<Item> updates) {
        List<Item> nonEmpty = new ArrayList<>();
        for (Item it : updates) {
            if (it.props.isEmpty()) {
                it.writtenId = it.existing.id(); // nothing to change; associations still apply
                skip(it);
            } else {
                nonEmpty.add(it);
            }
        }
        runBatches("update", nonEmpty, it -> {
            ObjectNode n = MAPPER.createObjectNode().put("id", it.existing.id());
            ObjectNode p = n.putObject("properties");
            it.props.forEach(p::put);
            return n;
        }, true, (it, o) -> {
            it.writtenId = o == null ? it.existing.id() : o.id();
            stats.updated.incrementAndGet();
            indexWritten(it, it.writtenId);
        }, o -> o.id(), it -> it.existing.id());
    }

    private void writeCreates(List<Item> creates) {
        if (!creates.isEmpty() && firstCreateMillis == null) {
            firstCreateMillis = System.currentTimeMillis();
        }
        List<Item> byUnique = new ArrayList<>();
        List<Item> byEmail = new ArrayList<>();
        List<Item> plain = new ArrayList<>();
        for (Item it : creates) {
            if (it.uniqueValue != null) {
                byUnique.add(it);
            } else if (catalog.isContacts() && it.email != null) {
                byEmail.add(it);
            } else {
                plain.add(it);
            }
        }
        upsert(byUnique, uniqueProperty, i -> i.uniqueValue);
        upsert(byEmail, "email", i -> i.email);
        // No key HubSpot can upsert on: plain create, with trace ids so a 207 names each failing input. The tier keys
        // are remembered so a redelivery to this task updates instead of creating again.
        runBatches("create", plain, it -> {
            ObjectNode n = MAPPER.createObjectNode();
            ObjectNode p = n.putObject("properties");
            it.props.forEach(p::put);
            return n;
        }, false, (it, o) -> {
            it.writtenId = o.id();
            stats.created.incrementAndGet();
            rememberCreated(it, o.id());
            indexWritten(it, o.id());
        }, null, null);
    }

    private synchronized void rememberCreated(Item it, String id) {
        for (Tier t : tiers) {
            try {
                String k = recordKey(t, it);
                if (k != null) {
                    createdKeys.put(t.number() + "|" + k, id);
                }
            } catch (IllegalArgumentException ignored) {
                // not a key
            }
        }
    }

    private void upsert(List<Item> items, String idProperty, Function<Item, String> key) {
        runBatches("upsert", items, it -> {
            ObjectNode n = MAPPER.createObjectNode().put("id", key.apply(it)).put("idProperty", idProperty);
            ObjectNode p = n.putObject("properties");
            it.props.forEach((k, v) -> {
                if (!k.equals(idProperty)) {
                    p.put(k, v);
                }
            });
            return n;
        }, true, (it, o) -> {
            it.writtenId = o.id();
            indexWritten(it, o.id());
            if (it.existing != null) {
                stats.updated.incrementAndGet();
            } else {
                stats.created.incrementAndGet();
                rememberCreated(it, o.id());
            }
        }, o -> {
            String v = o.property(idProperty);
            return v == null ? null : uniqueNorm(idProperty, v);
        }, it -> uniqueNorm(idProperty, key.apply(it)));
    }

    /** Success callback. */
    interface OnWritten {
        void accept(Item item, CrmObject result);
    }

    /**
     * Sends items in batches. Per-input errors (207) are matched to their input by objectWriteTraceId; a batch
     * refused as a whole (4xx) is split in halves and retried until the failing input is alone; it then goes to
     * the DLQ with HubSpot's category and message.
     *
     * @param idempotent whether an input may be sent again (updates and upserts); plain creates are never resent
     * @param resultKey  key of a result record to find its input (null = results in input order)
     * @param itemKey    the same key computed from an input
     */
    private void runBatches(String op, List<Item> items, Function<Item, ObjectNode> toInput, boolean idempotent,
            OnWritten onWritten, Function<CrmObject, String> resultKey, Function<Item, String> itemKey) {
        forEachChunk(chunks(items, batchSize), chunk -> runChunk(op, chunk, toInput, idempotent, onWritten,
                resultKey, itemKey));
    }

    /**
     * Runs independent chunk calls, several in flight when configured (the shared rate budget still paces every
     * request); the first failure is rethrown after all calls ended.
     */
    private <T> void forEachChunk(List<List<T>> chunks, java.util.function.Consumer<List<T>> call) {
        if (chunks.size() <= 1 || pool == null) {
            chunks.forEach(call);
            return;
        }
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (List<T> chunk : chunks) {
            futures.add(pool.submit(() -> call.accept(chunk)));
        }
        RuntimeException first = null;
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.crmconnect.hubspot.client.HubSpotRetriableException("interrupted", 0, null, null, 0, e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Releases the writer's threads. */
    void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void runChunk(String op, List<Item> chunk, Function<Item, ObjectNode> toInput, boolean idempotent,
            OnWritten onWritten, Function<CrmObject, String> resultKey, Function<Item, String> itemKey) {
        if (chunk.isEmpty()) {
            return;
        }
        List<ObjectNode> inputs = new ArrayList<>(chunk.size());
        Map<String, Item> byTrace = new HashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            ObjectNode in = toInput.apply(chunk.get(i));
            String trace = "t" + i + "-" + chunk.get(i).record.kafkaOffset();
            in.put("objectWriteTraceId", trace);
            byTrace.put(trace, chunk.get(i));
            inputs.add(in);
        }
        BatchResult r;
        try {
            r = switch (op) {
                case "update" -> client.batchUpdate(objectType, inputs);
                case "upsert" -> client.batchUpsert(objectType, inputs);
                default -> client.batchCreate(objectType, inputs);
            };
        } catch (HubSpotApiException e) {
            if (chunk.size() == 1) {
                fail(chunk.get(0), Failure.rejected(e));
                return;
            }
            LOG.debug("batch {} of {} inputs to {} refused ({}); splitting to isolate the failing input", op,
                    chunk.size(), objectType, e.category());
            int mid = chunk.size() / 2;
            runChunk(op, new ArrayList<>(chunk.subList(0, mid)), toInput, idempotent, onWritten, resultKey, itemKey);
            runChunk(op, new ArrayList<>(chunk.subList(mid, chunk.size())), toInput, idempotent, onWritten,
                    resultKey, itemKey);
            return;
        }
        Set<Item> failed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<BatchResult.BatchError> unattributed = new ArrayList<>();
        for (BatchResult.BatchError err : r.errors()) {
            List<String> traces = err.context() == null ? null : err.context().get("objectWriteTraceId");
            boolean any = false;
            if (traces != null) {
                for (String t : traces) {
                    Item it = byTrace.get(t);
                    if (it != null && failed.add(it)) {
                        fail(it, Failure.rejected(err, sanitizer));
                        any = true;
                    }
                }
            }
            if (!any) {
                unattributed.add(err);
            }
        }
        // successes
        Set<Item> succeeded = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (resultKey != null) {
            Map<String, CrmObject> results = new HashMap<>();
            for (CrmObject o : r.results()) {
                String k = resultKey.apply(o);
                if (k != null) {
                    results.put(k, o);
                }
            }
            for (Item it : chunk) {
                if (failed.contains(it)) {
                    continue;
                }
                CrmObject o = results.get(itemKey.apply(it));
                if (o != null) {
                    onWritten.accept(it, o);
                    succeeded.add(it);
                }
            }
        } else {
            int i = 0;
            for (Item it : chunk) {
                if (failed.contains(it)) {
                    continue;
                }
                if (i < r.results().size()) {
                    onWritten.accept(it, r.results().get(i++));
                    succeeded.add(it);
                }
            }
        }
        List<Item> unknown = new ArrayList<>();
        for (Item it : chunk) {
            if (!failed.contains(it) && !succeeded.contains(it)) {
                unknown.add(it);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        if (idempotent && unknown.size() < chunk.size()) {
            // HubSpot did not say which input failed: send those again (alone or halved) to find out
            for (List<Item> part : chunks(unknown, Math.max(1, unknown.size() / 2))) {
                runChunk(op, part, toInput, true, onWritten, resultKey, itemKey);
            }
            return;
        }
        DeadLetter f = unattributed.isEmpty()
                ? Failure.of(DeadLetter.REJECTED, "HubSpot returned no result for this input of a batch " + op)
                : Failure.rejected(unattributed.get(0), sanitizer);
        for (Item it : unknown) {
            fail(it, f);
        }
    }

    // ------------------------------------------------------------------------------------------ associations

    private ResolvedAssociation association(HubSpotSinkConfig.AssociationRule rule) {
        return resolvedAssoc.computeIfAbsent(rule, r -> {
            String toType = PropertyCatalog.resolveObjectType(client, r.toObject());
            if (toType == null) {
                throw new IllegalStateException("association target object " + r.toObject() + " does not exist");
            }
            List<AssociationType> all = client.associationLabels(objectType, toType);
            List<AssociationType> types = new ArrayList<>();
            for (AssociationType t : all) {
                if (r.label() == null ? t.label() == null : r.label().equalsIgnoreCase(t.label())) {
                    types.add(t);
                    break;
                }
            }
            if (types.isEmpty()) {
                throw new IllegalStateException("no association label \"" + r.label() + "\" from " + objectType
                        + " to " + toType);
            }
            return new ResolvedAssociation(toType, types,
                    r.toProperty().equals("hs_object_id") || r.toProperty().equals("id"));
        });
    }

    private void writeAssociations(List<Item> round) {
        for (HubSpotSinkConfig.AssociationRule rule : assocRules) {
            List<Item> todo = round.stream().filter(i -> !i.done && i.writtenId != null
                    && i.assocValues.get(rule.field()) != null).toList();
            if (todo.isEmpty()) {
                continue;
            }
            ResolvedAssociation ra = association(rule);
            for (List<Item> chunk : chunks(todo, 100)) {
                Map<String, String> targetIds = new HashMap<>();
                List<String> values = chunk.stream().map(i -> assocKey(rule, i)).distinct().toList();
                BatchResult r = client.batchRead(ra.toType(), values, List.of(rule.toProperty()),
                        ra.byId() ? null : rule.toProperty(), false);
                for (CrmObject o : r.results()) {
                    String k = ra.byId() ? o.id() : o.property(rule.toProperty());
                    if (k != null) {
                        targetIds.put(ra.byId() ? k : k.trim().toLowerCase(java.util.Locale.ROOT), o.id());
                    }
                }
                List<HubSpotClient.AssociationInput> inputs = new ArrayList<>();
                List<Item> linked = new ArrayList<>();
                for (Item it : chunk) {
                    String k = assocKey(rule, it);
                    String to = targetIds.get(ra.byId() ? k : k.toLowerCase(java.util.Locale.ROOT));
                    if (to == null) {
                        fail(it, Failure.of("ASSOCIATION_TARGET_NOT_FOUND", "the " + objectType + " record "
                                + it.writtenId + " was written, but no " + ra.toType() + " record has this "
                                + rule.toProperty() + " (field " + rule.field() + "); association not created")
                                .withObjectId(it.writtenId));
                        continue;
                    }
                    inputs.add(new HubSpotClient.AssociationInput(it.writtenId, to, ra.types()));
                    linked.add(it);
                }
                if (!inputs.isEmpty()) {
                    createAssociations(ra, inputs, linked);
                }
            }
        }
    }

    private void createAssociations(ResolvedAssociation ra, List<HubSpotClient.AssociationInput> inputs,
            List<Item> items) {
        try {
            client.createAssociations(objectType, ra.toType(), inputs);
            stats.associations.addAndGet(inputs.size());
        } catch (HubSpotApiException e) {
            if (inputs.size() == 1) {
                fail(items.get(0), Failure.rejected(e));
                return;
            }
            int mid = inputs.size() / 2;
            createAssociations(ra, inputs.subList(0, mid), items.subList(0, mid));
            createAssociations(ra, inputs.subList(mid, inputs.size()), items.subList(mid, items.size()));
        }
    }

    private static String assocKey(HubSpotSinkConfig.AssociationRule rule, Item it) {
        Object v = it.assocValues.get(rule.field());
        String s = v.toString().trim();
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    // ------------------------------------------------------------------------------------------ deletes

    private void archive(List<Item> tombstones) {
        if (!config.archiveOnTombstone()) {
            tombstones.forEach(this::skip);
            return;
        }
        List<String> ids = new ArrayList<>();
        List<String> uniques = new ArrayList<>();
        for (Item it : tombstones) {
            Object k = it.record.key();
            if (k instanceof Struct s && s.schema().fields().size() == 1) {
                k = s.get(s.schema().fields().get(0));
            } else if (k instanceof Map<?, ?> m && m.size() == 1) {
                k = m.values().iterator().next();
            }
            if (k == null) {
                fail(it, Failure.of("MISSING_KEY", "a tombstone needs a key (HubSpot id or unique value)"));
                continue;
            }
            String s = k.toString().trim();
            if (uniqueProperty.isEmpty() || "_key".equals(idField)) {
                ids.add(s);
            } else {
                uniques.add(s);
            }
        }
        for (List<String> chunk : chunks(uniques, batchSize)) {
            Map<String, CrmObject> found = readByUnique(uniqueProperty, chunk);
            found.values().forEach(o -> ids.add(o.id()));
        }
        for (List<String> chunk : chunks(ids, batchSize)) {
            client.batchArchive(objectType, chunk);
            stats.archived.addAndGet(chunk.size());
        }
    }

    // ------------------------------------------------------------------------------------------ outcomes

    private void skip(Item it) {
        if (!it.done) {
            stats.skipped.incrementAndGet();
        }
    }

    private synchronized void fail(Item it, DeadLetter f) {
        if (it.done) {
            return;
        }
        it.done = true;
        stats.deadLettered.incrementAndGet();
        dlq.report(it.record, f);
    }

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }
}
