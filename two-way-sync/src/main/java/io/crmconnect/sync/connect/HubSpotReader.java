package io.crmconnect.sync.connect;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.ObjectWithHistory;
import io.crmconnect.hubspot.client.SearchRequest;
import io.crmconnect.sync.engine.RecordView;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.ObjectMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads HubSpot records for the planner: by id, by the match key (a unique property such as email, one batch read by
 * {@code idProperty}, exact — no search index lag), and property histories for the fields' own times.
 */
final class HubSpotReader implements TargetReader {
    private final HubSpotClient client;
    private final ObjectMapping m;
    private final RecordViews views;
    private final List<String> properties;

    HubSpotReader(HubSpotClient client, ObjectMapping m) {
        this.client = client;
        this.m = m;
        this.views = new RecordViews(m);
        Set<String> p = new LinkedHashSet<>();
        m.fields().forEach(f -> p.add(f.hubspot()));
        p.add(m.hubspot().linkField());
        p.add(m.hubspot().stateField());
        p.add(m.hubspot().matchKey());
        this.properties = List.copyOf(p);
    }

    @Override
    public RecordView byId(String id) {
        CrmObject o = client.get(m.hubspot().object(), id, properties);
        return o == null ? null : views.fromHubSpot(o, null);
    }

    @Override
    public List<RecordView> byLink(String otherSideId) {
        // Only HubSpot search could find it, and its index lags: identity falls back to the match key.
        return List.of();
    }

    @Override
    public List<String> idsLinkedTo(String otherSideId) {
        List<String> ids = new ArrayList<>();
        for (CrmObject o : client.search(
                        m.hubspot().object(),
                        SearchRequest.of(
                                List.of(SearchRequest.Filter.of(m.hubspot().linkField(), "EQ", otherSideId)),
                                null,
                                true,
                                List.of(m.hubspot().linkField()),
                                10,
                                null))
                .results()) {
            ids.add(o.id());
        }
        return ids;
    }

    @Override
    public List<RecordView> byMatchKey(String canonicalKey) {
        List<RecordView> out = new ArrayList<>();
        for (CrmObject o : client.batchRead(
                        m.hubspot().object(),
                        List.of(canonicalKey),
                        properties,
                        m.hubspot().matchKey(),
                        false)
                .results()) {
            out.add(views.fromHubSpot(o, null));
        }
        return out;
    }

    @Override
    public RecordView withFieldTimes(RecordView v) {
        List<String> props = new ArrayList<>();
        for (FieldRule f : m.fields()) {
            props.add(f.hubspot());
        }
        // One call for the record (its updatedAt is the version a write expects) and its fields' histories.
        List<ObjectWithHistory> o =
                client.batchReadWithHistory(m.hubspot().object(), List.of(v.id()), properties, props);
        return o.isEmpty() ? v : views.fromHubSpot(o.get(0).object(), o.get(0).history());
    }

    @Override
    public void close() {
        client.close();
    }
}
