package io.crmconnect.simulator.dynamics;

/**
 * One stored record. Values sit at their column's {@link Attr#index}: String (text, memo, multi-select as
 * "1,2"), Integer (whole number, choice, state, status), Long (big int; date-time as epoch milliseconds;
 * date-only as epoch day), BigDecimal (money, decimal), Double, Boolean, {@link Ref} (lookups). Rows are replaced,
 * not changed in place, so a reader holding one sees a consistent version.
 */
final class Row {
    final String id;
    final Object[] v;
    final long version;
    /** Serialized JSON of this version for one selection (no annotations), shared by repeated reads. */
    volatile byte[] cachedJson;

    volatile Object cachedFor;

    Row(String id, Object[] v, long version) {
        this.id = id;
        this.v = v;
        this.version = version;
    }

    Object get(Attr a) {
        return v[a.index];
    }

    String etag() {
        return "W/\"" + version + "\"";
    }
}
