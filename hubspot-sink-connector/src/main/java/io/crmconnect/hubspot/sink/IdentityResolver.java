package io.crmconnect.hubspot.sink;

import io.crmconnect.common.normalize.Normalizers;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the HubSpot record each incoming record stands for, in order: HubSpot id, unique property, then the match
 * tiers (the first tier with exactly one hit wins; more than one hit is AMBIGUOUS_MATCH, never guessed). Owns what
 * matching remembers: the match index ({@code match.strategy=index}), the tier keys of records this task created
 * (so a redelivery finds them before HubSpot's search index does), and how selective each tier's exact components
 * have been.
 */
final class IdentityResolver {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);

    private final HubSpotClient client;
    private final PropertyCatalog catalog;
    private final String objectType;
    private final List<MatchTier> tiers;
    private final List<String> readProperties;
    private final String uniqueProperty;
    private final int batchSize;
    private final Normalizers.DateFormats dateFormats;
    private final SearchPlanner planner;
    private final ParallelCalls calls;
    private final Outcomes outcomes;
    private final MatchIndex index;
    /** Tier keys of records this task created, so a redelivery finds them even before HubSpot's index does. */
    private final Map<String, String> createdKeys = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 200_000;
        }
    };
    /** Per tier: {candidates, records} seen by exact-component searches (is exact blocking selective?). */
    private final Map<Integer, long[]> selectivity = new ConcurrentHashMap<>();
    /** When this task first created records (epoch ms), null before. */
    private volatile Long firstCreateMillis;

    IdentityResolver(
            HubSpotClient client,
            HubSpotSinkConfig config,
            PropertyCatalog catalog,
            List<MatchTier> tiers,
            List<String> readProperties,
            ParallelCalls calls,
            Outcomes outcomes) {
        this.client = client;
        this.catalog = catalog;
        this.objectType = catalog.objectType;
        this.tiers = tiers;
        this.readProperties = readProperties;
        this.uniqueProperty =
                config.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        this.batchSize = config.getInt(HubSpotSinkConfig.BATCH_SIZE);
        List<String> formats = config.getList(HubSpotSinkConfig.MATCH_DATE_FORMATS);
        this.dateFormats = formats.isEmpty() ? Normalizers.DateFormats.DEFAULT : new Normalizers.DateFormats(formats);
        this.planner = new SearchPlanner(readProperties, config.getInt(HubSpotSinkConfig.MATCH_SEARCH_RECORDS));
        this.calls = calls;
        this.outcomes = outcomes;
        boolean searchTiers = tiers.stream().anyMatch(t -> !t.uniqueLookup());
        this.index = searchTiers && config.matchStrategy() == HubSpotSinkConfig.MatchStrategy.INDEX
                ? new MatchIndex(
                        client,
                        objectType,
                        readProperties,
                        tiers,
                        this::hubspotKey,
                        catalog.isContacts(),
                        config.getLong(HubSpotSinkConfig.MATCH_INDEX_REFRESH_MS))
                : null;
    }

    /** Builds the tiers of {@code match.tiers} with their normalizers. */
    static List<MatchTier> tiers(HubSpotSinkConfig config, PropertyCatalog catalog) {
        Map<String, String> norms = config.normalizers();
        List<MatchTier> out = new ArrayList<>();
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
            out.add(new MatchTier(++n, props, ns, opt, unique));
        }
        return out;
    }

    /** Sets {@code existing} for every record of the round that has a HubSpot record; quarantines ambiguity. */
    void resolve(List<PendingRecord> round) {
        resolveById(round);
        resolveByUnique(round);
        if (index != null && round.stream().anyMatch(i -> !i.done && i.existing == null)) {
            index.refresh();
        }
        resolveByTiers(round);
    }

    /**
     * After a create whose answer was lost: which of these records HubSpot has now, by their match tiers (the
     * task's memory of its creates is not consulted: it never saw these ids). Returns the records found.
     */
    List<PendingRecord> readBack(List<PendingRecord> items) {
        List<PendingRecord> pending = new ArrayList<>(items);
        pending.forEach(it -> it.existing = null);
        resolveByTiers(pending, false);
        return pending.stream().filter(it -> !it.done && it.existing != null).toList();
    }

    /** Whether any tier has a key for this record (so it can be found again without a unique value). */
    boolean hasTierKey(PendingRecord it) {
        for (MatchTier t : tiers) {
            try {
                if (recordKey(t, it) != null) {
                    return true;
                }
            } catch (IllegalArgumentException ignored) {
                // not a key in this tier
            }
        }
        return false;
    }

    /** The task is about to create records: searches for "records created before" start from now. */
    void creating() {
        if (firstCreateMillis == null) {
            firstCreateMillis = System.currentTimeMillis();
        }
    }

    /** A record was created: remember its tier keys and index it. */
    synchronized void created(PendingRecord it, String id) {
        for (MatchTier t : tiers) {
            try {
                String k = recordKey(t, it);
                if (k != null) {
                    createdKeys.put(t.number() + "|" + k, id);
                }
            } catch (IllegalArgumentException ignored) {
                // not a key
            }
        }
        written(it, id);
    }

    /** A record was written: the match index (if any) learns its new values. */
    void written(PendingRecord it, String id) {
        if (index != null && id != null) {
            index.written(id, it.props);
        }
    }

    String uniqueNorm(String prop, String v) {
        return catalog.isContacts() && prop.equals("email") ? Normalizers.email(v) : v;
    }

    /** Records by their (normalized) value of a unique property. */
    Map<String, CrmObject> readByUnique(String prop, List<String> values) {
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

    private void resolveById(List<PendingRecord> round) {
        List<PendingRecord> todo =
                round.stream().filter(i -> !i.done && i.hubspotId != null).toList();
        calls.forEach(ParallelCalls.chunks(todo, batchSize), chunk -> {
            BatchResult r = client.batchRead(
                    objectType, chunk.stream().map(i -> i.hubspotId).toList(), readProperties, null, false);
            Map<String, CrmObject> byId = new HashMap<>();
            r.results().forEach(o -> byId.put(o.id(), o));
            for (PendingRecord it : chunk) {
                CrmObject o = byId.get(it.hubspotId);
                if (o != null) {
                    it.existing = o;
                    it.resolvedBy = "id";
                }
            }
        });
    }

    private void resolveByUnique(List<PendingRecord> round) {
        if (uniqueProperty.isEmpty()) {
            return;
        }
        List<PendingRecord> todo = round.stream()
                .filter(i -> !i.done && i.existing == null && i.uniqueValue != null)
                .toList();
        calls.forEach(ParallelCalls.chunks(todo, batchSize), chunk -> {
            Map<String, CrmObject> found = readByUnique(
                    uniqueProperty, chunk.stream().map(i -> i.uniqueValue).toList());
            for (PendingRecord it : chunk) {
                CrmObject o = found.get(uniqueNorm(uniqueProperty, it.uniqueValue));
                if (o != null) {
                    it.existing = o;
                    it.resolvedBy = "unique";
                }
            }
        });
    }

    private void resolveByTiers(List<PendingRecord> round) {
        resolveByTiers(round, true);
    }

    private void resolveByTiers(List<PendingRecord> round, boolean useMemory) {
        List<PendingRecord> pending = new ArrayList<>(
                round.stream().filter(i -> !i.done && i.existing == null).toList());
        for (MatchTier tier : tiers) {
            if (pending.isEmpty()) {
                return;
            }
            Map<PendingRecord, String> keys = new IdentityHashMap<>();
            List<PendingRecord> applicable = new ArrayList<>();
            for (PendingRecord it : pending) {
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
            Map<String, List<CrmObject>> hits = tier.uniqueLookup()
                    ? uniqueHits(tier, applicable)
                    : index != null ? indexHits(tier, applicable, keys) : searchHits(tier, applicable, keys);
            List<PendingRecord> next = new ArrayList<>();
            for (PendingRecord it : pending) {
                String k = keys.get(it);
                List<CrmObject> h = k == null ? List.of() : hits.getOrDefault(k, List.of());
                if (h.isEmpty()) {
                    String created = null;
                    if (useMemory && k != null) {
                        synchronized (this) {
                            created = createdKeys.get(tier.number() + "|" + k);
                        }
                    }
                    if (created != null) {
                        it.existing = new CrmObject(created, Map.of(), null, null, false, null, Map.of());
                        it.resolvedBy = tier.label() + " (created by this task)";
                        outcomes.stats.matched("tier" + tier.number());
                    } else {
                        next.add(it);
                    }
                } else if (h.size() == 1) {
                    it.existing = h.get(0);
                    it.resolvedBy = tier.label();
                    outcomes.stats.matched("tier" + tier.number());
                } else {
                    List<String> ids = h.stream().map(CrmObject::id).sorted().toList();
                    outcomes.fail(
                            it,
                            Failure.of(
                                    DeadLetter.AMBIGUOUS_MATCH,
                                    h.size()
                                            + " " + objectType + " records match " + tier.label() + ": ids " + ids
                                            + "; quarantined, not guessed",
                                    Map.of("tier", List.of(Integer.toString(tier.number())), "candidateIds", ids)));
                }
            }
            pending = next;
        }
    }

    private Map<String, List<CrmObject>> indexHits(
            MatchTier tier, List<PendingRecord> items, Map<PendingRecord, String> keys) {
        Map<String, List<CrmObject>> out = new HashMap<>();
        for (PendingRecord it : items) {
            String k = keys.get(it);
            List<CrmObject> h = index.hits(tier, k);
            if (!h.isEmpty()) {
                out.put(k, h);
            }
        }
        return out;
    }

    private String recordKey(MatchTier tier, PendingRecord it) {
        List<String> parts = new ArrayList<>(tier.properties().size());
        for (int i = 0; i < tier.properties().size(); i++) {
            parts.add(MatchKeys.normalize(
                    tier.normalizers().get(i), it.raw.get(tier.properties().get(i)), dateFormats));
        }
        return MatchKeys.tierKey(parts, tier.optional());
    }

    String hubspotKey(MatchTier tier, CrmObject o) {
        List<String> parts = new ArrayList<>(tier.properties().size());
        for (int i = 0; i < tier.properties().size(); i++) {
            try {
                parts.add(MatchKeys.normalize(
                        tier.normalizers().get(i), o.property(tier.properties().get(i)), dateFormats));
            } catch (IllegalArgumentException e) {
                parts.add(null);
            }
        }
        return MatchKeys.tierKey(parts, tier.optional());
    }

    private Map<String, List<CrmObject>> uniqueHits(MatchTier tier, List<PendingRecord> items) {
        String prop = tier.properties().get(0);
        String norm = tier.normalizers().get(0);
        Map<String, List<CrmObject>> out = new ConcurrentHashMap<>();
        calls.forEach(ParallelCalls.chunks(items, batchSize), chunk -> {
            Map<String, CrmObject> found = readByUnique(
                    prop,
                    chunk.stream()
                            .map(i -> "email".equals(norm)
                                    ? Normalizers.email(i.raw.get(prop).toString())
                                    : i.raw.get(prop).toString().trim())
                            .toList());
            for (CrmObject o : found.values()) {
                String k = hubspotKey(tier, o);
                if (k != null) {
                    out.computeIfAbsent(k, x -> Collections.synchronizedList(new ArrayList<>()))
                            .add(o);
                }
            }
        });
        return out;
    }

    /**
     * Batched candidate search; candidates are then compared on the full normalized tier key locally.
     * <ul>
     *   <li>A tier whose exactly comparable components (dates, emails, postal codes) are selective (≤ 4 candidates
     *   per record so far) blocks on those only: one pass, a superset of every match whatever the spelling of names
     *   and street lines in HubSpot.</li>
     *   <li>Otherwise (e.g. thousands of people share each birth date) a first pass narrows with every required
     *   component (names as lower-case raw and folded forms) over filter groups; records without a hit are searched
     *   again on the exact components only, among records created before this task's first create (its own
     *   creates are found by the first pass or from its memory), so a HubSpot value spelled with diacritics or
     *   punctuation is still found.</li>
     *   <li>A tier without exact components blocks on all its required components.</li>
     * </ul>
     */
    private Map<String, List<CrmObject>> searchHits(
            MatchTier tier, List<PendingRecord> items, Map<PendingRecord, String> keys) {
        List<Integer> exact = SearchPlanner.exact(tier);
        List<Integer> all = SearchPlanner.required(tier);
        if (exact.isEmpty() || exact.size() == all.size()) {
            return searchPass(tier, items, all, null, exact.isEmpty(), null);
        }
        long[] sel = selectivity.computeIfAbsent(tier.number(), x -> new long[2]);
        boolean selective;
        synchronized (sel) {
            // ≤ 4 candidates per record: a 200-result page covers ≥ 50 records, about what a narrowed search packs
            selective = sel[1] < 50 || sel[0] <= 4 * sel[1];
        }
        if (selective) {
            return searchPass(tier, items, exact, null, false, sel);
        }
        Map<String, List<CrmObject>> out = searchPass(tier, items, all, null, true, null);
        List<PendingRecord> missing = new ArrayList<>();
        for (PendingRecord it : items) {
            if (!out.containsKey(keys.get(it))) {
                missing.add(it);
            }
        }
        if (!missing.isEmpty()) {
            Long t0 = firstCreateMillis;
            // no margin: a clock skew only lets some of this task's own creates in (more candidates, same answer)
            SearchRequest.Filter before =
                    t0 == null ? null : SearchRequest.Filter.of(createdProperty(), "LT", Long.toString(t0));
            Map<String, List<CrmObject>> more = searchPass(tier, missing, exact, before, false, null);
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

    /**
     * One pass of candidate searches, planned by {@link SearchPlanner}.
     *
     * @param sel when non-null, counts {candidates, records} of the pass (selectivity of the tier's blocking)
     */
    private Map<String, List<CrmObject>> searchPass(
            MatchTier tier,
            List<PendingRecord> items,
            List<Integer> blocking,
            SearchRequest.Filter extra,
            boolean grouped,
            long[] sel) {
        List<Map<Integer, Set<String>>> values = new ArrayList<>(items.size());
        for (PendingRecord it : items) {
            Map<Integer, Set<String>> vals = new LinkedHashMap<>();
            for (int b : blocking) {
                String prop = tier.properties().get(b);
                PropertyCatalog.Prop def = catalog.get(prop);
                vals.put(
                        b,
                        SearchPlanner.blockingValues(
                                tier.normalizers().get(b),
                                def == null ? null : def.type(),
                                it.raw.get(prop),
                                dateFormats));
            }
            values.add(vals);
        }
        Map<String, List<CrmObject>> out = new HashMap<>();
        Set<String> seenIds = new HashSet<>();
        long candidates = 0;
        String passKey = "searches.tier" + tier.number()
                + (sel != null ? ".exact" : extra != null || !grouped ? ".exact2" : ".narrow");
        for (SearchRequest first : planner.plan(tier, values, blocking, extra, grouped)) {
            SearchRequest req = first;
            int read = 0;
            while (true) {
                long t0 = System.nanoTime();
                SearchPage page = client.search(objectType, req);
                outcomes.stats.searches.incrementAndGet();
                outcomes.stats.searchMillis.addAndGet((System.nanoTime() - t0) / 1_000_000);
                outcomes.stats.matched(passKey);
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
                        LOG.warn(
                                "Match {} of {}: more than {} candidates for one search; some candidates were not "
                                        + "compared",
                                tier.label(),
                                objectType,
                                SearchRequest.MAX_RESULTS);
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
}
