package io.crmconnect.warehouse.source.core;

import java.time.Duration;

/**
 * Tuning of one table's capture. {@code changesLag}: how far behind the server's clock a change interval ends
 * (a point the warehouse has surely settled; BigQuery's CHANGES needs minutes). {@code watermarkDelay}: how long a
 * transaction may take between stamping its rows and committing (watermark mode cannot see later commits).
 * {@code grid}: change intervals end on multiples of it; {@code replayWindow}: after a restart, how much of the
 * time after the committed position is re-read one grid step at a time (see {@link TableCapture}).
 */
public record CaptureSettings(
        CaptureMode mode,
        int chunkRows,
        Duration changesLag,
        Duration watermarkDelay,
        Duration pollInterval,
        RetentionAction retentionAction,
        Duration grid,
        Duration replayWindow) {
    public CaptureSettings(
            CaptureMode mode,
            int chunkRows,
            Duration changesLag,
            Duration watermarkDelay,
            Duration pollInterval,
            RetentionAction retentionAction) {
        this(
                mode,
                chunkRows,
                changesLag,
                watermarkDelay,
                pollInterval,
                retentionAction,
                Duration.ofMillis(1),
                Duration.ofDays(1));
    }
}
