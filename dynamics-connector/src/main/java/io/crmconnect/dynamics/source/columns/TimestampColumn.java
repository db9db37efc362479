package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.common.time.FastTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import org.apache.kafka.connect.data.Timestamp;

/**
 * DateTime columns with the UserLocal or TimeZoneIndependent behaviour (Edm.DateTimeOffset, sent in UTC) as
 * Connect Timestamps.
 */
final class TimestampColumn extends ScalarColumn {
    TimestampColumn(String column) {
        super(column, column, Timestamp.builder().optional().build());
    }

    @Override
    Object convert(JsonNode v) {
        return new Date(epochMillis(v.asText()));
    }

    static long epochMillis(String s) {
        Long fast = FastTime.isoEpochMillis(s, ZoneOffset.UTC);
        return fast != null ? fast : OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }
}
