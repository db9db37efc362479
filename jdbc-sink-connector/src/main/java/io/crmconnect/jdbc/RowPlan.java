package io.crmconnect.jdbc;

import io.crmconnect.jdbc.RecordMapper.BadRecordException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A row layout with the step that fills each of its columns; or, for a schema pair that cannot become rows, the
 * reason every record of that pair is rejected.
 */
record RowPlan(RowLayout layout, ColumnStep[] steps, String rejection) {

    static RowPlan rejected(String reason) {
        return new RowPlan(null, null, reason);
    }

    /** The record's values in layout order. */
    Object[] read(SinkRecord record) {
        if (rejection != null) {
            throw new BadRecordException(rejection);
        }
        return ColumnStep.readAll(steps, record);
    }
}
