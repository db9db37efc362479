package io.crmconnect.hubspot.client;

import java.time.Instant;

/** A CRM owner ({@code hubspot_owner_id} values refer to {@code id}). Email and names are personal data: never log them. */
public record Owner(
        String id,
        String email,
        String firstName,
        String lastName,
        Long userId,
        boolean archived,
        Instant createdAt,
        Instant updatedAt) {}
