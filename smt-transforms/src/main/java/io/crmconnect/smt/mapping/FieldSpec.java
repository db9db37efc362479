package io.crmconnect.smt.mapping;

import java.util.List;

/**
 * One target field of a mapping, as written in the mapping file (before compilation). Exactly one of
 * {@code from}, {@code constant}, {@code concat} is set.
 *
 * @param location where it was declared ("objects.contact.a_to_b.fields[3]"), used in configuration errors
 */
public record FieldSpec(
        String location,
        String to,
        String from,
        Object constant,
        List<ConcatPart> concat,
        String separator,
        String json,
        Object defaultValue,
        String type,
        List<String> formats,
        String timezone,
        String output,
        String outputFormat,
        String outputTimezone,
        Integer scale,
        boolean required) {

    /** A concatenation part: a field path, or a literal text when {@code literal} is true. */
    public record ConcatPart(String text, boolean literal) {}
}
