package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Writes rows as Dataverse does: {@code @odata.etag} first, then the columns (nulls included), lookups as
 * {@code _x_value} GUIDs, money with four decimals, date-times as {@code 2023-04-07T21:59:01Z}, date-only as
 * {@code 2023-04-07}, multi-select choices as {@code "1,2"}, each preceded by the annotations the client asked for.
 * Rows read without annotations or $expand are serialized once per version and selection.
 */
final class RowWriter {
    private final Store store;

    RowWriter(Store store) {
        this.store = store;
    }

    /** Appends one row's JSON object to {@code out}. */
    void write(Json.Buf out, TableDef t, Row row, Query.Selection sel, Prefer.Annotations ann) {
        boolean cacheable = !ann.any() && sel.expands.isEmpty();
        if (cacheable) {
            byte[] cached = row.cachedJson;
            if (cached != null && sel.key.equals(row.cachedFor)) {
                out.raw(cached);
                return;
            }
        }
        Json.Buf one = new Json.Buf(256 + 40 * sel.attrs.size());
        try (JsonGenerator g = Json.generator(one)) {
            writeObject(g, t, row, sel, ann);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] b = one.copy();
        if (cacheable) {
            row.cachedFor = sel.key;
            row.cachedJson = b;
        }
        out.raw(b);
    }

    /**
     * Appends rows separated by commas with one generator for the whole page (no per-row generator or buffer);
     * rows read without annotations or $expand are cached as the byte range they occupy in the page.
     */
    void writeRows(Json.Buf out, TableDef t, Iterable<Row> rows, Query.Selection sel, Prefer.Annotations ann) {
        boolean cacheable = !ann.any() && sel.expands.isEmpty();
        try (JsonGenerator g = Json.generator(out)) {
            g.setRootValueSeparator(null);
            boolean first = true;
            for (Row row : rows) {
                g.flush();
                if (!first) {
                    out.write(',');
                }
                first = false;
                if (cacheable) {
                    byte[] cached = row.cachedJson;
                    if (cached != null && sel.key.equals(row.cachedFor)) {
                        out.raw(cached);
                        continue;
                    }
                }
                int start = out.length();
                writeObject(g, t, row, sel, ann);
                if (cacheable) {
                    g.flush();
                    byte[] b = Arrays.copyOfRange(out.array(), start, out.length());
                    row.cachedFor = sel.key;
                    row.cachedJson = b;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeObject(JsonGenerator g, TableDef t, Row row, Query.Selection sel, Prefer.Annotations ann)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("@odata.etag", row.etag());
        String currencySymbol = null;
        if (ann.formatted) {
            currencySymbol = currencySymbol(t, row);
        }
        for (Attr a : sel.attrs) {
            writeValue(g, t, row, a, ann, currencySymbol);
        }
        for (Query.Expand e : sel.expands) {
            Object x = row.get(e.nav().attr());
            Row target = null;
            if (x instanceof Ref r && r.table().equals(e.target().logicalName)) {
                target = store.get(e.target(), r.id());
            }
            g.writeFieldName(e.nav().name());
            if (target == null) {
                g.writeNull();
            } else {
                writeObject(g, e.target(), target, e.select(), ann);
            }
        }
        g.writeEndObject();
    }

    private String currencySymbol(TableDef t, Row row) {
        Attr cur = t.byLogical.get("transactioncurrencyid");
        if (cur == null || !(row.get(cur) instanceof Ref r)) {
            return null;
        }
        TableDef ct = store.schema.table("transactioncurrency");
        Row c = store.get(ct, r.id());
        return c == null ? null : (String) c.get(ct.byLogical.get("currencysymbol"));
    }

    private void writeValue(JsonGenerator g, TableDef t, Row row, Attr a, Prefer.Annotations ann, String sym)
            throws IOException {
        Object x = row.v[a.index];
        String name = a.jsonName;
        if (x == null) {
            g.writeNullField(name);
            return;
        }
        if (ann.formatted) {
            String f = Values.formatted(store, a, x, sym);
            if (f != null) {
                g.writeStringField(name + "@OData.Community.Display.V1.FormattedValue", f);
            }
        }
        if (x instanceof Ref r) {
            if (ann.nav) {
                String nav = a.navByTarget.get(r.table());
                if (nav != null) {
                    g.writeStringField(name + "@Microsoft.Dynamics.CRM.associatednavigationproperty", nav);
                }
            }
            if (ann.lookup) {
                g.writeStringField(name + "@Microsoft.Dynamics.CRM.lookuplogicalname", r.table());
            }
            g.writeStringField(name, r.id());
            return;
        }
        g.writeFieldName(name);
        switch (a.type) {
            case MONEY:
                g.writeNumber(Values.money((BigDecimal) x));
                break;
            case DECIMAL:
                g.writeNumber(((BigDecimal) x).toPlainString());
                break;
            case DOUBLE:
                g.writeNumber((Double) x);
                break;
            case INTEGER:
            case PICKLIST:
            case STATE:
            case STATUS:
                g.writeNumber((Integer) x);
                break;
            case BIGINT:
                g.writeNumber((Long) x);
                break;
            case BOOLEAN:
                g.writeBoolean((Boolean) x);
                break;
            case DATETIME:
                g.writeString(a.dateOnly() ? Values.date((Long) x) : Values.iso((Long) x));
                break;
            default:
                g.writeString(x.toString());
        }
    }
}
