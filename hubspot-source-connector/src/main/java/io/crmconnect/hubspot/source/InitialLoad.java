package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial load of one object through the list endpoint, read by several readers at once.
 *
 * <p>One cursor chain cannot reach the rate ceiling when a wide page takes longer than 1/19 s to serve, transfer and
 * convert. HubSpot's list cursor {@code after} is the id of the next record (ids ascending), so the id space can be
 * cut into ranges read in parallel: the load starts as one open range {@code [0, ∞)}; once the first page shows that
 * cursors are ids, an idle reader takes the upper half of the largest range still being read (between its reader's
 * position and the highest id, found with one search), until every reader has a range. A page is cut at its range's
 * end. Every reader thread fetches a page (paced by the task's shared {@code RateBudget}), converts it to Structs and
 * puts it in a small bounded queue; the task thread takes pages in queue order, so heap stays bounded whatever the
 * object's size.
 *
 * <p>Offsets (partition {@code {stream:<object>}}, version {@value #VERSION}): {@code {v:2, phase:"load", loadStart,
 * segs:"next-end,next-end,..."}} — for every range not finished, the next id not yet handed to Connect and the end
 * (exclusive, empty = open). Each record's offset marks exactly the records before it as sent (its own range at its
 * id + 1), so a restart re-reads nothing that was committed and skips nothing. The last record of the load carries
 * the first incremental offset.
 *
 * <p>When cursors turn out not to be ids (an opaque token, ids not ascending, a page of ids below the requested
 * cursor), the load falls back to one chain of HubSpot's own cursors: {@code {v:2, phase:"load", loadStart, after}}
 * with v1's rule (records of a page carry that page's cursor, the last one the next cursor). Falling back after
 * ranges were read restarts the chain from the beginning: duplicates, never a gap.
 */
final class InitialLoad {
    private static final Logger LOG = LoggerFactory.getLogger(InitialLoad.class);
    static final int VERSION = 2;
    /** Readers per object; the budget, not the readers, sets the request rate. */
    static final int READERS = 4;
    /** Converted pages waiting for the task thread (each reader may hold one more). */
    static final int QUEUE_PAGES = 4;
    /** Most ranges in one offset (keeps offsets small). */
    static final int MAX_SEGMENTS = 16;

    /** Reads one list page from {@code after} (null = the first page). */
    interface Lister {
        Page<CrmObject> list(String after);
    }

    /** One page ready to send: records, their values and offsets, in id order. */
    record Batch(
            List<CrmObject> objects,
            List<Struct> values,
            List<Map<String, Object>> offsets,
            Map<String, Object> offsetBefore,
            boolean last) {}

    private enum Mode {
        UNVERIFIED,
        IDS,
        CHAIN
    }

    private static final class Segment {
        /** Next id not yet handed to Connect (task thread); 0 = from the first record. */
        long emitted;
        /** Next id to request (readers). */
        long fetch;
        /** Exclusive; {@link Long#MAX_VALUE} = open (records created during the load land here). */
        long end;

        boolean busy;
        boolean fetched;
        /** CHAIN mode: HubSpot's cursor to request next / of the last page handed over. */
        String chainFetch;

        String chainEmitted;

        Segment(long from, long end) {
            this.emitted = from;
            this.fetch = from;
            this.end = end;
        }
    }

    private static final class Item {
        final int gen;
        final Segment seg;
        final List<CrmObject> objects;
        final List<Struct> values;
        final boolean segDone;
        final boolean chain;
        final String requestCursor;
        final String nextCursor;
        final RuntimeException error;

        Item(
                int gen,
                Segment seg,
                List<CrmObject> objects,
                List<Struct> values,
                boolean segDone,
                boolean chain,
                String requestCursor,
                String nextCursor,
                RuntimeException error) {
            this.gen = gen;
            this.seg = seg;
            this.objects = objects;
            this.values = values;
            this.segDone = segDone;
            this.chain = chain;
            this.requestCursor = requestCursor;
            this.nextCursor = nextCursor;
            this.error = error;
        }
    }

    private final String name;
    private final long loadStart;
    private final Lister lister;
    private final Function<CrmObject, Struct> converter;
    private final Set<String> keepProperties;
    private final Map<String, Object> finalOffset;
    private final int readers;
    private final BlockingQueue<Item> queue;
    private final Object lock = new Object();
    // guarded by lock
    private final List<Segment> segments = new ArrayList<>();
    private Mode mode;
    private int gen;
    private long maxId = -1;
    private double idsPerPage = -1;
    private boolean finished;
    private volatile boolean closed;
    private List<Thread> threads;

    /**
     * @param offset         the committed load offset (v1 or v2), or null for a fresh load
     * @param keepProperties properties kept on the records handed over (null = all); values are converted anyway
     * @param finalOffset    the offset of the load's last record (the first incremental one)
     */
    InitialLoad(
            String name,
            long loadStart,
            Map<String, Object> offset,
            Lister lister,
            Function<CrmObject, Struct> converter,
            Set<String> keepProperties,
            Map<String, Object> finalOffset,
            int readers,
            int queuePages) {
        this.name = name;
        this.loadStart = loadStart;
        this.lister = lister;
        this.converter = converter;
        this.keepProperties = keepProperties;
        this.finalOffset = finalOffset;
        this.readers = Math.max(1, readers);
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queuePages));
        restore(offset);
    }

    private void restore(Map<String, Object> off) {
        if (off == null) {
            segments.add(new Segment(0, Long.MAX_VALUE));
            mode = Mode.UNVERIFIED;
            return;
        }
        Object segs = off.get("segs");
        if (segs instanceof String s) {
            segments.addAll(parseSegments(s));
            mode = Mode.IDS;
            if (segments.isEmpty()) {
                finished = true;
            }
            return;
        }
        Object after = off.get("after");
        Long id = after == null ? Long.valueOf(0) : parseId((String) after);
        if (id != null) {
            segments.add(new Segment(id, Long.MAX_VALUE)); // a v1 offset (one chain at an id cursor)
            mode = Mode.UNVERIFIED;
        } else {
            Segment chain = new Segment(0, Long.MAX_VALUE);
            chain.chainFetch = (String) after;
            chain.chainEmitted = (String) after;
            segments.add(chain);
            mode = Mode.CHAIN;
        }
    }

    /** Parses {@code "next-end,next-end"} (end empty = open). */
    static List<Segment> parseSegments(String s) {
        List<Segment> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        long prevEnd = Long.MIN_VALUE;
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            if (dash <= 0) {
                throw new IllegalArgumentException("range \"" + part + "\" is not next-end");
            }
            long next = Long.parseLong(part.substring(0, dash));
            String e = part.substring(dash + 1);
            long end = e.isEmpty() ? Long.MAX_VALUE : Long.parseLong(e);
            if (next < 0 || end < next || next < prevEnd) {
                throw new IllegalArgumentException(
                        "range \"" + part + "\" is empty, negative or overlaps the one " + "before");
            }
            if (prevEnd == Long.MAX_VALUE) {
                throw new IllegalArgumentException("only the last range may be open");
            }
            prevEnd = end;
            if (next < end) {
                out.add(new Segment(next, end));
            }
        }
        if (out.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException("more than " + MAX_SEGMENTS + " ranges");
        }
        return out;
    }

    /** Validates a v2 load offset's {@code segs} (KIP-875); throws with the reason. */
    static void validateSegments(String s) {
        parseSegments(s);
    }

    private static Long parseId(String s) {
        if (s == null || s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    /**
     * Bounds of the id space ({@code total} records, ids {@code minId..maxId}), from a search; without them (-1) a
     * range is never split and the load reads one chain (still with conversion off the task thread).
     */
    void bounds(long total, long minId, long maxId) {
        synchronized (lock) {
            this.maxId = maxId;
            if (total > 0 && maxId >= minId && minId >= 0) {
                idsPerPage = Math.max(1.0, (maxId - minId + 1) / (double) total * ObjectStream.LIST_PAGE);
            }
        }
    }

    /** Starts the reader threads (once). */
    void start() {
        if (threads != null) {
            return;
        }
        threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Thread t = new Thread(this::readLoop, "hubspot-" + name + "-load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    boolean finished() {
        synchronized (lock) {
            return finished;
        }
    }

    /** The offset describing the current position (nothing handed over since). */
    Map<String, Object> offsetNow() {
        synchronized (lock) {
            return currentOffset();
        }
    }

    private Map<String, Object> currentOffset() {
        if (finished) {
            return finalOffset;
        }
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("v", VERSION);
        off.put("phase", "load");
        off.put("loadStart", loadStart);
        if (mode == Mode.CHAIN) {
            off.put("after", segments.get(0).chainEmitted);
        } else {
            StringBuilder b = new StringBuilder(segments.size() * 22);
            for (Segment s : segments) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(s.emitted).append('-');
                if (s.end != Long.MAX_VALUE) {
                    b.append(s.end);
                }
            }
            off.put("segs", b.toString());
        }
        return off;
    }

    /**
     * The next page in queue order, waiting up to {@code waitMillis}; null when none is ready. A reader's failure is
     * thrown here (once per failed request); the load goes on at the next call.
     */
    Batch next(long waitMillis) throws InterruptedException {
        while (true) {
            Item it = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (it == null) {
                return null;
            }
            if (it.error != null) {
                throw it.error;
            }
            synchronized (lock) {
                if (it.gen != gen) {
                    continue; // read before a fallback restarted the load
                }
                Batch b = handOver(it);
                lock.notifyAll();
                if (finished) {
                    stopReaders();
                }
                return b;
            }
        }
    }

    private Batch handOver(Item it) {
        List<Map<String, Object>> offsets = new ArrayList<>(it.objects.size());
        Map<String, Object> before = currentOffset();
        Segment s = it.seg;
        if (it.chain) {
            s.chainEmitted = it.requestCursor;
            for (int i = 0; i < it.objects.size() - 1; i++) {
                offsets.add(before);
            }
            s.chainEmitted = it.nextCursor;
            if (it.segDone) {
                segments.remove(s);
                finished = true;
            }
            if (!it.objects.isEmpty()) {
                offsets.add(currentOffset());
            }
            return new Batch(it.objects, it.values, offsets, before, finished);
        }
        for (int i = 0; i < it.objects.size(); i++) {
            s.emitted = Long.parseLong(it.objects.get(i).id()) + 1;
            if (i == it.objects.size() - 1 && it.segDone) {
                segments.remove(s);
                finished = segments.isEmpty();
            }
            offsets.add(currentOffset());
        }
        if (it.objects.isEmpty() && it.segDone) {
            segments.remove(s);
            finished = segments.isEmpty();
        }
        return new Batch(it.objects, it.values, offsets, before, finished);
    }

    // ---------------------------------------------------------------------------------------------- readers

    private void readLoop() {
        while (!closed) {
            Segment s;
            String cursor;
            int g;
            boolean chain;
            synchronized (lock) {
                s = finished ? null : pick();
                if (s == null) {
                    try {
                        lock.wait(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                s.busy = true;
                g = gen;
                chain = mode == Mode.CHAIN;
                cursor = chain ? s.chainFetch : s.fetch <= 0 ? null : Long.toString(s.fetch);
            }
            Item item;
            try {
                Page<CrmObject> page = lister.list(cursor);
                List<CrmObject> objects = new ArrayList<>(page.results().size());
                List<Struct> values = new ArrayList<>(page.results().size());
                for (CrmObject o : page.results()) {
                    values.add(converter.apply(o));
                    objects.add(slim(o));
                }
                synchronized (lock) {
                    item = g != gen ? null : accept(s, cursor, page.after(), objects, values);
                    if (item == null) {
                        s.busy = false;
                        lock.notifyAll();
                        continue;
                    }
                }
            } catch (RuntimeException e) {
                synchronized (lock) {
                    s.busy = false;
                    lock.notifyAll();
                }
                if (closed) {
                    return;
                }
                item = new Item(g, s, List.of(), List.of(), false, chain, cursor, null, e);
            }
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                return;
            } finally {
                synchronized (lock) {
                    s.busy = false;
                    lock.notifyAll();
                }
            }
            if (item.error != null) {
                long pause = item.error instanceof HubSpotRetriableException r ? r.retryAfterMillis() : 0;
                try {
                    Thread.sleep(Math.min(60_000, Math.max(1_000, pause)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private CrmObject slim(CrmObject o) {
        if (keepProperties == null) {
            return o;
        }
        Map<String, String> kept = new HashMap<>(8);
        for (String k : keepProperties) {
            String v = o.properties().get(k);
            if (v != null) {
                kept.put(k, v);
            }
        }
        return new CrmObject(
                o.id(), kept, o.createdAt(), o.updatedAt(), o.archived(), o.archivedAt(), o.associations());
    }

    /** A free range, or the upper half of the largest one being read; null when there is nothing to take. */
    private Segment pick() {
        if (mode != Mode.IDS) {
            Segment s = segments.get(0);
            return s.busy || s.fetched ? null : s;
        }
        Segment largest = null;
        long largestSpan = 0;
        for (Segment s : segments) {
            if (s.fetched) {
                continue;
            }
            if (!s.busy) {
                return s;
            }
            long span = Math.min(s.end, maxId + 1) - s.fetch;
            if (span > largestSpan) {
                largest = s;
                largestSpan = span;
            }
        }
        if (largest == null
                || maxId < 0
                || idsPerPage <= 0
                || segments.size() >= MAX_SEGMENTS
                || largestSpan < 3 * idsPerPage) {
            return null;
        }
        long mid = largest.fetch + largestSpan / 2;
        Segment upper = new Segment(mid, largest.end);
        largest.end = mid;
        segments.add(segments.indexOf(largest) + 1, upper);
        LOG.debug("HubSpot {}: initial load range split at id {} ({} ranges)", name, mid, segments.size());
        return upper;
    }

    /** Checks and records a page a reader read; returns what to queue (null: dropped by a fallback). */
    private Item accept(Segment s, String cursor, String nextCursor, List<CrmObject> objects, List<Struct> values) {
        if (mode == Mode.CHAIN) {
            s.chainFetch = nextCursor;
            s.fetched = nextCursor == null;
            return new Item(gen, s, objects, values, s.fetched, true, cursor, nextCursor, null);
        }
        long from = Math.max(0, s.fetch);
        long prev = from - 1;
        boolean idCursors = true;
        for (CrmObject o : objects) {
            Long id = parseId(o.id());
            if (id == null || id <= prev) {
                idCursors = false;
                break;
            }
            prev = id;
        }
        Long nextId = nextCursor == null ? null : parseId(nextCursor);
        if (nextCursor != null && (nextId == null || nextId <= prev)) {
            idCursors = false;
        }
        if (!idCursors) {
            if (mode == Mode.UNVERIFIED && cursor == null) {
                LOG.info("HubSpot {}: list cursors are not record ids; the initial load reads one cursor chain", name);
                mode = Mode.CHAIN;
                s.chainEmitted = null;
                return accept(s, null, nextCursor, objects, values);
            }
            LOG.warn(
                    "HubSpot {}: a list page does not follow id order (cursor {}); the initial load restarts as "
                            + "one cursor chain from the beginning (records already sent are sent again)",
                    name,
                    cursor);
            gen++;
            mode = Mode.CHAIN;
            segments.clear();
            Segment chain = new Segment(0, Long.MAX_VALUE);
            segments.add(chain);
            queue.clear();
            return null;
        }
        mode = Mode.IDS;
        int keep = objects.size();
        while (keep > 0 && Long.parseLong(objects.get(keep - 1).id()) >= s.end) {
            keep--;
        }
        boolean done = nextId == null || keep < objects.size() || nextId >= s.end;
        if (objects.size() == ObjectStream.LIST_PAGE && nextId != null) {
            double span = nextId - Long.parseLong(objects.get(0).id());
            idsPerPage = idsPerPage <= 0 ? span : idsPerPage * 0.8 + span * 0.2;
        }
        s.fetch = done ? s.end : nextId;
        s.fetched = done;
        return new Item(
                gen,
                s,
                keep == objects.size() ? objects : new ArrayList<>(objects.subList(0, keep)),
                keep == values.size() ? values : new ArrayList<>(values.subList(0, keep)),
                done,
                false,
                cursor,
                nextCursor,
                null);
    }

    private void stopReaders() {
        closed = true;
        if (threads != null) {
            threads.forEach(Thread::interrupt);
        }
    }

    /** Stops the readers (task stop); safe to call more than once. */
    void close() {
        stopReaders();
        queue.clear();
    }

    /** For logs: how many ranges are being read. */
    int ranges() {
        synchronized (lock) {
            return segments.size();
        }
    }
}
