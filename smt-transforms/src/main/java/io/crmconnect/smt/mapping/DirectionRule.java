package io.crmconnect.smt.mapping;

import java.util.Locale;

/** A per-field sync rule: which directions may carry the field. */
public enum DirectionRule {
    A_TO_B,
    B_TO_A,
    BOTH,
    NONE;

    public boolean allows(Direction direction) {
        return switch (this) {
            case BOTH -> true;
            case NONE -> false;
            case A_TO_B -> direction == Direction.A_TO_B;
            case B_TO_A -> direction == Direction.B_TO_A;
        };
    }

    /** {@code null} for an unknown name. Accepts a_to_b, b_to_a, both, none (also "read_only"-free spellings). */
    public static DirectionRule fromName(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DirectionRule r : values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(t)) {
                return r;
            }
        }
        return null;
    }
}
