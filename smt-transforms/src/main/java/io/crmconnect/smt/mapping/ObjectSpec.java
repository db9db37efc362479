package io.crmconnect.smt.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One object of a mapping file (e.g. "contact"): its per-direction field mappings and per-field sync rules. */
public record ObjectSpec(String name, Map<Direction, DirectionSpec> directions, Map<String, DirectionRule> rules) {

    /** The mapping of one direction. {@code keepUnmapped}: fields no mapping names pass through unchanged. */
    public record DirectionSpec(
            String location, List<FieldSpec> fields, boolean keepUnmapped, Set<String> drop, String schemaName) {}
}
