package io.crmconnect.simulator.hubspot;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** All simulated CRM state: object types and records, associations, pipelines, owners. */
final class Store {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern DIGITS = Pattern.compile("-?\\d+");
    final SimClock clock;
    volatile long indexLagMillis;
    final AtomicLong idSeq = new AtomicLong(100_000_001L);
    final AtomicInteger customTypeSeq = new AtomicInteger(7_000_001);
    final Map<String, ObjectType> typesByKey = new ConcurrentHashMap<>();
    final Map<String, ObjectTable> tables = new ConcurrentHashMap<>(); // by objectTypeId
    final List<ObjectType> types = new CopyOnWriteArrayList<>();
    final Associations associations = new Associations();
    final Map<String, List<Pipeline>> pipelines = new ConcurrentHashMap<>(); // objectTypeId -> pipelines
    final ConcurrentSkipListMap<Long, Owner> owners = new ConcurrentSkipListMap<>();
    final long portalId;
    /** Emails a GDPR delete blocklisted (normalized): contacts can no longer be given them. */
    private final Set<String> blockedEmails = ConcurrentHashMap.newKeySet();

    Store(SimClock clock, long portalId) {
        this.clock = clock;
        this.portalId = portalId;
    }

    void blocklistEmail(String email) {
        blockedEmails.add(ObjectTable.norm("email", email));
    }

    void registerType(ObjectType t) {
        types.add(t);
        typesByKey.put(t.name.toLowerCase(Locale.ROOT), t);
        typesByKey.put(t.objectTypeId, t);
        typesByKey.put(t.fullyQualifiedName.toLowerCase(Locale.ROOT), t);
        typesByKey.put(t.singular.toLowerCase(Locale.ROOT), t);
        tables.put(t.objectTypeId, new ObjectTable(t));
    }

    void unregisterType(ObjectType t) {
        types.remove(t);
        typesByKey.values().removeIf(x -> x == t);
        tables.remove(t.objectTypeId);
    }

    /** Resolves a path's object type (name, 0-x / 2-x id, fully qualified name). */
    ObjectType type(String key) {
        ObjectType t = key == null ? null : typesByKey.get(key.toLowerCase(Locale.ROOT));
        if (t == null || t.archived) {
            throw new ApiException(400, "VALIDATION_ERROR", "Unable to infer object type from: " + key);
        }
        return t;
    }

    ObjectType typeOrNull(String key) {
        ObjectType t = key == null ? null : typesByKey.get(key.toLowerCase(Locale.ROOT));
        return t == null || t.archived ? null : t;
    }

    ObjectTable table(ObjectType t) {
        return tables.get(t.objectTypeId);
    }

    long nextId() {
        return idSeq.getAndIncrement();
    }

    // ---------------------------------------------------------------- property validation

    /**
     * Validates and normalizes input property values. Returns the changes to apply ("" = clear).
     * Throws a HubSpot-shaped 400 listing every invalid property.
     */
    Map<String, String> validate(ObjectType t, Map<String, String> input, Rec existing, boolean internal) {
        Map<String, String> out = new LinkedHashMap<>();
        ApiException err = null;
        for (Map.Entry<String, String> e : input.entrySet()) {
            String name = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            PropertyDef p = t.property(name);
            String problem = null;
            String code = null;
            if (p == null) {
                problem = "Property \"" + name + "\" does not exist";
                code = "PROPERTY_DOESNT_EXIST";
            } else if ((p.readOnlyValue || p.calculated) && !internal) {
                problem = "\"" + name + "\" is a read only property; its value cannot be set.";
                code = "READ_ONLY_VALUE";
            } else if (!internal
                    && !v.isEmpty()
                    && p.name.equals("email")
                    && t.name.equals("contacts")
                    && blockedEmails.contains(ObjectTable.norm("email", v))) {
                // no echo of the address: error texts end up in clients' logs
                problem = "Email address is blocklisted: it was deleted under GDPR and cannot be used again";
                code = "INVALID_EMAIL";
            } else if (!v.isEmpty()) {
                try {
                    v = normalize(t, p, v, existing);
                } catch (IllegalArgumentException ex) {
                    problem = ex.getMessage();
                    code = codeFor(p);
                }
            }
            if (problem != null) {
                if (err == null) {
                    err = ApiException.validation("");
                }
                err.error(problem, code, "propertyName", name);
            } else {
                out.put(name, v);
            }
        }
        if (err != null) {
            StringBuilder msg = new StringBuilder("Property values were not valid: [");
            for (int i = 0; i < err.errors.size(); i++) {
                Map<String, Object> x = err.errors.get(i);
                if (i > 0) {
                    msg.append(',');
                }
                String name = ((List<?>) ((Map<?, ?>) x.get("context")).get("propertyName"))
                        .get(0)
                        .toString();
                msg.append("{\"isValid\":false,\"message\":")
                        .append(com.fasterxml.jackson.databind.node.TextNode.valueOf(String.valueOf(x.get("message")))
                                .toString())
                        .append(",\"error\":\"")
                        .append(x.get("code"))
                        .append("\",\"name\":\"")
                        .append(name)
                        .append("\"}");
            }
            msg.append(']');
            ApiException real = ApiException.validation(msg.toString());
            real.errors.addAll(err.errors);
            throw real;
        }
        return out;
    }

    private static String codeFor(PropertyDef p) {
        switch (p.type) {
            case "number":
                return "INVALID_INTEGER";
            case "date":
            case "datetime":
                return "INVALID_DATE";
            case "enumeration":
            case "bool":
                return "INVALID_OPTION";
            default:
                return p.name.equals("email") ? "INVALID_EMAIL" : "INVALID_PROPERTY_VALUE";
        }
    }

    private String normalize(ObjectType t, PropertyDef p, String v, Rec existing) {
        switch (p.type) {
            case "number": {
                try {
                    BigDecimal d = new BigDecimal(v.trim());
                    return d.scale() <= 0
                            ? d.toBigInteger().toString()
                            : d.stripTrailingZeros().toPlainString();
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(v + " was not a valid number.");
                }
            }
            case "datetime":
                return Json.iso(parseTime(v, false));
            case "date": {
                long ms = parseTime(v, true);
                if (ms % 86_400_000L != 0) {
                    throw new IllegalArgumentException(v + " is at " + Json.iso(ms)
                            + " which is not midnight UTC; date properties need a date at midnight UTC");
                }
                return LocalDate.ofEpochDay(Math.floorDiv(ms, 86_400_000L)).toString();
            }
            case "bool": {
                String l = v.trim().toLowerCase(Locale.ROOT);
                if (!l.equals("true") && !l.equals("false")) {
                    throw new IllegalArgumentException(v + " was not one of the allowed options: [true, false]");
                }
                return l;
            }
            case "enumeration":
                return normalizeEnum(t, p, v, existing);
            default:
                if (v.length() > 65_536) {
                    throw new IllegalArgumentException("Value is longer than 65536 characters");
                }
                if (p.name.equals("email")
                        && t.name.equals("contacts")
                        && !EMAIL.matcher(v).matches()) {
                    throw new IllegalArgumentException("Email address " + "is invalid");
                }
                return v;
        }
    }

    private String normalizeEnum(ObjectType t, PropertyDef p, String v, Rec existing) {
        Set<String> allowed = null;
        if (!p.options.isEmpty()) {
            allowed = new LinkedHashSet<>();
            for (String[] o : p.options) {
                allowed.add(o[1]);
            }
        } else if (p.name.equals("dealstage") || p.name.equals("hs_pipeline_stage")) {
            allowed = new LinkedHashSet<>();
            for (Pipeline pl : pipelines.getOrDefault(t.objectTypeId, List.of())) {
                for (Pipeline.Stage s : pl.stages) {
                    allowed.add(s.id);
                }
            }
        } else if (p.name.equals("pipeline") || p.name.equals("hs_pipeline")) {
            allowed = new LinkedHashSet<>();
            for (Pipeline pl : pipelines.getOrDefault(t.objectTypeId, List.of())) {
                allowed.add(pl.id);
            }
        }
        if (p.isMultiValued()) {
            boolean append = v.startsWith(";");
            List<String> vals = new ArrayList<>();
            if (append && existing != null && existing.props.get(p.name) != null) {
                for (String s : existing.props.get(p.name).split(";")) {
                    if (!s.isEmpty()) {
                        vals.add(s);
                    }
                }
            }
            for (String s : v.split(";")) {
                if (s.isEmpty()) {
                    continue;
                }
                if (allowed != null && !allowed.contains(s)) {
                    throw new IllegalArgumentException(s + " was not one of the allowed options: " + allowed);
                }
                if (!vals.contains(s)) {
                    vals.add(s);
                }
            }
            return String.join(";", vals);
        }
        if (allowed != null && !allowed.isEmpty() && !allowed.contains(v)) {
            throw new IllegalArgumentException(v + " was not one of the allowed options: " + allowed);
        }
        return v;
    }

    /** Epoch ms, ISO instant, ISO offset date-time or ISO date. */
    static long parseTime(String v, boolean dateOnly) {
        String s = v.trim();
        try {
            if (DIGITS.matcher(s).matches()) {
                return Long.parseLong(s);
            }
            if (s.length() == 10) {
                return LocalDate.parse(s)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            }
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (RuntimeException e) {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(v + " was not a valid " + (dateOnly ? "date" : "datetime")
                    + " (use epoch milliseconds or ISO-8601)");
        }
    }

    // ---------------------------------------------------------------- associations

    /** Association type definitions and stored associations (both directions kept). */
    static final class Associations {
        /** A label / type definition between two object types. */
        record Def(String fromTypeId, String toTypeId, int typeId, String label, String category, int inverseTypeId) {}

        final List<Def> defs = new CopyOnWriteArrayList<>();
        final AtomicInteger labelSeq = new AtomicInteger(1000);
        /** key fromTypeId|fromId|toTypeId -> toId -> typeIds */
        final Map<String, TreeMap<Long, TreeSet<Integer>>> edges = new ConcurrentHashMap<>();

        static String key(String fromTypeId, long fromId, String toTypeId) {
            return fromTypeId + '|' + fromId + '|' + toTypeId;
        }

        void define(String from, String to, int typeId, String label, String category, int inverse) {
            defs.add(new Def(from, to, typeId, label, category, inverse));
            if (!from.equals(to) || typeId != inverse) {
                defs.add(new Def(to, from, inverse, label, category, typeId));
            }
        }

        Def def(String from, String to, int typeId) {
            for (Def d : defs) {
                if (d.fromTypeId.equals(from) && d.toTypeId.equals(to) && d.typeId == typeId) {
                    return d;
                }
            }
            return null;
        }

        /** The unlabelled default type between two object types. */
        Def defaultDef(String from, String to) {
            for (Def d : defs) {
                if (d.fromTypeId.equals(from)
                        && d.toTypeId.equals(to)
                        && d.label == null
                        && "HUBSPOT_DEFINED".equals(d.category)) {
                    return d;
                }
            }
            for (Def d : defs) {
                if (d.fromTypeId.equals(from) && d.toTypeId.equals(to) && d.label == null) {
                    return d;
                }
            }
            return null;
        }

        List<Def> defsBetween(String from, String to) {
            List<Def> out = new ArrayList<>();
            for (Def d : defs) {
                if (d.fromTypeId.equals(from) && d.toTypeId.equals(to)) {
                    out.add(d);
                }
            }
            return out;
        }

        /**
         * Associates two records with one type. A labelled type also brings the unlabeled default type: HubSpot's
         * associations guide says the unlabeled type is always returned, labels alongside it.
         */
        synchronized void add(String fromType, long fromId, String toType, long toId, int typeId) {
            Def d = def(fromType, toType, typeId);
            if (d != null && d.label != null) {
                Def dflt = defaultDef(fromType, toType);
                if (dflt != null && dflt.typeId != typeId) {
                    add(fromType, fromId, toType, toId, dflt.typeId);
                }
            }
            int inverse = d == null ? typeId : d.inverseTypeId;
            edges.computeIfAbsent(key(fromType, fromId, toType), k -> new TreeMap<>())
                    .computeIfAbsent(toId, k -> new TreeSet<>())
                    .add(typeId);
            edges.computeIfAbsent(key(toType, toId, fromType), k -> new TreeMap<>())
                    .computeIfAbsent(fromId, k -> new TreeSet<>())
                    .add(inverse);
        }

        /** Removes one type (or all types when typeId is null) between two records. */
        synchronized boolean remove(String fromType, long fromId, String toType, long toId, Integer typeId) {
            boolean changed = false;
            TreeMap<Long, TreeSet<Integer>> m = edges.get(key(fromType, fromId, toType));
            if (m != null && m.containsKey(toId)) {
                if (typeId == null) {
                    m.remove(toId);
                    changed = true;
                } else {
                    changed = m.get(toId).remove(typeId);
                    if (m.get(toId).isEmpty()) {
                        m.remove(toId);
                    }
                }
            }
            TreeMap<Long, TreeSet<Integer>> inv = edges.get(key(toType, toId, fromType));
            if (inv != null && inv.containsKey(fromId)) {
                if (typeId == null) {
                    inv.remove(fromId);
                } else {
                    Def d = def(fromType, toType, typeId);
                    inv.get(fromId).remove(d == null ? typeId : d.inverseTypeId);
                    if (inv.get(fromId).isEmpty()) {
                        inv.remove(fromId);
                    }
                }
            }
            return changed;
        }

        synchronized TreeMap<Long, TreeSet<Integer>> get(String fromType, long fromId, String toType) {
            TreeMap<Long, TreeSet<Integer>> m = edges.get(key(fromType, fromId, toType));
            if (m == null) {
                return new TreeMap<>();
            }
            TreeMap<Long, TreeSet<Integer>> copy = new TreeMap<>();
            m.forEach((k, v) -> copy.put(k, new TreeSet<>(v)));
            return copy;
        }

        /** Removes every association of a record (archive / permanent delete). */
        synchronized void removeAll(String type, long id, Collection<String> allTypeIds) {
            for (String other : allTypeIds) {
                TreeMap<Long, TreeSet<Integer>> m = edges.remove(key(type, id, other));
                if (m != null) {
                    for (Long toId : m.keySet()) {
                        TreeMap<Long, TreeSet<Integer>> inv = edges.get(key(other, toId, type));
                        if (inv != null) {
                            inv.remove(id);
                        }
                    }
                }
            }
        }

        /** Moves a merged-away record's associations onto the survivor. */
        synchronized void moveAll(String type, long fromId, long toId, Collection<String> allTypeIds) {
            for (String other : allTypeIds) {
                TreeMap<Long, TreeSet<Integer>> m = edges.get(key(type, fromId, other));
                if (m == null) {
                    continue;
                }
                for (Map.Entry<Long, TreeSet<Integer>> e : new ArrayList<>(m.entrySet())) {
                    for (Integer t : e.getValue()) {
                        if (!(other.equals(type) && e.getKey() == toId)) {
                            add(type, toId, other, e.getKey(), t);
                        }
                    }
                }
            }
            removeAll(type, fromId, allTypeIds);
        }

        synchronized long count() {
            long n = 0;
            for (TreeMap<Long, TreeSet<Integer>> m : edges.values()) {
                n += m.size();
            }
            return n / 2;
        }

        synchronized void clear() {
            edges.clear();
            defs.clear();
            labelSeq.set(1000);
        }
    }

    /** Built-in association types (HubSpot default type ids). */
    void defineDefaultAssociations() {
        Associations a = associations;
        a.define("0-1", "0-2", 279, null, "HUBSPOT_DEFINED", 280);
        a.define("0-1", "0-2", 1, "Primary", "HUBSPOT_DEFINED", 2);
        a.define("0-1", "0-3", 4, null, "HUBSPOT_DEFINED", 3);
        a.define("0-2", "0-3", 342, null, "HUBSPOT_DEFINED", 341);
        a.define("0-2", "0-3", 6, "Primary", "HUBSPOT_DEFINED", 5);
        a.define("0-1", "0-5", 15, null, "HUBSPOT_DEFINED", 16);
        a.define("0-2", "0-5", 340, null, "HUBSPOT_DEFINED", 339);
        a.define("0-2", "0-5", 25, "Primary", "HUBSPOT_DEFINED", 26);
        a.define("0-3", "0-5", 27, null, "HUBSPOT_DEFINED", 28);
        a.define("0-3", "0-8", 19, null, "HUBSPOT_DEFINED", 20);
        a.define("0-8", "0-7", 459, null, "HUBSPOT_DEFINED", 460);
        a.define("0-1", "0-1", 449, null, "HUBSPOT_DEFINED", 449);
        a.define("0-2", "0-2", 450, null, "HUBSPOT_DEFINED", 450);
        // engagements -> contact/company/deal/ticket
        int[][] eng = {
            {0x30, 194, 193, 206, 205, 220, 219},
            {0x31, 198, 197, 186, 185, 210, 209},
            {0x2F, 200, 199, 188, 187, 212, 211},
            {0x2E, 202, 201, 190, 189, 214, 213},
            {0x1B, 204, 203, 192, 191, 216, 215}
        };
        String[] engIds = {"0-48", "0-49", "0-47", "0-46", "0-27"};
        for (int i = 0; i < engIds.length; i++) {
            a.define(engIds[i], "0-1", eng[i][1], null, "HUBSPOT_DEFINED", eng[i][2]);
            a.define(engIds[i], "0-2", eng[i][3], null, "HUBSPOT_DEFINED", eng[i][4]);
            a.define(engIds[i], "0-3", eng[i][5], null, "HUBSPOT_DEFINED", eng[i][6]);
        }
    }

    // ---------------------------------------------------------------- pipelines and owners

    /** A deal or ticket pipeline. */
    static final class Pipeline {
        /** A pipeline stage. */
        static final class Stage {
            final String id;
            volatile String label;
            volatile int displayOrder;
            final Map<String, String> metadata;
            final long createdAt;
            volatile long updatedAt;
            volatile boolean archived;

            Stage(String id, String label, int displayOrder, Map<String, String> metadata, long createdAt) {
                this.id = id;
                this.label = label;
                this.displayOrder = displayOrder;
                this.metadata = new LinkedHashMap<>(metadata);
                this.createdAt = createdAt;
                this.updatedAt = createdAt;
            }
        }

        final String id;
        volatile String label;
        volatile int displayOrder;
        final List<Stage> stages = new CopyOnWriteArrayList<>();
        final long createdAt;
        volatile long updatedAt;
        volatile boolean archived;

        Pipeline(String id, String label, int displayOrder, long createdAt) {
            this.id = id;
            this.label = label;
            this.displayOrder = displayOrder;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    void defineDefaultPipelines(long now) {
        Pipeline deals = new Pipeline("default", "Sales Pipeline", 0, 0);
        String[][] ds = {
            {"appointmentscheduled", "Appointment Scheduled", "0.2", "false"},
            {"qualifiedtobuy", "Qualified To Buy", "0.4", "false"},
            {"presentationscheduled", "Presentation Scheduled", "0.6", "false"},
            {"decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"},
            {"contractsent", "Contract Sent", "0.9", "false"},
            {"closedwon", "Closed Won", "1.0", "true"},
            {"closedlost", "Closed Lost", "0.0", "true"}
        };
        for (int i = 0; i < ds.length; i++) {
            deals.stages.add(new Pipeline.Stage(
                    ds[i][0], ds[i][1], i, Map.of("probability", ds[i][2], "isClosed", ds[i][3]), 0));
        }
        Pipeline enterprise = new Pipeline("enterprise", "Enterprise Pipeline", 1, now);
        String[][] es = {
            {"ent_discovery", "Discovery", "0.1", "false"},
            {"ent_proposal", "Proposal", "0.5", "false"},
            {"ent_won", "Won", "1.0", "true"},
            {"ent_lost", "Lost", "0.0", "true"}
        };
        for (int i = 0; i < es.length; i++) {
            enterprise.stages.add(new Pipeline.Stage(
                    es[i][0], es[i][1], i, Map.of("probability", es[i][2], "isClosed", es[i][3]), now));
        }
        pipelines.put("0-3", new CopyOnWriteArrayList<>(List.of(deals, enterprise)));
        Pipeline support = new Pipeline("0", "Support Pipeline", 0, 0);
        String[][] ts = {
            {"1", "New", "OPEN"},
            {"2", "Waiting on contact", "OPEN"},
            {"3", "Waiting on us", "OPEN"},
            {"4", "Closed", "CLOSED"}
        };
        for (int i = 0; i < ts.length; i++) {
            support.stages.add(new Pipeline.Stage(ts[i][0], ts[i][1], i, Map.of("ticketState", ts[i][2]), 0));
        }
        pipelines.put("0-5", new CopyOnWriteArrayList<>(List.of(support)));
    }

    /** A CRM owner (user). */
    record Owner(
            long id,
            String email,
            String firstName,
            String lastName,
            long userId,
            long createdAt,
            long updatedAt,
            boolean archived,
            String teamId,
            String teamName) {}
}
