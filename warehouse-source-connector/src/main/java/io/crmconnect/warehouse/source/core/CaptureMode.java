package io.crmconnect.warehouse.source.core;

/** How a table's changes are read after (or instead of) the snapshot. */
public enum CaptureMode {
    /** Snapshot at t0, then net change sets between consecutive points (updates, deletes). */
    CHANGES,
    /** Snapshot at t0, then inserted rows only (cheaper, for insert-only tables). */
    APPEND_ONLY,
    /** Rows ordered by (watermark column, key) up to the server's time minus a delay; no deletes. */
    WATERMARK
}
