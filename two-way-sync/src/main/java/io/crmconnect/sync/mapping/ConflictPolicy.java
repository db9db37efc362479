package io.crmconnect.sync.mapping;

import java.util.Locale;

/**
 * Who wins when both sides changed a field since it was last in sync: a named side, or the most recent change
 * (the field's own modification time where the side exposes one, else the record's), ties to {@code tieBreaker}.
 */
public record ConflictPolicy(Kind kind, Side side) {
    public enum Kind {
        SOURCE_OF_TRUTH,
        MOST_RECENT_WINS
    }

    public static ConflictPolicy sourceOfTruth(Side side) {
        return new ConflictPolicy(Kind.SOURCE_OF_TRUTH, side);
    }

    /** {@code tieBreaker} wins when both changes carry the same time. */
    public static ConflictPolicy mostRecentWins(Side tieBreaker) {
        return new ConflictPolicy(Kind.MOST_RECENT_WINS, tieBreaker);
    }

    @Override
    public String toString() {
        return kind == Kind.SOURCE_OF_TRUTH
                ? "source_of_truth:" + side.name().toLowerCase(Locale.ROOT)
                : "most_recent_wins";
    }
}
