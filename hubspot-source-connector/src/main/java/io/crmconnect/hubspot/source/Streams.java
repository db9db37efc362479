package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.HubSpotClient;
import java.util.ArrayList;
import java.util.List;

/** Opens the {@link Stream} a {@link StreamId} names, for a task. */
final class Streams {
    private Streams() {}

    /**
     * @param client       the task thread's calls
     * @param readerClient the initial load's reader threads
     */
    static Stream open(
            StreamId id,
            HubSpotSourceConfig config,
            HubSpotClient client,
            HubSpotClient readerClient,
            SourceMetrics metrics) {
        if (id instanceof StreamId.CrmType t) {
            return new ObjectStream(config, client, readerClient, t.objectType(), t.name(), metrics);
        }
        if (id instanceof StreamId.Owners) {
            return new SnapshotStream.Owners(config, client, metrics);
        }
        if (id instanceof StreamId.Pipelines) {
            return new SnapshotStream.Pipelines(config, client, metrics, pipelineObjects(config));
        }
        StreamId.AssociationPair a = (StreamId.AssociationPair) id;
        return new SnapshotStream.AssociationPair(config, client, metrics, a.from(), a.to());
    }

    /** Deals and tickets have pipelines; those selected, else deals. */
    private static List<String> pipelineObjects(HubSpotSourceConfig config) {
        List<String> types = new ArrayList<>();
        for (String t : List.of("deals", "tickets")) {
            if (config.selected(t, null)) {
                types.add(t);
            }
        }
        if (types.isEmpty()) {
            types.add("deals");
        }
        return types;
    }
}
