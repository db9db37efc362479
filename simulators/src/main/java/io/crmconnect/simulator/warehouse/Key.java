package io.crmconnect.simulator.warehouse;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/** A business key: the values of a table's key columns, ordered column by column, nulls first. */
public final class Key implements Comparable<Key> {
    private final Object[] values;

    public Key(Object... values) {
        this.values = values.clone();
    }

    /** The key of a row given the positions of the key columns. */
    public static Key ofRow(Object[] row, int[] keyIdx) {
        return of(row, keyIdx);
    }

    static Key of(Object[] row, int[] keyIdx) {
        Object[] v = new Object[keyIdx.length];
        for (int i = 0; i < keyIdx.length; i++) {
            v[i] = row[keyIdx[i]];
        }
        return new Key(v);
    }

    public Object[] values() {
        return values.clone();
    }

    @Override
    public int compareTo(Key o) {
        for (int i = 0; i < values.length; i++) {
            int c = compareValues(values[i], o.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Comparable values compare naturally (numbers by value), nulls first. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        return ((Comparable) a).compareTo(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Object v : values) {
            h = 31 * h
                    + (v instanceof Number n
                            ? new BigDecimal(n.toString()).stripTrailingZeros().hashCode()
                            : Objects.hashCode(v));
        }
        return h;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
