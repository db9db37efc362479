package io.crmconnect.warehouse.source.core;

import java.time.Instant;
import java.util.List;

/**
 * What the change-capture core needs from one warehouse table. Every read is bounded ({@code limit} rows) and
 * deterministic for the same arguments while the points stay inside time travel, so a page can be read again
 * after a restart. Implementations throw {@link WarehouseError} with a kind the core acts on.
 */
public interface ChangeSource extends AutoCloseable {
    /** The table's columns, in the order rows carry them. */
    List<ColumnInfo> columns();

    /** The warehouse's current time (never the JVM's). */
    Instant serverNow();

    /** Rows of the table as of {@code asOf}, key &gt; {@code afterKey} (null = from the first), in key order. */
    Page snapshot(Instant asOf, Object[] afterKey, int limit);

    /**
     * The changes between the table at {@code from} and at {@code to}, key &gt; {@code afterKey}, in key order
     * (rows of one key together). {@code appendOnly}: inserted rows only.
     */
    Page changes(Instant from, Instant to, boolean appendOnly, Object[] afterKey, int limit);

    /**
     * Rows whose (watermark, key) is after ({@code afterTs}, {@code afterKey}) and whose watermark is at or before
     * {@code upTo}, ordered by watermark then key. {@code afterTs} null = from the start; a source that reads rows
     * with an empty watermark returns them first, in key order after {@code afterKey}.
     */
    Page watermark(Instant afterTs, Object[] afterKey, Instant upTo, int limit);

    @Override
    void close();
}
