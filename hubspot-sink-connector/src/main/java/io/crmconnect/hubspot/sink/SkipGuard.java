package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.CrmObject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * One {@code skip.if} guard: conditions on the current HubSpot record that must all hold (AND) for the incoming
 * record to be skipped. Guards of the list are alternatives (OR). Syntax of a guard: conditions joined by
 * {@code &}, each {@code property=value} (equal, case-insensitive), {@code property!=value}, {@code property=*} (has
 * a value) or {@code property!=*} (has none), e.g. {@code processing_status=Processed&processing_datetime=*}.
 */
record SkipGuard(List<Condition> conditions) {

    /** {@code property op value}; a null value stands for "any value" ({@code *}). */
    record Condition(String property, boolean negated, String value) {
        boolean holds(CrmObject current) {
            String v = current.property(property);
            boolean present = v != null && !v.isEmpty();
            boolean equal = value == null ? present : present && v.equalsIgnoreCase(value);
            return negated != equal;
        }

        @Override
        public String toString() {
            return property + (negated ? "!=" : "=") + (value == null ? "*" : value);
        }
    }

    static SkipGuard parse(String key, String text) {
        List<Condition> out = new ArrayList<>();
        for (String part : text.split("&")) {
            String c = part.trim();
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(
                        key,
                        text,
                        "expected property=value, property!=value, property=* or "
                                + "property!=*, conditions joined by &");
            }
            boolean negated = c.charAt(eq - 1) == '!';
            String property = c.substring(0, negated ? eq - 1 : eq).trim();
            String value = c.substring(eq + 1).trim();
            if (property.isEmpty()) {
                throw new ConfigException(key, text, "a condition names no property");
            }
            out.add(new Condition(property, negated, value.equals("*") ? null : value));
        }
        return new SkipGuard(List.copyOf(out));
    }

    /** Whether every condition holds on the current HubSpot record. */
    boolean matches(CrmObject current) {
        for (Condition c : conditions) {
            if (!c.holds(current)) {
                return false;
            }
        }
        return true;
    }

    List<String> properties() {
        return conditions.stream().map(Condition::property).toList();
    }

    @Override
    public String toString() {
        return String.join("&", conditions.stream().map(Condition::toString).toList());
    }
}
