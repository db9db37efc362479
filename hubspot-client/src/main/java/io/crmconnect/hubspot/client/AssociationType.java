package io.crmconnect.hubspot.client;

/** One association type: category HUBSPOT_DEFINED / USER_DEFINED / INTEGRATOR_DEFINED, type id and label (null = unlabeled). */
public record AssociationType(String category, int typeId, String label) {}
