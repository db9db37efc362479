package io.crmconnect.hubspot.sink;

import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;

/**
 * Archives the HubSpot records that tombstones name ({@code delete.mode=archive}): the key is the HubSpot id, or
 * the unique value when {@code unique.property} is set (read to ids in one batch read per 100). With
 * {@code delete.mode=ignore} tombstones are skipped.
 */
final class TombstoneArchiver {
    private final HubSpotClient client;
    private final String objectType;
    private final IdentityResolver identity;
    private final Outcomes outcomes;
    private final boolean archive;
    private final boolean byUnique;
    private final String uniqueProperty;
    private final int batchSize;

    TombstoneArchiver(
            HubSpotClient client,
            HubSpotSinkConfig config,
            String objectType,
            IdentityResolver identity,
            Outcomes outcomes) {
        this.client = client;
        this.objectType = objectType;
        this.identity = identity;
        this.outcomes = outcomes;
        this.archive = config.deleteMode() == HubSpotSinkConfig.DeleteMode.ARCHIVE;
        this.uniqueProperty =
                config.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        this.byUnique = !uniqueProperty.isEmpty()
                && !"_key".equals(config.getString(HubSpotSinkConfig.ID_FIELD).trim());
        this.batchSize = config.getInt(HubSpotSinkConfig.BATCH_SIZE);
    }

    /** The identity a tombstone names, in {@link PendingRecord#identityKey()}'s form; null without a key. */
    String identityKey(PendingRecord tombstone) {
        String k = keyOf(tombstone);
        return k == null ? null : (byUnique ? "u:" : "id:") + k;
    }

    void archive(List<PendingRecord> tombstones) {
        if (!archive) {
            tombstones.forEach(outcomes::skip);
            return;
        }
        List<String> ids = new ArrayList<>();
        List<String> uniques = new ArrayList<>();
        for (PendingRecord it : tombstones) {
            String k = keyOf(it);
            if (k == null) {
                outcomes.fail(
                        it, Failure.of(DeadLetter.MISSING_KEY, "a tombstone needs a key (HubSpot id or unique value)"));
            } else if (byUnique) {
                uniques.add(k);
            } else {
                ids.add(k);
            }
        }
        for (List<String> chunk : ParallelCalls.chunks(uniques, batchSize)) {
            Map<String, CrmObject> found = identity.readByUnique(uniqueProperty, chunk);
            found.values().forEach(o -> ids.add(o.id()));
        }
        for (List<String> chunk : ParallelCalls.chunks(ids, batchSize)) {
            client.batchArchive(objectType, chunk);
            outcomes.stats.archived.addAndGet(chunk.size());
        }
    }

    private String keyOf(PendingRecord it) {
        Object k = it.record.key();
        if (k instanceof Struct s && s.schema().fields().size() == 1) {
            k = s.get(s.schema().fields().get(0));
        } else if (k instanceof Map<?, ?> m && m.size() == 1) {
            k = m.values().iterator().next();
        }
        if (k == null) {
            return null;
        }
        String s = k.toString().trim();
        return byUnique ? identity.uniqueNorm(uniqueProperty, s) : s;
    }
}
