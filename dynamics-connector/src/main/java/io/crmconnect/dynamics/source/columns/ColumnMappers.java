package io.crmconnect.dynamics.source.columns;

import io.crmconnect.dynamics.client.ColumnMetadata;

/** Chooses the mapper of a column by its kind; null for columns the source does not read. */
public final class ColumnMappers {
    /** Scale of money fields: Dataverse serializes money with four decimal places. */
    static final int MONEY_SCALE = 4;
    /** Scale of decimal columns whose precision the metadata does not give (Dataverse allows up to 10). */
    static final int MAX_DECIMAL_SCALE = 10;

    private ColumnMappers() {}

    public static ColumnMapper of(ColumnMetadata c) {
        if (!c.readable()) {
            return null;
        }
        String n = c.logicalName();
        switch (c.kind()) {
            case STRING:
            case MEMO:
            case ENTITY_NAME:
            case UNIQUEIDENTIFIER:
                return new TextColumn(n);
            case BOOLEAN:
                return new BooleanColumn(n);
            case INTEGER:
                return new WholeNumberColumn(n, false);
            case BIGINT:
                return new WholeNumberColumn(n, true);
            case DOUBLE:
                return new FloatColumn(n);
            case DECIMAL:
                return new DecimalColumn(
                        n,
                        c.precision() == null
                                ? MAX_DECIMAL_SCALE
                                : Math.max(0, Math.min(MAX_DECIMAL_SCALE, c.precision())));
            case MONEY:
                return new DecimalColumn(n, MONEY_SCALE);
            case DATETIME:
                return new TimestampColumn(n);
            case DATE_ONLY:
                return new DateColumn(n);
            case CHOICE:
                return new ChoiceColumn(n, c.options());
            case MULTI_CHOICE:
                return new MultiChoiceColumn(n, c.options());
            case LOOKUP:
                return new LookupColumn(n, c.targets());
            default:
                return null;
        }
    }
}
