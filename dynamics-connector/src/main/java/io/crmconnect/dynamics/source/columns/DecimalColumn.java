package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.kafka.connect.data.Decimal;

/**
 * Decimal and Money (Edm.Decimal) columns as Connect Decimals of a fixed scale: the column's precision for decimals,
 * 4 for money (Dataverse serializes money with four places, e.g. {@code 20000.0000}), so no value is rounded.
 */
final class DecimalColumn extends ScalarColumn {
    private final int scale;

    DecimalColumn(String column, int scale) {
        super(column, column, Decimal.builder(scale).optional().build());
        this.scale = scale;
    }

    @Override
    Object convert(JsonNode v) {
        BigDecimal d = v.isTextual() ? new BigDecimal(v.asText()) : v.decimalValue();
        return d.scale() == scale ? d : d.setScale(scale, RoundingMode.HALF_EVEN);
    }
}
