package io.crmconnect.simulator.hubspot;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded, deterministic test data: the same seed and sizes always give the same records, ids, values and
 * associations. Values look real (names, emails with case variants and duplicate persons, phones, postal addresses,
 * dates of birth, amounts, enumerations) and are synthetic.
 */
final class DataGenerator {
    static final String[] FIRST = {
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Amelia",
        "Oliver",
        "Sophia",
        "Elijah",
        "Mia",
        "Lucas",
        "Charlotte",
        "Mateo",
        "Ava",
        "Levi",
        "Isabella",
        "Aarav",
        "Yuki",
        "Chen",
        "Fatima",
        "Jose",
        "Zoë",
        "Björn",
        "Anaïs",
        "Siobhán",
        "Kwame",
        "Priya",
        "Dmitri",
        "Ngozi",
        "Luca",
        "Ingrid"
    };
    static final String[] LAST = {
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Gonzalez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Taylor",
        "Moore",
        "Jackson",
        "Müller",
        "O'Brien",
        "Nakamura",
        "Kowalski",
        "Dubois",
        "Rossi",
        "Okafor",
        "Patel",
        "Ivanova",
        "Lindqvist",
        "van der Berg",
        "Nguyen"
    };
    static final String[] DOMAINS = {
        "example.com",
        "example.org",
        "example.net",
        "test.example",
        "mail.example",
        "corp.example",
        "acme.example",
        "globex.example"
    };
    static final String[] CITIES = {
        "Boston",
        "Dublin",
        "Berlin",
        "Paris",
        "Singapore",
        "Sydney",
        "Toronto",
        "Austin",
        "Lisbon",
        "Tokyo",
        "Nairobi",
        "São Paulo"
    };
    static final String[] COUNTRIES = {
        "United States",
        "Ireland",
        "Germany",
        "France",
        "Singapore",
        "Australia",
        "Canada",
        "United States",
        "Portugal",
        "Japan",
        "Kenya",
        "Brazil"
    };
    static final String[] STATES = {
        "MA", "Leinster", "Berlin", "Île-de-France", "Central", "NSW", "ON", "TX", "Lisboa", "Tokyo", "Nairobi", "SP"
    };
    static final String[] STREETS = {
        "Main St",
        "High Street",
        "Hauptstraße",
        "Rue de la Paix",
        "Orchard Rd",
        "George St",
        "King St W",
        "Congress Ave",
        "Rua Augusta",
        "Chuo-dori",
        "Moi Ave",
        "Av. Paulista"
    };
    static final String[] WORDS = {
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Stark",
        "Wayne",
        "Hooli",
        "Vandelay",
        "Soylent",
        "Tyrell",
        "Cyberdyne",
        "Wonka",
        "Gringotts",
        "Oscorp",
        "Massive",
        "Dynamic",
        "Blue",
        "Northwind"
    };
    static final String[] SUFFIX = {"Inc", "LLC", "GmbH", "Ltd", "SA", "Group", "Labs", "Systems"};
    static final String[] TITLES = {
        "CEO",
        "CTO",
        "VP Sales",
        "Marketing Manager",
        "Engineer",
        "Analyst",
        "Head of Data",
        "Account Executive",
        "Office Manager",
        "Consultant"
    };

    private final Store store;
    private final Records records;
    private final SplittableRandom rnd;
    private final long seed;
    private long t;
    private long burstLeft;
    private String lastFirst;
    private String lastLast;
    private String lastPhone;

    DataGenerator(Store store, Records records, long seed) {
        this.store = store;
        this.records = records;
        this.rnd = new SplittableRandom(seed);
        this.seed = seed;
    }

    <T> T pick(T[] a) {
        return a[rnd.nextInt(a.length)];
    }

    /** Timestamps move forward; about a third of records share their millisecond with the previous ones. */
    private long nextTime(long step) {
        if (burstLeft > 0) {
            burstLeft--;
            return t;
        }
        if (rnd.nextInt(3) == 0) {
            burstLeft = 1 + rnd.nextInt(8);
        }
        t += 1 + rnd.nextLong(Math.max(2, step));
        return t;
    }

    void addWideProperties(int n) {
        String[] types = {"string", "number", "date", "datetime", "enumeration", "bool"};
        for (String typeName : List.of("contacts", "companies")) {
            ObjectType type = store.type(typeName);
            Catalog.Props p = new Catalog.Props(type.createdAt);
            for (int i = 1; i <= n; i++) {
                String name = String.format("wide_prop_%03d", i);
                switch (types[i % types.length]) {
                    case "string":
                        p.str(name, "wide_properties");
                        break;
                    case "number":
                        p.num(name, "wide_properties");
                        break;
                    case "date":
                        p.date(name, "wide_properties");
                        break;
                    case "datetime":
                        p.dt(name, "wide_properties");
                        break;
                    case "enumeration":
                        p.select(name, "wide_properties", Catalog.PRIORITY);
                        break;
                    default:
                        p.bool(name, "wide_properties");
                        break;
                }
            }
            for (PropertyDef d : p.list) {
                type.addProperty(new PropertyDef(
                        d.name,
                        d.label,
                        d.type,
                        d.fieldType,
                        d.groupName,
                        d.options,
                        false,
                        false,
                        false,
                        false,
                        "Generated wide property",
                        d.displayOrder,
                        d.createdAt));
            }
        }
    }

    String valueFor(PropertyDef d) {
        switch (d.type) {
            case "number":
                return Integer.toString(rnd.nextInt(100_000));
            case "date":
                return LocalDate.ofEpochDay(15_000 + rnd.nextInt(5000)).toString();
            case "datetime":
                return Json.iso(t - rnd.nextLong(300L * 86_400_000L));
            case "enumeration":
                return d.options.isEmpty() ? "" : d.options.get(rnd.nextInt(d.options.size()))[1];
            case "bool":
                return rnd.nextBoolean() ? "true" : "false";
            default:
                return pick(WORDS) + " " + Integer.toHexString(rnd.nextInt(1 << 20));
        }
    }

    private String phone() {
        return "+1 (" + (200 + rnd.nextInt(700)) + ") " + pad(rnd.nextInt(1000), 3) + "-" + pad(rnd.nextInt(10000), 4);
    }

    static String pad(int v, int width) {
        String s = Integer.toString(v);
        return s.length() >= width ? s : "0000000".substring(0, width - s.length()) + s;
    }

    private final Map<String, GeneratedProps.Layout> wideLayouts = new HashMap<>();

    /** The wide properties of a type (empty when none were added). */
    private GeneratedProps.Layout wideLayout(ObjectType type) {
        return wideLayouts.computeIfAbsent(type.name, k -> {
            List<PropertyDef> l = new ArrayList<>();
            for (PropertyDef d : type.properties(false)) {
                if (d.name.startsWith("wide_prop_")) {
                    l.add(d);
                }
            }
            return new GeneratedProps.Layout(l);
        });
    }

    /**
     * Gives a generated record its wide property values: derived on demand from (seed, id), not stored (see
     * {@link GeneratedProps}); the record is otherwise unchanged.
     */
    private void wide(ObjectType type, Rec r) {
        GeneratedProps.Layout layout = wideLayout(type);
        if (layout.isEmpty()) {
            return;
        }
        long recordSeed = GeneratedProps.mix(seed ^ (r.id * 0xD1B54A32D192ED03L));
        GeneratedProps props = new GeneratedProps(r.props, layout, recordSeed, r.createdAt);
        store.table(type)
                .put(
                        new Rec(r.id, props, r.createdAt, r.updatedAt, r.archived, r.archivedAt, r.history),
                        r.updatedAt,
                        0);
    }

    Map<String, String> contact(int i) {
        Map<String, String> p = new LinkedHashMap<>();
        String first = pick(FIRST);
        String last = pick(LAST);
        String phone = phone();
        if (lastFirst != null && rnd.nextInt(33) == 0) { // a duplicate person under another email address
            first = lastFirst;
            last = lastLast;
            phone = lastPhone;
        }
        lastFirst = first;
        lastLast = last;
        lastPhone = phone;
        String local = emailLocal(first + "." + last) + i;
        String domain = pick(DOMAINS);
        String email = local + "@" + domain;
        if (rnd.nextInt(20) == 0) { // case variant: stored mixed-case, unique case-insensitively
            email = Character.toUpperCase(local.charAt(0)) + local.substring(1) + "@" + domain.toUpperCase(Locale.ROOT);
        }
        p.put("email", email);
        p.put("firstname", first);
        p.put("lastname", last);
        p.put("phone", phone);
        if (rnd.nextBoolean()) {
            p.put("mobilephone", phone());
        }
        int c = rnd.nextInt(CITIES.length);
        p.put("address", (1 + rnd.nextInt(999)) + " " + STREETS[c]);
        p.put("city", CITIES[c]);
        p.put("state", STATES[c]);
        p.put("country", COUNTRIES[c]);
        p.put("zip", pad(rnd.nextInt(100_000), 5));
        p.put(
                "date_of_birth",
                LocalDate.of(1950 + rnd.nextInt(55), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28))
                        .toString());
        p.put("jobtitle", pick(TITLES));
        p.put("company", pick(WORDS) + " " + pick(SUFFIX));
        p.put("lifecyclestage", pick(Catalog.LIFECYCLE)[1]);
        p.put("hs_lead_status", pick(Catalog.LEAD_STATUS)[1]);
        if (rnd.nextInt(3) == 0) {
            p.put("hs_buying_role", pick(Catalog.BUYING_ROLE)[1] + ";" + pick(Catalog.BUYING_ROLE)[1]);
        }
        p.put("annualrevenue", Integer.toString(rnd.nextInt(5_000_000)));
        p.put("hs_email_optout", rnd.nextInt(10) == 0 ? "true" : "false");
        // web analytics HubSpot sets itself (read-only through the API): most contacts have a few sessions
        p.put("hs_email_domain", domain.toLowerCase(Locale.ROOT));
        p.put("hs_analytics_source", pick(Catalog.ANALYTICS_SOURCE)[1]);
        int visits = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(40);
        p.put("hs_analytics_num_visits", Integer.toString(visits));
        p.put("hs_analytics_num_page_views", Integer.toString(visits * (1 + rnd.nextInt(5))));
        if (visits > 0) {
            p.put("hs_analytics_first_timestamp", Json.iso(t - rnd.nextLong(200L * 86_400_000L)));
        }
        if (!store.owners.isEmpty()) {
            p.put("hubspot_owner_id", Long.toString(ownerId()));
        }
        return p;
    }

    /** Lower case, only a-z and dots (the same as {@code replaceAll("[^a-z.]", "")}, without a regex per record). */
    static String emailLocal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length());
        for (int k = 0; k < lower.length(); k++) {
            char c = lower.charAt(k);
            if (c >= 'a' && c <= 'z' || c == '.') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private Long[] ownerIds;

    long ownerId() {
        if (ownerIds == null || ownerIds.length != store.owners.size()) {
            ownerIds = store.owners.keySet().toArray(new Long[0]);
        }
        return ownerIds[rnd.nextInt(ownerIds.length)];
    }

    Map<String, String> company(int i) {
        Map<String, String> p = new LinkedHashMap<>();
        String name = pick(WORDS) + " " + pick(WORDS) + " " + pick(SUFFIX);
        p.put("name", name);
        // ~10% share a domain with another company: HubSpot does not de-duplicate companies created by API
        p.put("domain", (rnd.nextInt(10) == 0 ? "shared" + rnd.nextInt(5) : "co" + i) + "." + pick(DOMAINS));
        p.put("website", "https://www." + p.get("domain"));
        p.put("phone", phone());
        int c = rnd.nextInt(CITIES.length);
        p.put("address", (1 + rnd.nextInt(999)) + " " + STREETS[c]);
        p.put("city", CITIES[c]);
        p.put("country", COUNTRIES[c]);
        p.put("zip", pad(rnd.nextInt(100_000), 5));
        p.put("industry", pick(Catalog.INDUSTRY)[1]);
        p.put("type", pick(Catalog.COMPANY_TYPE)[1]);
        p.put("numberofemployees", Integer.toString(1 + rnd.nextInt(20_000)));
        p.put("annualrevenue", (rnd.nextInt(1_000_000) * 100L) + ".5");
        p.put("lifecyclestage", pick(Catalog.LIFECYCLE)[1]);
        p.put("is_public", rnd.nextInt(5) == 0 ? "true" : "false");
        if (!store.owners.isEmpty()) {
            p.put("hubspot_owner_id", Long.toString(ownerId()));
        }
        return p;
    }

    Map<String, String> deal(int i) {
        Map<String, String> p = new LinkedHashMap<>();
        boolean ent = rnd.nextInt(4) == 0;
        Store.Pipeline pl = store.pipelines.get("0-3").get(ent ? 1 : 0);
        p.put("dealname", pick(WORDS) + " deal #" + i);
        p.put("amount", rnd.nextInt(200_000) + "." + pad(rnd.nextInt(100), 2));
        p.put("pipeline", pl.id);
        p.put("dealstage", pl.stages.get(rnd.nextInt(pl.stages.size())).id);
        p.put("closedate", Json.iso(t + rnd.nextLong(180L * 86_400_000L)));
        p.put("dealtype", pick(Catalog.DEAL_TYPE)[1]);
        p.put("hs_priority", pick(Catalog.DEAL_PRIORITY)[1]);
        p.put("deal_currency_code", rnd.nextInt(4) == 0 ? "EUR" : "USD");
        if (!store.owners.isEmpty()) {
            p.put("hubspot_owner_id", Long.toString(ownerId()));
        }
        return p;
    }

    Map<String, String> ticket(int i) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(
                "subject",
                "Ticket " + i + ": " + pick(WORDS) + " "
                        + pick(new String[] {
                            "login fails", "invoice wrong", "feature request", "slow dashboard", "export broken"
                        }));
        p.put("content", "Customer reports an issue. Ref " + Integer.toHexString(rnd.nextInt()));
        p.put("hs_pipeline", "0");
        p.put("hs_pipeline_stage", Integer.toString(1 + rnd.nextInt(4)));
        p.put("hs_ticket_priority", pick(Catalog.PRIORITY)[1]);
        p.put("hs_ticket_category", pick(Catalog.TICKET_CATEGORY)[1]);
        return p;
    }

    Map<String, String> generic(ObjectType type, int i) {
        Map<String, String> p = new LinkedHashMap<>();
        for (PropertyDef d : type.properties(false)) {
            if (d.readOnlyValue
                    || d.calculated
                    || d.name.equals("hubspot_owner_id")
                    || d.hasUniqueValue && !d.name.equals("hs_sku")) {
                continue;
            }
            if (d.name.equals("hs_timestamp")) {
                p.put(d.name, Json.iso(t));
            } else if (d.name.equals("hs_sku")) {
                p.put(d.name, "SKU-" + i);
            } else if (rnd.nextInt(10) < 8) {
                p.put(d.name, valueFor(d));
            }
        }
        return p;
    }

    /** Generates everything; {@code counts} maps object type name to record count. */
    void generate(Map<String, Integer> counts, int owners, int wideProps) {
        long now = store.clock.millis();
        t = now - 400L * 86_400_000L;
        for (int i = 0; i < owners; i++) {
            long id = 70_000_000L + i;
            String fn = pick(FIRST);
            String ln = pick(LAST);
            store.owners.put(
                    id,
                    new Store.Owner(
                            id,
                            "owner" + i + "@owners.example",
                            fn,
                            ln,
                            9_000_000L + i,
                            t,
                            t,
                            i == owners - 1 && owners > 2,
                            "team-" + (i % 3),
                            "Team " + (char) ('A' + i % 3)));
        }
        if (wideProps > 0) {
            addWideProperties(wideProps);
        }
        long span = 360L * 86_400_000L;
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        long step = Math.max(2, span / Math.max(1, total));
        Map<String, List<Long>> ids = new LinkedHashMap<>();
        for (String typeName : List.of(
                "companies",
                "contacts",
                "deals",
                "tickets",
                "products",
                "line_items",
                "calls",
                "emails",
                "meetings",
                "notes",
                "tasks")) {
            int n = counts.getOrDefault(typeName, 0);
            ObjectType type = store.type(typeName);
            List<Long> created = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, String> p;
                switch (typeName) {
                    case "contacts":
                        p = contact(i);
                        break;
                    case "companies":
                        p = company(i);
                        break;
                    case "deals":
                        p = deal(i);
                        break;
                    case "tickets":
                        p = ticket(i);
                        break;
                    default:
                        p = generic(type, i);
                        break;
                }
                long ts = nextTime(step);
                Rec r = records.createRecord(type, p, null, ts, "CRM_UI", true);
                wide(type, r);
                created.add(r.id);
            }
            ids.put(typeName, created);
        }
        associate(ids);
        // custom object types created through the schemas API before generation get records too
        for (ObjectType type : store.types) {
            if (type.custom && counts.getOrDefault(type.name, 0) > 0) {
                for (int i = 0; i < counts.get(type.name); i++) {
                    records.createRecord(type, generic(type, i), null, nextTime(step), "CRM_UI", true);
                }
            }
        }
    }

    private void associate(Map<String, List<Long>> ids) {
        List<Long> contacts = ids.getOrDefault("contacts", List.of());
        List<Long> companies = ids.getOrDefault("companies", List.of());
        List<Long> deals = ids.getOrDefault("deals", List.of());
        List<Long> tickets = ids.getOrDefault("tickets", List.of());
        Store.Associations a = store.associations;
        if (!companies.isEmpty()) {
            for (Long c : contacts) {
                if (rnd.nextInt(10) < 8) {
                    long co = companies.get(rnd.nextInt(companies.size()));
                    a.add("0-1", c, "0-2", co, 279);
                    a.add("0-1", c, "0-2", co, 1);
                }
            }
        }
        for (Long d : deals) {
            if (!contacts.isEmpty()) {
                int k = 1 + rnd.nextInt(3);
                for (int i = 0; i < k; i++) {
                    a.add("0-3", d, "0-1", contacts.get(rnd.nextInt(contacts.size())), 3);
                }
            }
            if (!companies.isEmpty()) {
                long co = companies.get(rnd.nextInt(companies.size()));
                a.add("0-3", d, "0-2", co, 341);
                a.add("0-3", d, "0-2", co, 5);
            }
        }
        for (Long tk : tickets) {
            if (!contacts.isEmpty()) {
                a.add("0-5", tk, "0-1", contacts.get(rnd.nextInt(contacts.size())), 16);
            }
        }
    }

    SplittableRandom random() {
        return rnd;
    }
}
