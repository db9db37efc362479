package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.AssociationType;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates the associations of written records ({@code associations=field>toObject.toProperty[/label]}): targets
 * found by id or unique property in one batch read per 100 records, labels resolved to type ids once, pairs created
 * with the v4 batch endpoint (creating an existing association changes nothing, so a redelivery is harmless). A
 * missing target is dead-lettered as ASSOCIATION_TARGET_NOT_FOUND with the written record's id.
 */
final class AssociationWriter {
    private final HubSpotClient client;
    private final String objectType;
    private final List<HubSpotSinkConfig.AssociationRule> rules;
    private final Outcomes outcomes;
    private final Map<HubSpotSinkConfig.AssociationRule, Resolved> resolved = new HashMap<>();

    /** A rule's target object type, association types and whether targets are addressed by id. */
    record Resolved(String toType, List<AssociationType> types, boolean byId) {}

    AssociationWriter(
            HubSpotClient client, String objectType, List<HubSpotSinkConfig.AssociationRule> rules, Outcomes outcomes) {
        this.client = client;
        this.objectType = objectType;
        this.rules = rules;
        this.outcomes = outcomes;
    }

    /** Creates the associations of the round's written records. */
    void write(List<PendingRecord> round) {
        for (HubSpotSinkConfig.AssociationRule rule : rules) {
            List<PendingRecord> todo = round.stream()
                    .filter(i -> !i.done && i.writtenId != null && i.assocValues.get(rule.field()) != null)
                    .toList();
            if (todo.isEmpty()) {
                continue;
            }
            Resolved ra = resolve(rule);
            for (List<PendingRecord> chunk : ParallelCalls.chunks(todo, 100)) {
                Map<String, String> targetIds = new HashMap<>();
                List<String> values =
                        chunk.stream().map(i -> key(rule, i)).distinct().toList();
                BatchResult r = client.batchRead(
                        ra.toType(), values, List.of(rule.toProperty()), ra.byId() ? null : rule.toProperty(), false);
                for (CrmObject o : r.results()) {
                    String k = ra.byId() ? o.id() : o.property(rule.toProperty());
                    if (k != null) {
                        targetIds.put(ra.byId() ? k : k.trim().toLowerCase(Locale.ROOT), o.id());
                    }
                }
                List<HubSpotClient.AssociationInput> inputs = new ArrayList<>();
                List<PendingRecord> linked = new ArrayList<>();
                for (PendingRecord it : chunk) {
                    String k = key(rule, it);
                    String to = targetIds.get(ra.byId() ? k : k.toLowerCase(Locale.ROOT));
                    if (to == null) {
                        outcomes.fail(
                                it,
                                Failure.of(
                                                "ASSOCIATION_TARGET_NOT_FOUND",
                                                "the " + objectType
                                                        + " record " + it.writtenId + " was written, but no "
                                                        + ra.toType()
                                                        + " record has this " + rule.toProperty() + " (field "
                                                        + rule.field()
                                                        + "); association not created")
                                        .withObjectId(it.writtenId));
                        continue;
                    }
                    inputs.add(new HubSpotClient.AssociationInput(it.writtenId, to, ra.types()));
                    linked.add(it);
                }
                if (!inputs.isEmpty()) {
                    create(ra, inputs, linked);
                }
            }
        }
    }

    private Resolved resolve(HubSpotSinkConfig.AssociationRule rule) {
        return resolved.computeIfAbsent(rule, r -> {
            String toType = PropertyCatalog.resolveObjectType(client, r.toObject());
            if (toType == null) {
                throw new IllegalStateException("association target object " + r.toObject() + " does not exist");
            }
            List<AssociationType> types = new ArrayList<>();
            for (AssociationType t : client.associationLabels(objectType, toType)) {
                if (r.label() == null ? t.label() == null : r.label().equalsIgnoreCase(t.label())) {
                    types.add(t);
                    break;
                }
            }
            if (types.isEmpty()) {
                throw new IllegalStateException(
                        "no association label \"" + r.label() + "\" from " + objectType + " to " + toType);
            }
            return new Resolved(
                    toType,
                    types,
                    r.toProperty().equals("hs_object_id") || r.toProperty().equals("id"));
        });
    }

    /** Halves a refused call until the refused pair is alone. */
    private void create(Resolved ra, List<HubSpotClient.AssociationInput> inputs, List<PendingRecord> items) {
        try {
            client.createAssociations(objectType, ra.toType(), inputs);
            outcomes.stats.associations.addAndGet(inputs.size());
        } catch (HubSpotApiException e) {
            if (inputs.size() == 1) {
                outcomes.fail(items.get(0), Failure.rejected(e).withObjectId(items.get(0).writtenId));
                return;
            }
            int mid = inputs.size() / 2;
            create(ra, inputs.subList(0, mid), items.subList(0, mid));
            create(ra, inputs.subList(mid, inputs.size()), items.subList(mid, items.size()));
        }
    }

    private static String key(HubSpotSinkConfig.AssociationRule rule, PendingRecord it) {
        return RecordExtractor.withoutDecimalZero(
                it.assocValues.get(rule.field()).toString().trim());
    }
}
