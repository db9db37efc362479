package io.crmconnect.sync.connect;

import io.crmconnect.common.normalize.Normalizers;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;
import java.util.StringJoiner;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a value read on one side into its canonical text, the form both sides' values are compared and
 * fingerprinted in: the HubSpot spelling (value maps translate Dynamics 365 choice labels, owner ids, country names),
 * numbers without trailing zeros, booleans {@code true}/{@code false}, dates {@code yyyy-MM-dd}, times as ISO
 * instants, lists joined with {@code ;} (HubSpot's multi-checkbox form), the HubSpot match key (email) normalized
 * like the HubSpot sink writes it. Empty text is null.
 */
final class Canonical {
    private Canonical() {}

    static String of(ObjectMapping m, FieldRule f, Side side, Object raw, boolean dateOnly) {
        String text = text(raw, dateOnly);
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (f.hubspot().equals(m.hubspot().matchKey())) {
            text = Normalizers.email(text);
        }
        if (f.values().isIdentity()) {
            return text;
        }
        String c = f.values().toCanonical(side, text);
        if (c == null) {
            throw new DataException("TwoWaySync: UNMAPPED_VALUE field '" + f.name() + "' (" + f.on(side) + " on "
                    + side.name().toLowerCase(Locale.ROOT) + ") has a value its 'values' do not translate");
        }
        return c;
    }

    /** The value to write on {@code side} for a canonical value. */
    static String toSide(FieldRule f, Side side, String canonical) {
        return f.values().fromCanonical(side, canonical);
    }

    static String text(Object v, boolean dateOnly) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s.trim();
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return text(BigDecimal.valueOf(((Number) v).doubleValue()), false);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Date d) {
            return dateOnly
                    ? LocalDate.ofInstant(d.toInstant(), ZoneOffset.UTC).toString()
                    : Instant.ofEpochMilli(d.getTime()).toString();
        }
        if (v instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(";");
            for (Object o : c) {
                String s = text(o, dateOnly);
                if (s != null && !s.isEmpty()) {
                    j.add(s);
                }
            }
            return j.toString();
        }
        return v.toString().trim();
    }
}
