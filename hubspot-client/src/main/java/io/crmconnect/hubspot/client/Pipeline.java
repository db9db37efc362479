package io.crmconnect.hubspot.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A deal/ticket (or custom object) pipeline with its stages. */
public record Pipeline(
        String id,
        String label,
        int displayOrder,
        boolean archived,
        Instant createdAt,
        Instant updatedAt,
        List<Stage> stages) {
    /** A pipeline stage; {@code metadata} holds e.g. probability / isClosed / ticketState as strings. */
    public record Stage(
            String id,
            String label,
            int displayOrder,
            boolean archived,
            Instant createdAt,
            Instant updatedAt,
            Map<String, String> metadata) {}
}
