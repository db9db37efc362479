package io.crmconnect.simulator.warehouse;

import java.time.Instant;

/**
 * One change as BigQuery's CHANGES / APPENDS table functions report it: {@code type} INSERT, UPDATE or DELETE, the
 * row after the change (before it for a DELETE), and the commit time of the change.
 */
public record ChangeEvent(Object[] row, String type, Instant commitTime) {}
