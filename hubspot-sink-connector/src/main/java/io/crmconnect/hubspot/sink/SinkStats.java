package io.crmconnect.hubspot.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A sink task's counters, shown in logs and published as plugin metrics. */
final class SinkStats {
    final AtomicLong created = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong archived = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong associations = new AtomicLong();
    final AtomicLong searches = new AtomicLong();
    final AtomicLong searchMillis = new AtomicLong();
    /** Creates whose answer was lost and that were then found in HubSpot instead of being sent again. */
    final AtomicLong createsReadBack = new AtomicLong();
    /** Records planned against an older version of their HubSpot record ({@code ExpectedVersion}): consumed again. */
    final AtomicLong changedSincePlanned = new AtomicLong();

    final Map<String, AtomicLong> matchedBy = new ConcurrentHashMap<>();

    void matched(String key) {
        matchedBy.computeIfAbsent(key, x -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public String toString() {
        return "created=" + created + " updated=" + updated + " skipped=" + skipped + " archived=" + archived
                + " deadLettered=" + deadLettered + " associations=" + associations + " matchedBy=" + matchedBy
                + " searches=" + searches + " searchMillis=" + searchMillis + " createsReadBack=" + createsReadBack
                + " changedSincePlanned=" + changedSincePlanned;
    }
}
