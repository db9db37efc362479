package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** CRM object endpoints: list, get, create, update, archive, batch, merge, GDPR delete. */
final class Objects {
    static final int MAX_BATCH = 100;
    final Store store;
    final String baseUrl;
    volatile boolean trackHistory = true;

    Objects(Store store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl;
    }

    // ------------------------------------------------------------------ rendering

    /** Which properties a response carries: requested (only those with a value) or the type's defaults. */
    static Set<String> selectProps(ObjectType t, Collection<String> requested) {
        Set<String> s = new LinkedHashSet<>();
        if (requested == null || requested.isEmpty()) {
            s.addAll(t.defaultProps);
        } else {
            s.addAll(requested);
        }
        s.add(t.createdProp);
        s.add(t.lastModifiedProp);
        s.add("hs_object_id");
        return s;
    }

    void writeRecord(JsonGenerator g, ObjectType t, Rec r, Set<String> props, Set<String> hist,
            List<String> assocTypes, Boolean isNew) throws IOException {
        g.writeStartObject();
        g.writeFieldName(F_ID);
        g.writeString(Long.toString(r.id));
        g.writeFieldName(F_PROPERTIES);
        g.writeStartObject();
        for (String p : props) {
            String v = r.props.get(p);
            if (v != null) {
                g.writeFieldName(name(p));
                g.writeString(v);
            }
        }
        g.writeEndObject();
        if (hist != null && !hist.isEmpty()) {
            g.writeObjectFieldStart("propertiesWithHistory");
            for (String p : hist) {
                List<Rec.Hist> h = r.history.get(p);
                if (h == null && r.props.get(p) == null) {
                    continue;
                }
                if (h == null) {
                    h = List.of(new Rec.Hist(r.props.get(p), r.createdAt, "CRM_UI", "userId:1"));
                }
                g.writeArrayFieldStart(p);
                if (h != null) {
                    for (Rec.Hist x : h) {
                        g.writeStartObject();
                        g.writeStringField("value", x.value());
                        g.writeStringField("timestamp", Json.iso(x.timestamp()));
                        g.writeStringField("sourceType", x.sourceType());
                        g.writeStringField("sourceId", x.sourceId());
                        if (x.sourceId() != null && x.sourceId().startsWith("userId:")) {
                            // changes made by a user carry the user's id (ValueWithTimestamp.updatedByUserId)
                            g.writeNumberField("updatedByUserId", Integer.parseInt(x.sourceId().substring(7)));
                        }
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeFieldName(F_CREATED);
        g.writeString(r.createdIso);
        g.writeFieldName(F_UPDATED);
        g.writeString(r.updatedIso);
        g.writeFieldName(F_ARCHIVED);
        g.writeBoolean(r.archived);
        if (r.archived) {
            g.writeStringField("archivedAt", r.archivedIso);
        }
        if (isNew != null) {
            g.writeBooleanField("new", isNew);
        }
        if (assocTypes != null && !assocTypes.isEmpty()) {
            boolean opened = false;
            for (String at : assocTypes) {
                ObjectType to = store.typeOrNull(at);
                if (to == null) {
                    continue; // unknown association types are ignored
                }
                TreeMap<Long, TreeSet<Integer>> m = store.associations.get(t.objectTypeId, r.id, to.objectTypeId);
                if (m.isEmpty()) {
                    continue;
                }
                if (!opened) {
                    g.writeObjectFieldStart("associations");
                    opened = true;
                }
                g.writeObjectFieldStart(to.name);
                g.writeArrayFieldStart("results");
                int n = 0;
                for (Map.Entry<Long, TreeSet<Integer>> e : m.entrySet()) {
                    for (Integer typeId : e.getValue()) {
                        Store.Associations.Def d = store.associations.def(t.objectTypeId, to.objectTypeId, typeId);
                        g.writeStartObject();
                        g.writeStringField("id", Long.toString(e.getKey()));
                        g.writeStringField("type", t.singular + "_to_" + to.singular
                                + (d != null && d.label() == null ? "_unlabeled" : ""));
                        g.writeEndObject();
                    }
                    if (++n >= 500) {
                        break;
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (opened) {
                g.writeEndObject();
            }
        }
        g.writeFieldName(F_URL);
        g.writeString(urlPrefix(t) + r.id);
        g.writeEndObject();
    }

    private static final com.fasterxml.jackson.core.io.SerializedString F_ID = new com.fasterxml.jackson.core.io
            .SerializedString("id");
    private static final com.fasterxml.jackson.core.io.SerializedString F_PROPERTIES = new com.fasterxml.jackson
            .core.io.SerializedString("properties");
    private static final com.fasterxml.jackson.core.io.SerializedString F_CREATED = new com.fasterxml.jackson.core
            .io.SerializedString("createdAt");
    private static final com.fasterxml.jackson.core.io.SerializedString F_UPDATED = new com.fasterxml.jackson.core
            .io.SerializedString("updatedAt");
    private static final com.fasterxml.jackson.core.io.SerializedString F_ARCHIVED = new com.fasterxml.jackson.core
            .io.SerializedString("archived");
    private static final com.fasterxml.jackson.core.io.SerializedString F_URL = new com.fasterxml.jackson.core.io
            .SerializedString("url");
    private static final Map<String, com.fasterxml.jackson.core.io.SerializedString> NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Pre-encoded field names (property names repeat on every record). */
    static com.fasterxml.jackson.core.io.SerializedString name(String n) {
        com.fasterxml.jackson.core.io.SerializedString s = NAMES.get(n);
        if (s == null) {
            s = new com.fasterxml.jackson.core.io.SerializedString(n);
            if (NAMES.size() < 100_000) {
                NAMES.put(n, s);
            }
        }
        return s;
    }

    private final Map<String, String> urlPrefixes = new java.util.concurrent.ConcurrentHashMap<>();

    private String urlPrefix(ObjectType t) {
        return urlPrefixes.computeIfAbsent(t.objectTypeId, k -> baseUrl + "/contacts/" + store.portalId + "/record/"
                + k + "/");
    }

    /**
     * Writes a record without history/associations, reusing its serialized form when the same property selection
     * was written before (records are immutable snapshots, so the bytes never go stale).
     */
    @SuppressWarnings("unchecked")
    void writeRecordCached(JsonGenerator g, ObjectType t, Rec r, Set<String> props, String selectionKey)
            throws IOException {
        Object[] c = r.jsonCache;
        if (c != null && c[0].equals(selectionKey)) {
            RawJson cached = ((java.lang.ref.SoftReference<RawJson>) c[1]).get();
            if (cached != null) {
                g.writeRawValue(cached);
                return;
            }
        }
        // the same bytes as writeRecord(g, t, r, props, null, null, null), without Jackson per field
        RawJson raw = new RawJson(RecordWriter.write(r, RecordWriter.plan(t.name, props, selectionKey), urlPrefix(t)));
        // soft: the JVM drops cached bytes under memory pressure (large or wide simulations)
        r.jsonCache = new Object[] {selectionKey, new java.lang.ref.SoftReference<>(raw)};
        g.writeRawValue(raw);
    }

    /** Pre-encoded JSON that UTF8JsonGenerator copies as raw bytes. */
    static final class RawJson implements com.fasterxml.jackson.core.SerializableString {
        final byte[] bytes;

        RawJson(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getValue() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String s = getValue();
            if (offset + s.length() > buffer.length) {
                return -1;
            }
            s.getChars(0, s.length(), buffer, offset);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(java.io.OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(java.nio.ByteBuffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int putUnquotedUTF8(java.nio.ByteBuffer out) {
            if (bytes.length > out.remaining()) {
                return -1;
            }
            out.put(bytes);
            return bytes.length;
        }
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static Http.Resp stream(int status, Body body) {
        return stream(status, 8192, body);
    }

    /**
     * Per-thread response buffer: the HTTP thread that builds a response also writes it before it builds the next
     * one, so the bytes can be reused instead of allocating ~100 KB per list page.
     */
    private static final ThreadLocal<Buf> BUFFERS = new ThreadLocal<>();

    /** Streams JSON into an unsynchronized buffer presized to {@code sizeHint} bytes. */
    static Http.Resp stream(int status, int sizeHint, Body body) {
        Buf out = BUFFERS.get();
        if (out == null || out.buf.length > 4 * 1024 * 1024) {
            out = new Buf(Math.max(1024, sizeHint));
            BUFFERS.set(out);
        }
        out.n = 0;
        out.ensure(sizeHint);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Http.Resp(status, out.buf, out.n);
    }

    /** A growable byte buffer without ByteArrayOutputStream's locking. */
    static final class Buf extends java.io.OutputStream {
        private byte[] buf;
        private int n;

        Buf(int size) {
            buf = new byte[size];
        }

        private void ensure(int extra) {
            if (n + extra > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + extra));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        byte[] toByteArray() {
            return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
        }
    }

    // ------------------------------------------------------------------ list / get

    Http.Resp list(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        ObjectTable tab = store.table(t);
        List<String> hist = req.qList("propertiesWithHistory");
        int max = hist.isEmpty() ? 100 : 50;
        int limit = req.qInt("limit", 10);
        if (limit < 1 || limit > max) {
            throw ApiException.validation("limit must be between 1 and " + max
                    + (hist.isEmpty() ? "" : " when propertiesWithHistory is requested") + ", got " + limit);
        }
        boolean archived = req.qBool("archived", false);
        long now = store.clock.millis();
        Map<Long, Rec> src = archived ? tab.archived : tab.live;
        if (archived) {
            tab.purgeArchived(now);
        }
        long after = 0;
        String a = req.q("after");
        if (a != null && !a.isEmpty()) {
            try {
                after = Long.parseLong(a.trim());
            } catch (NumberFormatException e) {
                throw ApiException.validation("Invalid after cursor: " + a);
            }
        }
        Iterator<Rec> it = ((java.util.NavigableMap<Long, Rec>) src).tailMap(after, true).values().iterator();
        List<Rec> page = new ArrayList<>(limit);
        Rec next = null;
        while (it.hasNext()) {
            Rec r = it.next();
            if (page.size() == limit) {
                next = r;
                break;
            }
            page.add(r);
        }
        Set<String> props = selectProps(t, req.qList("properties"));
        Set<String> histSet = new LinkedHashSet<>(hist);
        List<String> assoc = req.qList("associations");
        final Rec nextRec = next;
        int hint = page.size() * (120 + 40 * props.size() + (histSet.isEmpty() ? 0 : 400 * histSet.size())) + 512;
        String key = histSet.isEmpty() && assoc.isEmpty() ? String.join(",", props) : null;
        return stream(200, hint, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (Rec r : page) {
                if (key != null) {
                    writeRecordCached(g, t, r, props, key);
                } else {
                    writeRecord(g, t, r, props, histSet, assoc, null);
                }
            }
            g.writeEndArray();
            if (nextRec != null) {
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", Long.toString(nextRec.id));
                g.writeStringField("link", baseUrl + req.rawPath + "?after=" + nextRec.id);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** Resolves {id} (or idProperty value) of a single-record path; follows merges when asked. */
    Rec resolve(ObjectType t, String idOrValue, String idProperty, boolean archived, boolean followMerges) {
        ObjectTable tab = store.table(t);
        if (archived) {
            try {
                Rec r = tab.archived.get(Long.parseLong(idOrValue));
                if (r != null) {
                    return r;
                }
            } catch (NumberFormatException ignored) {
                // fall through to 404
            }
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        if (idProperty != null && !idProperty.isEmpty() && !idProperty.equals("hs_object_id")) {
            PropertyDef p = t.property(idProperty);
            if (p == null) {
                throw ApiException.validation("Property \"" + idProperty + "\" does not exist");
            }
            if (!p.hasUniqueValue && !(t.name.equals("contacts") && idProperty.equals("email"))) {
                throw ApiException.validation("Unable to get by non-unique " + t.objectTypeId + " property "
                        + idProperty + " in portal ID " + store.portalId);
            }
            Long id = tab.findByUnique(idProperty, idOrValue);
            Rec r = id == null ? null : tab.live.get(id);
            if (r == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.");
            }
            return r;
        }
        long id;
        try {
            id = Long.parseLong(idOrValue);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        Rec r = tab.get(id, followMerges);
        if (r == null) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        return r;
    }

    Http.Resp get(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        Rec r = resolve(t, req.param("objectId"), req.q("idProperty"), req.qBool("archived", false), true);
        Set<String> props = selectProps(t, req.qList("properties"));
        Set<String> hist = new LinkedHashSet<>(req.qList("propertiesWithHistory"));
        List<String> assoc = req.qList("associations");
        return stream(200, g -> writeRecord(g, t, r, props, hist, assoc, null));
    }

    // ------------------------------------------------------------------ writes

    static Map<String, String> propsOf(JsonNode node, String where) {
        Map<String, String> m = new LinkedHashMap<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return m;
        }
        if (!node.isObject()) {
            throw ApiException.validation("Invalid input JSON: " + where + " must be an object of property values");
        }
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return m;
    }

    /** Creates a record (validated), with inline associations. Caller holds no lock. */
    Rec createRecord(ObjectType t, Map<String, String> input, JsonNode associations, long now, String source,
            boolean internal) {
        ObjectTable tab = store.table(t);
        Map<String, String> changes = new LinkedHashMap<>(store.validate(t, input, null, internal));
        applyCreateDefaults(t, changes);
        checkRequired(t, changes);
        List<InlineAssoc> assoc = parseInlineAssociations(t, associations);
        synchronized (tab) {
            checkUnique(t, tab, changes, -1);
            long id = store.nextId();
            // generated (CRM_UI) records keep no explicit history: their one value is implied (see writeRecord)
            Rec r = ObjectTable.withChanges(null, id, changes, now, t, source, trackHistory && !"CRM_UI".equals(source));
            tab.put(r, now, store.indexLagMillis);
            for (InlineAssoc a : assoc) {
                store.associations.add(t.objectTypeId, id, a.toTypeId(), a.toId(), a.typeId());
            }
            return r;
        }
    }

    private void applyCreateDefaults(ObjectType t, Map<String, String> changes) {
        if (t.objectTypeId.equals("0-3") && !changes.containsKey("pipeline")) {
            changes.put("pipeline", "default");
        }
        if (t.objectTypeId.equals("0-5") && !changes.containsKey("hs_pipeline")) {
            changes.put("hs_pipeline", "0");
        }
    }

    private static void checkRequired(ObjectType t, Map<String, String> changes) {
        for (String p : t.requiredProps) {
            String v = changes.get(p);
            if (v == null || v.isEmpty()) {
                throw ApiException.validation("Property values were not valid: [{\"isValid\":false,\"message\":"
                        + "\"" + p + " is required\",\"error\":\"REQUIRED_PROPERTY\",\"name\":\"" + p + "\"}]")
                        .error(p + " is required", "REQUIRED_PROPERTY", "propertyName", p);
            }
        }
    }

    /** 409 when a unique value (contact email, hasUniqueValue property) belongs to another record. */
    private void checkUnique(ObjectType t, ObjectTable tab, Map<String, String> changes, long selfId) {
        for (String p : t.uniqueProps()) {
            String v = changes.get(p);
            if (v == null || v.isEmpty()) {
                continue;
            }
            Long other = tab.findByUnique(p, v);
            if (other != null && other != selfId) {
                String msg = t.name.equals("contacts") && p.equals("email")
                        ? "Contact already exists. Existing ID: " + other
                        : "A " + t.singular + " with the unique value \"" + v + "\" for property \"" + p
                                + "\" already exists. Existing ID: " + other;
                throw new ApiException(409, "CONFLICT", msg).context("id", Long.toString(other));
            }
        }
    }

    /** One association given inline on create. */
    record InlineAssoc(String toTypeId, long toId, int typeId) { }

    /** Parses [{to:{id}, types:[{associationCategory, associationTypeId}]}]. */
    private List<InlineAssoc> parseInlineAssociations(ObjectType t, JsonNode associations) {
        List<InlineAssoc> out = new ArrayList<>();
        if (associations == null || !associations.isArray()) {
            return out;
        }
        for (JsonNode a : associations) {
            long toId = a.path("to").path("id").asLong(-1);
            for (JsonNode ty : a.path("types")) {
                int typeId = ty.path("associationTypeId").asInt(-1);
                Store.Associations.Def d = null;
                for (Store.Associations.Def x : store.associations.defs) {
                    if (x.fromTypeId().equals(t.objectTypeId) && x.typeId() == typeId) {
                        d = x;
                        break;
                    }
                }
                if (d == null) {
                    throw ApiException.validation("Invalid association type id " + typeId + " for " + t.name);
                }
                ObjectType to = store.typeOrNull(d.toTypeId());
                if (to == null || store.table(to).live.get(toId) == null) {
                    throw ApiException.validation("Cannot create association: " + (to == null ? "?" : to.singular)
                            + " " + toId + " does not exist").context("id", Long.toString(toId));
                }
                out.add(new InlineAssoc(d.toTypeId(), toId, typeId));
            }
        }
        return out;
    }

    Rec updateRecord(ObjectType t, Rec existing, Map<String, String> input, long now, String source,
            boolean internal) {
        ObjectTable tab = store.table(t);
        Map<String, String> changes = store.validate(t, input, existing, internal);
        synchronized (tab) {
            Rec cur = tab.live.get(existing.id);
            if (cur == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.");
            }
            checkUnique(t, tab, changes, cur.id);
            if (changes.isEmpty() && !internal) {
                return cur;
            }
            Rec r = ObjectTable.withChanges(cur, cur.id, changes, now, t, source, trackHistory);
            tab.put(r, now, store.indexLagMillis);
            return r;
        }
    }

    Http.Resp create(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode body = req.json();
        Rec r = createRecord(t, propsOf(body.get("properties"), "properties"), body.get("associations"),
                store.clock.millis(), "API", false);
        return stream(201, g -> writeRecord(g, t, r, allProps(r), null, null, null));
    }

    static Set<String> allProps(Rec r) {
        return new TreeMap<>(r.props).keySet();
    }

    Http.Resp update(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        Rec existing = resolve(t, req.param("objectId"), req.q("idProperty"), false, true);
        Rec r = updateRecord(t, existing, propsOf(req.json().get("properties"), "properties"), store.clock.millis(),
                "API", false);
        return stream(200, g -> writeRecord(g, t, r, allProps(r), null, null, null));
    }

    Http.Resp archive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        long id;
        try {
            id = Long.parseLong(req.param("objectId"));
        } catch (NumberFormatException e) {
            return Http.Resp.noContent();
        }
        archiveRecord(t, id, store.clock.millis());
        return Http.Resp.noContent(); // HubSpot answers 204 for unknown ids too
    }

    boolean archiveRecord(ObjectType t, long id, long now) {
        ObjectTable tab = store.table(t);
        Rec a = tab.archive(id, now, store.indexLagMillis);
        if (a != null) {
            store.associations.removeAll(t.objectTypeId, id, allTypeIds());
        }
        return a != null;
    }

    List<String> allTypeIds() {
        List<String> out = new ArrayList<>();
        for (ObjectType x : store.types) {
            out.add(x.objectTypeId);
        }
        return out;
    }

    // ------------------------------------------------------------------ merge / gdpr

    Http.Resp merge(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode b = req.json();
        String p = b.path("primaryObjectId").asText(null);
        String m = b.path("objectIdToMerge").asText(null);
        if (p == null || m == null) {
            throw ApiException.validation("primaryObjectId and objectIdToMerge are required");
        }
        Rec r = mergeRecords(t, parseId(p), parseId(m), store.clock.millis());
        return stream(200, g -> writeRecord(g, t, r, allProps(r), null, null, null));
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation("Invalid object id: " + s);
        }
    }

    Rec mergeRecords(ObjectType t, long primaryId, long mergeId, long now) {
        if (primaryId == mergeId) {
            throw ApiException.validation("Cannot merge an object with itself");
        }
        ObjectTable tab = store.table(t);
        synchronized (tab) {
            Rec primary = tab.live.get(primaryId);
            Rec merged = tab.live.get(mergeId);
            if (primary == null || merged == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.")
                        .context("id", Long.toString(primary == null ? primaryId : mergeId));
            }
            Map<String, String> changes = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : merged.props.entrySet()) {
                String k = e.getKey();
                if (!primary.props.containsKey(k) && !k.equals("hs_object_id") && !k.equals(t.createdProp)
                        && !k.equals(t.lastModifiedProp) && !k.equals("hs_merged_object_ids")) {
                    changes.put(k, e.getValue());
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            for (Rec x : List.of(primary, merged)) {
                String s = x.props.get("hs_merged_object_ids");
                if (s != null) {
                    for (String v : s.split(";")) {
                        if (!v.isEmpty()) {
                            ids.add(v);
                        }
                    }
                }
            }
            ids.add(Long.toString(mergeId));
            changes.put("hs_merged_object_ids", String.join(";", ids));
            if (t.name.equals("contacts") && merged.props.get("email") != null) {
                String extra = primary.props.getOrDefault("hs_additional_emails", "");
                changes.put("hs_additional_emails",
                        extra.isEmpty() ? merged.props.get("email") : extra + ";" + merged.props.get("email"));
                changes.remove("email");
            }
            tab.mergedAway(mergeId, primaryId, now, store.indexLagMillis);
            Rec r = ObjectTable.withChanges(primary, primaryId, changes, now, t, "API", trackHistory);
            tab.put(r, now, store.indexLagMillis);
            store.associations.moveAll(t.objectTypeId, mergeId, primaryId, allTypeIds());
            return r;
        }
    }

    Http.Resp gdprDelete(Http.Req req) {
        ObjectType t = store.type("contacts");
        JsonNode b = req.json();
        String id = b.path("objectId").asText(null);
        if (id == null) {
            throw ApiException.validation("objectId is required");
        }
        Rec r = resolve(t, id, b.path("idProperty").asText(null), false, false);
        store.table(t).removePermanently(r.id, store.clock.millis(), store.indexLagMillis);
        store.associations.removeAll(t.objectTypeId, r.id, allTypeIds());
        return Http.Resp.noContent();
    }

    // ------------------------------------------------------------------ batch

    static JsonNode inputs(JsonNode body, int max) {
        JsonNode in = body.get("inputs");
        if (in == null || !in.isArray()) {
            throw ApiException.validation("Invalid input JSON: \"inputs\" is required and must be an array");
        }
        if (in.size() > max) {
            throw ApiException.validation("Too many inputs: got " + in.size() + ", the limit is " + max)
                    .error("inputs must contain at most " + max + " items", "TOO_MANY_INPUTS", "limit",
                            Integer.toString(max));
        }
        return in;
    }

    private static boolean allHaveTraceIds(JsonNode in) {
        if (in.size() == 0) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode x : in) {
            String tr = x.path("objectWriteTraceId").asText(null);
            if (tr == null || !seen.add(tr)) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> standardError(ApiException e, Map<String, List<String>> context) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("category", e.category);
        if (e.subCategory != null) {
            m.put("subCategory", e.subCategory);
        }
        m.put("message", e.getMessage());
        Map<String, List<String>> ctx = new LinkedHashMap<>(e.context);
        ctx.putAll(context);
        m.put("context", ctx);
        m.put("errors", e.errors);
        m.put("links", Map.of());
        return m;
    }

    /** Writes a BatchResponse envelope; 207 when errors is non-empty. */
    Http.Resp batchResponse(int okStatus, long started, ObjectType t, List<Rec> results, List<Set<String>> props,
            List<Boolean> isNew, List<Map<String, Object>> errors) {
        long done = store.clock.millis();
        return stream(errors.isEmpty() ? okStatus : 207, g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (int i = 0; i < results.size(); i++) {
                writeRecord(g, t, results.get(i), props.get(i), null, null, isNew == null ? null : isNew.get(i));
            }
            g.writeEndArray();
            if (!errors.isEmpty()) {
                g.writeNumberField("numErrors", errors.size());
                g.writeFieldName("errors");
                Json.MAPPER.writeValue(g, errors);
            }
            g.writeStringField("startedAt", Json.iso(started));
            g.writeStringField("completedAt", Json.iso(done));
            g.writeEndObject();
        });
    }

    Http.Resp batchRead(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode body = req.json();
        JsonNode in = inputs(body, MAX_BATCH);
        long started = store.clock.millis();
        boolean archived = req.qBool("archived", false);
        String idProperty = body.path("idProperty").asText(null);
        List<String> requested = new ArrayList<>();
        body.path("properties").forEach(n -> requested.add(n.asText()));
        Set<String> hist = new LinkedHashSet<>();
        body.path("propertiesWithHistory").forEach(n -> hist.add(n.asText()));
        Set<String> props = selectProps(t, requested);
        List<Rec> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            try {
                Rec r = resolve(t, id, idProperty, archived, false);
                if (seen.add(r.id)) {
                    found.add(r);
                }
            } catch (ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
                missing.add(id);
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            ApiException e = ApiException.notFound("Could not get some " + t.singular.toUpperCase(java.util.Locale.ROOT)
                    + " objects, they may be deleted or not exist. Check that ids are valid.");
            errors.add(standardError(e, Map.of("ids", missing)));
        }
        long done = store.clock.millis();
        return stream(errors.isEmpty() ? 200 : 207, g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (Rec r : found) {
                writeRecord(g, t, r, props, hist, null, null);
            }
            g.writeEndArray();
            if (!errors.isEmpty()) {
                g.writeNumberField("numErrors", errors.size());
                g.writeFieldName("errors");
                Json.MAPPER.writeValue(g, errors);
            }
            g.writeStringField("startedAt", Json.iso(started));
            g.writeStringField("completedAt", Json.iso(done));
            g.writeEndObject();
        });
    }

    Http.Resp batchCreate(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = allHaveTraceIds(in);
        // Without per-input trace ids the batch is all-or-nothing: validate everything first.
        if (!multi) {
            Set<String> emails = new HashSet<>();
            for (JsonNode x : in) {
                Map<String, String> p = store.validate(t, propsOf(x.get("properties"), "properties"), null, false);
                for (String u : t.uniqueProps()) {
                    String v = p.get(u);
                    if (v != null && !v.isEmpty()) {
                        Long other = store.table(t).findByUnique(u, v);
                        if (other != null || !emails.add(u + "=" + ObjectTable.norm(u, v))) {
                            throw new ApiException(409, "CONFLICT", t.name.equals("contacts") && u.equals("email")
                                    ? "Contact already exists. Existing ID: " + other
                                    : "Duplicate value \"" + v + "\" for unique property " + u
                                            + (other == null ? " within the batch" : ". Existing ID: " + other));
                        }
                    }
                }
            }
        }
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JsonNode x : in) {
            try {
                Rec r = createRecord(t, propsOf(x.get("properties"), "properties"), x.get("associations"), now, "API",
                        false);
                results.add(r);
                props.add(allProps(r));
            } catch (ApiException e) {
                if (!multi) {
                    throw e;
                }
                errors.add(standardError(e, Map.of("objectWriteTraceId",
                        List.of(x.path("objectWriteTraceId").asText()))));
            }
        }
        return batchResponse(201, now, t, results, props, null, errors);
    }

    Http.Resp batchUpdate(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = allHaveTraceIds(in);
        List<Rec> targets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            String idProp = x.path("idProperty").asText(null);
            if (idProp != null && !idProp.equals("hs_object_id")) {
                PropertyDef p = t.property(idProp);
                if (p == null || !(p.hasUniqueValue || (t.name.equals("contacts") && idProp.equals("email")))) {
                    throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                            + " property " + idProp + " in portal ID " + store.portalId);
                }
            } else if (idProp != null) {
                throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                        + " property hs_object_id in portal ID " + store.portalId);
            }
            Rec r;
            try {
                r = resolve(t, id, idProp, false, false); // batch update does not follow merged ids
            } catch (ApiException e) {
                r = null;
            }
            if (r == null) {
                missing.add(id);
                targets.add(null);
                continue;
            }
            if (!ids.add(r.id)) {
                throw ApiException.validation("Duplicate IDs found in batch input: [" + r.id + "]. IDs must be unique");
            }
            targets.add(r);
        }
        if (!missing.isEmpty() && !multi) {
            throw ApiException.notFound("Could not get some " + t.singular.toUpperCase(java.util.Locale.ROOT)
                    + " objects, they may be deleted or not exist. Check that ids are valid: " + missing)
                    .context("ids", missing.toArray(new String[0]));
        }
        if (!multi) {
            int i = 0;
            for (JsonNode x : in) {
                store.validate(t, propsOf(x.get("properties"), "properties"), targets.get(i++), false);
            }
        }
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        int i = 0;
        for (JsonNode x : in) {
            Rec target = targets.get(i++);
            String trace = x.path("objectWriteTraceId").asText();
            if (target == null) {
                errors.add(standardError(ApiException.notFound("Object not found.  objectId are usually numeric."),
                        Map.of("objectWriteTraceId", List.of(trace), "ids", List.of(x.path("id").asText()))));
                continue;
            }
            try {
                Rec r = updateRecord(t, target, propsOf(x.get("properties"), "properties"), now, "API", false);
                results.add(r);
                props.add(allProps(r));
            } catch (ApiException e) {
                if (!multi) {
                    throw e;
                }
                errors.add(standardError(e, Map.of("objectWriteTraceId", List.of(trace))));
            }
        }
        return batchResponse(200, now, t, results, props, null, errors);
    }

    Http.Resp batchUpsert(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = allHaveTraceIds(in);
        boolean byEmail = false;
        Set<String> keys = new HashSet<>();
        for (JsonNode x : in) {
            String idProp = x.path("idProperty").asText(null);
            String id = x.path("id").asText(null);
            if (id == null || id.isEmpty()) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            if (idProp == null || idProp.isEmpty()) {
                throw ApiException.validation("Upsert requires an idProperty: a property with unique values"
                        + (t.name.equals("contacts") ? " or email" : ""));
            }
            PropertyDef p = t.property(idProp);
            boolean email = t.name.equals("contacts") && idProp.equals("email");
            if (p == null || idProp.equals("hs_object_id") || !(p.hasUniqueValue || email)) {
                throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                        + " property " + idProp + " in portal ID " + store.portalId);
            }
            byEmail |= email;
            if (!keys.add(idProp + "=" + ObjectTable.norm(idProp, id))) {
                throw ApiException.validation("Duplicate IDs found in batch input: [" + id + "]. IDs must be unique");
            }
        }
        if (!multi || byEmail) {
            // Partial upserts are not supported with email; without trace ids the batch is all-or-nothing.
            for (JsonNode x : in) {
                Map<String, String> p = new LinkedHashMap<>(propsOf(x.get("properties"), "properties"));
                p.put(x.path("idProperty").asText(), x.path("id").asText());
                store.validate(t, p, null, false);
            }
        }
        ObjectTable tab = store.table(t);
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Boolean> isNew = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JsonNode x : in) {
            String idProp = x.path("idProperty").asText();
            String id = x.path("id").asText();
            Map<String, String> p = new LinkedHashMap<>(propsOf(x.get("properties"), "properties"));
            try {
                Long existing = tab.findByUnique(idProp, id);
                Rec cur = existing == null ? null : tab.live.get(existing);
                Rec r;
                if (cur != null) {
                    r = updateRecord(t, cur, p, now, "API", false);
                } else {
                    p.put(idProp, id);
                    r = createRecord(t, p, null, now, "API", false);
                }
                results.add(r);
                props.add(allProps(r));
                isNew.add(cur == null);
            } catch (ApiException e) {
                if (!multi || byEmail) {
                    throw e;
                }
                errors.add(standardError(e, Map.of("objectWriteTraceId",
                        List.of(x.path("objectWriteTraceId").asText()))));
            }
        }
        return batchResponse(200, now, t, results, props, isNew, errors);
    }

    Http.Resp batchArchive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            try {
                archiveRecord(t, Long.parseLong(id), now);
            } catch (NumberFormatException ignored) {
                // unknown ids are ignored, like HubSpot
            }
        }
        return Http.Resp.noContent();
    }
}
