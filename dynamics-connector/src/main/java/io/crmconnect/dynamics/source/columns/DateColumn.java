package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Date;

/**
 * DateTime columns with the DateOnly behaviour (Edm.Date, {@code 2024-03-10}; a birth date has no time and no zone)
 * as Connect Dates.
 */
final class DateColumn extends ScalarColumn {
    DateColumn(String column) {
        super(
                column,
                column,
                org.apache.kafka.connect.data.Date.builder().optional().build());
    }

    @Override
    Object convert(JsonNode v) {
        String s = v.asText();
        LocalDate d = LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        return new Date(d.toEpochDay() * 86_400_000L);
    }
}
