package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation passes of one object: every {@code reconcile.interval.ms} all ids are listed and compared with
 * the ids in the topic ({@link TopicIds}); ids gone without a trace (GDPR deletes, deletes older than the 90-day
 * recycle bin) become {@code reconcile-delete} tombstones on the deletes partition, at the delete scan's watermark.
 */
final class Reconciliation implements ObjectPhase {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);
    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final ObjectRecords records;
    private final TopicIds ids;
    private final LongSupplier deletesSince;
    private final long interval;
    private boolean running;
    private String after;
    private long nextPass;

    Reconciliation(
            HubSpotClient client,
            String objectType,
            String name,
            ObjectRecords records,
            TopicIds ids,
            LongSupplier deletesSince,
            long interval) {
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.records = records;
        this.ids = ids;
        this.deletesSince = deletesSince;
        this.interval = interval;
    }

    /** The first pass comes one interval from now. */
    void restore(long now) {
        nextPass = now + interval;
    }

    /** Asks for a pass at once (after a resumed load: the ids loaded before the restart must be listed). */
    void dueAt(long now) {
        nextPass = now;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public long nextDue() {
        return nextPass;
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (!running) {
            running = true;
            after = null;
            ids.startListing();
        }
        Page<CrmObject> page =
                client.list(objectType, List.of("hs_object_id"), null, after, ObjectStream.LIST_PAGE, false);
        for (CrmObject o : page.results()) {
            ids.listed(o.id());
        }
        after = page.after();
        if (page.hasMore()) {
            return List.of();
        }
        running = false;
        List<SourceRecord> out = new ArrayList<>();
        List<Long> gone = ids.finishListing(records::tombstoned);
        for (long g : gone) {
            out.add(records.tombstone(
                    DeleteScan.offset(deletesSince.getAsLong()), Long.toString(g), "reconcile-delete", now));
        }
        if (!out.isEmpty()) {
            LOG.info("HubSpot {}: reconciliation found {} records gone outside the archive", name, out.size());
        }
        nextPass = now + interval;
        return out;
    }
}
