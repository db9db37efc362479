package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.SoftReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Writes CRM records as HubSpot's JSON (SimplePublicObject and its variants) into reusable response buffers. */
final class RecordJson {
    private final Store store;
    private final String baseUrl;

    RecordJson(Store store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl;
    }

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

    void writeRecord(
            JsonGenerator g,
            ObjectType t,
            Rec r,
            Set<String> props,
            Set<String> hist,
            List<String> assocTypes,
            Boolean isNew)
            throws IOException {
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
                            g.writeNumberField(
                                    "updatedByUserId",
                                    Integer.parseInt(x.sourceId().substring(7)));
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
                        g.writeStringField(
                                "type",
                                t.singular + "_to_" + to.singular
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

    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_PROPERTIES = new SerializedString("properties");
    private static final SerializedString F_CREATED = new SerializedString("createdAt");
    private static final SerializedString F_UPDATED = new SerializedString("updatedAt");
    private static final SerializedString F_ARCHIVED = new SerializedString("archived");
    private static final SerializedString F_URL = new SerializedString("url");
    private static final Map<String, SerializedString> NAMES = new ConcurrentHashMap<>();

    /** Pre-encoded field names (property names repeat on every record). */
    static SerializedString name(String n) {
        SerializedString s = NAMES.get(n);
        if (s == null) {
            s = new SerializedString(n);
            if (NAMES.size() < 100_000) {
                NAMES.put(n, s);
            }
        }
        return s;
    }

    private final Map<String, String> urlPrefixes = new ConcurrentHashMap<>();

    private String urlPrefix(ObjectType t) {
        return urlPrefixes.computeIfAbsent(
                t.objectTypeId, k -> baseUrl + "/contacts/" + store.portalId + "/record/" + k + "/");
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
            RawJson cached = ((SoftReference<RawJson>) c[1]).get();
            if (cached != null) {
                g.writeRawValue(cached);
                return;
            }
        }
        // the same bytes as writeRecord(g, t, r, props, null, null, null), without Jackson per field
        RawJson raw = new RawJson(RecordWriter.write(r, RecordWriter.plan(t.name, props, selectionKey), urlPrefix(t)));
        // soft: the JVM drops cached bytes under memory pressure (large or wide simulations)
        r.jsonCache = new Object[] {selectionKey, new SoftReference<>(raw)};
        g.writeRawValue(raw);
    }

    /** Pre-encoded JSON that UTF8JsonGenerator copies as raw bytes. */
    static final class RawJson implements SerializableString {
        final byte[] bytes;

        RawJson(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.UTF_8);
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
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer out) {
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
    static final class Buf extends OutputStream {
        private byte[] buf;
        private int n;

        Buf(int size) {
            buf = new byte[size];
        }

        private void ensure(int extra) {
            if (n + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + extra));
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
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }

    static Set<String> allProps(Rec r) {
        return new TreeMap<>(r.props).keySet();
    }
}
