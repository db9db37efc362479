package io.crmconnect.hubspot.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one put() batch to one HubSpot object, stage by stage: {@link RecordExtractor} reads each record,
 * {@link OperationOrder} splits the batch into rounds (operations on one key in offset order), and per round
 * {@link IdentityResolver} finds the HubSpot records, {@link FieldRules} decide what is written,
 * {@link BatchExecutor} writes, {@link AssociationWriter} links and {@link TombstoneArchiver} archives. Transient
 * HubSpot failures propagate as {@link HubSpotRetriableException} (the task hands the batch back); every write is
 * idempotent or read back before it is repeated, so a redelivery creates nothing twice. A record carrying an
 * {@link ExpectedVersion} (the {@code updatedAt} of the HubSpot record it was planned against) updates that record
 * only while the record, read again right before the update call, still has it; otherwise it is handed back to be
 * consumed again. HubSpot has no conditional update, so an edit between that read and the update is still
 * overwritten.
 */
final class SinkWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final SinkStats stats = new SinkStats();
    private final String objectType;
    private final boolean contacts;
    private final HubSpotSinkConfig.WriteMode mode;
    private final String uniqueProperty;
    private final boolean needCurrentRecord;
    private final boolean requireEmail;
    private final boolean hasTiers;
    private final long readBackDelayMs;
    private final ErrorSanitizer sanitizer;
    private final Outcomes outcomes;
    private final Consumer<SinkRecord> handled;
    private final Consumer<SinkRecord> consumeAgain;
    private final ParallelCalls calls;
    private final HubSpotClient client;
    private final int batchSize;
    private final RecordExtractor extractor;
    private final IdentityResolver identity;
    private final FieldRules rules;
    private final BatchExecutor executor;
    private final AssociationWriter associations;
    private final TombstoneArchiver archiver;
    private final long startedAt = System.currentTimeMillis();
    /** Whether this writer's plain creates are past the search index lag since it started. */
    private volatile boolean settled;

    SinkWriter(HubSpotClient client, HubSpotSinkConfig config, PropertyCatalog catalog, Outcomes.DeadLetters dlq) {
        this(client, config, catalog, dlq, r -> {}, r -> {});
    }

    /**
     * @param dlq     receives dead-lettered records
     * @param handled told of each record whose work is complete (written, or nothing to write)
     * @param consumeAgain told of each record not written because its HubSpot record changed since it was planned
     */
    SinkWriter(
            HubSpotClient client,
            HubSpotSinkConfig config,
            PropertyCatalog catalog,
            Outcomes.DeadLetters dlq,
            Consumer<SinkRecord> handled,
            Consumer<SinkRecord> consumeAgain) {
        this.objectType = catalog.objectType;
        this.contacts = catalog.isContacts();
        this.mode = config.writeMode();
        this.uniqueProperty =
                config.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        this.requireEmail = config.getBoolean(HubSpotSinkConfig.MATCH_REQUIRE_EMAIL);
        this.readBackDelayMs = config.getLong(HubSpotSinkConfig.CREATE_READBACK_DELAY_MS);
        this.sanitizer = ErrorSanitizer.keeping(catalog.props.keySet());
        this.outcomes = new Outcomes(stats, dlq);
        this.handled = handled;
        this.consumeAgain = consumeAgain;
        this.calls = new ParallelCalls(config.getInt(HubSpotSinkConfig.IN_FLIGHT));
        this.client = client;
        this.batchSize = config.getInt(HubSpotSinkConfig.BATCH_SIZE);
        this.extractor = new RecordExtractor(config, catalog);
        this.rules = new FieldRules(config, catalog);
        List<MatchTier> tiers = IdentityResolver.tiers(config, catalog);
        this.hasTiers = !tiers.isEmpty();
        Set<String> read = new LinkedHashSet<>();
        tiers.forEach(t -> read.addAll(t.properties()));
        read.addAll(rules.readProperties());
        if (!uniqueProperty.isEmpty()) {
            read.add(uniqueProperty);
        }
        if (contacts) {
            read.add("email");
        }
        this.identity = new IdentityResolver(client, config, catalog, tiers, new ArrayList<>(read), calls, outcomes);
        this.executor = new BatchExecutor(
                (op, inputs) -> switch (op) {
                    case CREATE -> client.batchCreate(objectType, inputs);
                    case UPDATE -> client.batchUpdate(objectType, inputs);
                    case UPSERT -> client.batchUpsert(objectType, inputs);
                },
                config.getInt(HubSpotSinkConfig.BATCH_SIZE),
                calls,
                outcomes,
                sanitizer);
        this.associations = new AssociationWriter(client, objectType, config.associations(), outcomes);
        this.archiver = new TombstoneArchiver(client, config, objectType, identity, outcomes);
        this.needCurrentRecord = rules.needCurrentRecord()
                || mode != HubSpotSinkConfig.WriteMode.UPSERT
                || hasTiers
                || !config.getString(HubSpotSinkConfig.ID_FIELD).trim().isEmpty()
                || uniqueProperty.isEmpty();
    }

    /** Writes one batch from put(). Throws HubSpotRetriableException for transient failures (batch redelivered). */
    void write(List<SinkRecord> records) {
        List<PendingRecord> items = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            PendingRecord it = new PendingRecord(r);
            items.add(it);
            if (it.isTombstone()) {
                continue;
            }
            try {
                extractor.extract(it);
            } catch (ValueConverter.ConversionException e) {
                outcomes.fail(it, Failure.of(e.reason, "").withDetail(sanitizer, e.getMessage()));
            } catch (RuntimeException e) {
                outcomes.fail(it, Failure.of(DeadLetter.CONVERSION_FAILED, "").withDetail(sanitizer, e.getMessage()));
            }
        }
        for (List<PendingRecord> round : OperationOrder.rounds(items, this::orderKeys)) {
            process(round);
            for (PendingRecord it : round) {
                if (!it.done) {
                    handled.accept(it.record);
                }
            }
        }
    }

    /** The keys whose operations must apply in offset order: the identity and the Kafka key. */
    private List<String> orderKeys(PendingRecord it) {
        Object k = it.record.key();
        String kafkaKey = k == null ? null : "k:" + k;
        if (it.done) {
            return List.of();
        }
        return Arrays.asList(it.isTombstone() ? archiver.identityKey(it) : it.identityKey(), kafkaKey);
    }

    private void process(List<PendingRecord> round) {
        List<PendingRecord> live = new ArrayList<>();
        List<PendingRecord> tombstones = new ArrayList<>();
        for (PendingRecord it : round) {
            if (!it.done) {
                (it.isTombstone() ? tombstones : live).add(it);
            }
        }
        if (!live.isEmpty()) {
            if (needCurrentRecord || live.stream().anyMatch(it -> ExpectedVersion.of(it.record) != null)) {
                resolveAndWrite(live);
            } else {
                upsertByUniqueValue(live);
            }
        }
        if (!tombstones.isEmpty()) {
            archiver.archive(tombstones);
        }
    }

    /** Identity first, then field rules against the current record, then updates, creates, associations. */
    private void resolveAndWrite(List<PendingRecord> round) {
        identity.resolve(round);
        List<PendingRecord> updates = new ArrayList<>();
        List<PendingRecord> creates = new ArrayList<>();
        for (PendingRecord it : round) {
            if (it.done) {
                continue;
            }
            if (it.existing != null) {
                if (changedSincePlanned(it)) {
                    continue;
                }
                if (mode == HubSpotSinkConfig.WriteMode.CREATE_ONLY || rules.skipped(it.existing)) {
                    outcomes.skip(it);
                    continue;
                }
                Map<String, String> p = rules.apply(it.props, it.existing);
                if (!uniqueProperty.isEmpty()
                        && it.uniqueValue != null
                        && !it.uniqueValue.equals(it.existing.property(uniqueProperty))) {
                    p.put(uniqueProperty, it.uniqueValue); // write back the natural key
                }
                replaceProps(it, p);
                updates.add(it);
            } else if (mode == HubSpotSinkConfig.WriteMode.UPDATE_ONLY) {
                outcomes.fail(
                        it,
                        Failure.of(
                                DeadLetter.NOT_FOUND,
                                "no existing " + objectType + " record for this record (write.mode=update_only)"));
            } else if (hasTiers && contacts && it.email == null && requireEmail) {
                outcomes.fail(
                        it,
                        Failure.of(
                                "NO_EMAIL_NO_MATCH",
                                "the record has no email and matches no contact "
                                        + "in any tier; quarantined instead of creating an unfindable contact"));
            } else {
                replaceProps(it, rules.apply(it.props, null));
                creates.add(it);
            }
        }
        // Two records of this round resolved to the same HubSpot record (e.g. matched by different tiers): write
        // them one after the other, in offset order, never in the same or concurrent batches.
        for (List<PendingRecord> layer : OperationOrder.rounds(updates, it -> List.of(it.existing.id()))) {
            writeUpdates(layer);
        }
        writeCreates(creates);
        associations.write(round);
    }

    /**
     * Whether the record was planned against an older version of the HubSpot record than the one just read: then it
     * is not written but consumed again, so whatever planned it plans again against the record as it is now.
     */
    private boolean changedSincePlanned(PendingRecord it) {
        return changedSincePlanned(it, it.existing.updatedAt());
    }

    private boolean changedSincePlanned(PendingRecord it, Instant now) {
        String expected = ExpectedVersion.of(it.record);
        if (expected == null || now != null && expected.equals(Long.toString(now.toEpochMilli()))) {
            return false;
        }
        it.done = true;
        stats.changedSincePlanned.incrementAndGet();
        consumeAgain.accept(it.record);
        return true;
    }

    /** No rule needs the current record and every record has a unique value: straight to batch upsert. */
    private void upsertByUniqueValue(List<PendingRecord> round) {
        List<PendingRecord> ok = new ArrayList<>();
        for (PendingRecord it : round) {
            if (it.uniqueValue == null) {
                outcomes.fail(
                        it,
                        Failure.of(
                                DeadLetter.MISSING_KEY,
                                "the record has no value for the unique " + "property " + uniqueProperty));
            } else {
                replaceProps(it, rules.apply(it.props, null));
                ok.add(it);
            }
        }
        upsert(ok, uniqueProperty, it -> it.uniqueValue);
        associations.write(round);
    }

    private static void replaceProps(PendingRecord it, Map<String, String> p) {
        it.props.clear();
        it.props.putAll(p);
    }

    private void writeUpdates(List<PendingRecord> updates) {
        List<PendingRecord> changed = new ArrayList<>();
        for (PendingRecord it : updates) {
            if (it.props.isEmpty()) {
                it.writtenId = it.existing.id(); // nothing to change; associations still apply
                outcomes.skip(it);
            } else {
                changed.add(it);
            }
        }
        BatchExecutor.Call update = new BatchExecutor.Call(
                BatchExecutor.Op.UPDATE,
                it -> {
                    ObjectNode n = MAPPER.createObjectNode().put("id", it.existing.id());
                    it.props.forEach(n.putObject("properties")::put);
                    return n;
                },
                (it, o) -> {
                    it.writtenId = o == null ? it.existing.id() : o.id();
                    stats.updated.incrementAndGet();
                    identity.written(it, it.writtenId);
                },
                o -> o.id(),
                it -> it.existing.id());
        List<PendingRecord> conditional = changed.stream()
                .filter(it -> ExpectedVersion.of(it.record) != null)
                .toList();
        executor.run(
                update,
                changed.stream()
                        .filter(it -> ExpectedVersion.of(it.record) == null)
                        .toList());
        // HubSpot has no conditional update: each chunk's versions are read again right before its update call
        for (List<PendingRecord> chunk : ParallelCalls.chunks(conditional, batchSize)) {
            Map<String, Instant> now = new HashMap<>();
            for (CrmObject o : client.batchRead(
                            objectType,
                            chunk.stream().map(it -> it.existing.id()).toList(),
                            List.of(),
                            null,
                            false)
                    .results()) {
                now.put(o.id(), o.updatedAt());
            }
            executor.run(
                    update,
                    chunk.stream()
                            .filter(it -> !changedSincePlanned(it, now.get(it.existing.id())))
                            .toList());
        }
    }

    /**
     * Creates go through batch upsert by the unique property, or by email for contacts, whenever the record has
     * one (a redelivery can never create twice); the rest through batch create, whose lost answers are read back.
     */
    private void writeCreates(List<PendingRecord> creates) {
        if (creates.isEmpty()) {
            return;
        }
        identity.creating();
        List<PendingRecord> byUnique = new ArrayList<>();
        List<PendingRecord> byEmail = new ArrayList<>();
        List<PendingRecord> plain = new ArrayList<>();
        for (PendingRecord it : creates) {
            if (it.uniqueValue != null) {
                byUnique.add(it);
            } else if (contacts && it.email != null) {
                byEmail.add(it);
            } else {
                plain.add(it);
            }
        }
        upsert(byUnique, uniqueProperty, it -> it.uniqueValue);
        upsert(byEmail, "email", it -> it.email);
        plain = notCreatedBeforeStart(plain);
        List<PendingRecord> lost = executor.run(createCall(), plain);
        if (!lost.isEmpty()) {
            readBackLostCreates(lost);
        }
    }

    /**
     * A task that just started may be handed a batch its predecessor wrote moments before it stopped (a rebalance,
     * a crash before the commit): those records are not in HubSpot's search index yet, so the tier search found
     * nothing. Before its first plain creates, a new task waits until the index lag has passed since it started and
     * looks them up again; only records still not found are created.
     */
    private List<PendingRecord> notCreatedBeforeStart(List<PendingRecord> plain) {
        if (settled || plain.isEmpty() || !hasTiers) {
            return plain;
        }
        long wait = startedAt + readBackDelayMs - System.currentTimeMillis();
        if (wait > 0) {
            pause(wait);
            List<PendingRecord> findable =
                    plain.stream().filter(identity::hasTierKey).toList();
            List<PendingRecord> found = identity.readBack(findable);
            if (!found.isEmpty()) {
                LOG.info(
                        "{} {} records of a redelivered batch were already in HubSpot (written before this task "
                                + "started); updated, not created again",
                        found.size(),
                        objectType);
                writeUpdates(found);
            }
            plain = plain.stream().filter(it -> !it.done && it.existing == null).toList();
        }
        settled = true;
        return plain;
    }

    /** Plain creates, with trace ids so a 207 names each failing input; tier keys remembered for redeliveries. */
    private BatchExecutor.Call createCall() {
        return new BatchExecutor.Call(
                BatchExecutor.Op.CREATE,
                it -> {
                    ObjectNode n = MAPPER.createObjectNode();
                    it.props.forEach(n.putObject("properties")::put);
                    return n;
                },
                (it, o) -> {
                    it.writtenId = o.id();
                    stats.created.incrementAndGet();
                    identity.created(it, o.id());
                },
                null,
                null);
    }

    /**
     * Creates whose answer was lost may have been committed: they are looked up by their match tiers after HubSpot's
     * search index had time to catch up, and only those not found are created. Records no tier can find are
     * dead-lettered (CREATE_OUTCOME_UNKNOWN) rather than risk a duplicate.
     */
    private void readBackLostCreates(List<PendingRecord> lost) {
        List<PendingRecord> findable = new ArrayList<>();
        for (PendingRecord it : lost) {
            if (identity.hasTierKey(it)) {
                findable.add(it);
            } else {
                outcomes.fail(
                        it,
                        Failure.of(
                                "CREATE_OUTCOME_UNKNOWN",
                                "HubSpot may or may not have created this "
                                        + objectType
                                        + " record (its answer was lost) and no match tier can look it up, so it is "
                                        + "not sent again; configure unique.property (upserts are safe to repeat) or match.tiers"));
            }
        }
        if (findable.isEmpty()) {
            return;
        }
        pause(readBackDelayMs);
        List<PendingRecord> found = identity.readBack(findable);
        stats.createsReadBack.addAndGet(found.size());
        LOG.info(
                "{} of {} {} creates whose answer was lost were found in HubSpot and are not created again",
                found.size(),
                findable.size(),
                objectType);
        writeUpdates(found); // ours (committed before the answer was lost), or a record that now matches
        List<PendingRecord> missing =
                findable.stream().filter(it -> !it.done && it.existing == null).toList();
        if (!executor.run(createCall(), missing).isEmpty()) {
            throw new HubSpotRetriableException(
                    "HubSpot batch create of " + objectType + ": outcome unknown twice; "
                            + "the batch is handed back and read back again when redelivered",
                    0,
                    null,
                    null,
                    0,
                    null);
        }
    }

    private void upsert(List<PendingRecord> items, String idProperty, Function<PendingRecord, String> key) {
        executor.run(
                new BatchExecutor.Call(
                        BatchExecutor.Op.UPSERT,
                        it -> {
                            ObjectNode n = MAPPER.createObjectNode()
                                    .put("id", key.apply(it))
                                    .put("idProperty", idProperty);
                            ObjectNode p = n.putObject("properties");
                            it.props.forEach((k, v) -> {
                                if (!k.equals(idProperty)) {
                                    p.put(k, v);
                                }
                            });
                            return n;
                        },
                        (it, o) -> {
                            it.writtenId = o.id();
                            if (it.existing != null) {
                                stats.updated.incrementAndGet();
                                identity.written(it, o.id());
                            } else {
                                stats.created.incrementAndGet();
                                identity.created(it, o.id());
                            }
                        },
                        o -> {
                            String v = o.property(idProperty);
                            return v == null ? null : identity.uniqueNorm(idProperty, v);
                        },
                        it -> identity.uniqueNorm(idProperty, key.apply(it))),
                items);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubSpotRetriableException(
                    "interrupted while waiting to read back lost creates", 0, null, null, 0, e);
        }
    }

    /** Releases the writer's threads. */
    @Override
    public void close() {
        calls.close();
    }
}
