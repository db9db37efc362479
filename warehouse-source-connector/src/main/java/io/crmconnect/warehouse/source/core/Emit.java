package io.crmconnect.warehouse.source.core;

import java.util.Map;

/**
 * One record the capture produces: the row's values ({@code null} = the key was deleted: a tombstone), what
 * happened ({@code snapshot}, {@code upsert}, {@code delete}) and the offset that is safe once it is written.
 */
public record Emit(Object[] key, Object[] values, String change, Map<String, Object> offset) {}
