package io.crmconnect.simulator.dynamics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic seeded rows: the same seed and counts give the same ids and values (timestamps are relative to
 * start-up). Names across cultures, unique e-mails, phones, addresses, birth dates, money, choices, multi-select
 * choices, lookups between the tables, some inactive rows, and bursts of rows sharing one modifiedon second.
 */
final class DataGenerator {
    static final String[] FIRST = {
        "Ava", "Liam", "Sofia", "Noah", "Mia", "Lucas", "Chloé", "Mateo", "Yuki", "Hiro", "Aarav", "Priya", "Olga",
        "Ivan", "Fatima", "Omar", "Zoë", "Jörg", "Ingrid", "Sven", "Wei", "Mei", "Kofi", "Amara", "Diego", "Lucía",
        "Seán", "Aoife", "Nguyễn", "Linh", "Emma", "Oliver", "Hana", "Min-jun", "Ana", "João", "Elif", "Mehmet",
        "Chiara", "Marco"
    };
    static final String[] LAST = {
        "Smith",
        "Johnson",
        "García",
        "Müller",
        "Rossi",
        "Dubois",
        "Kowalski",
        "Nakamura",
        "Sato",
        "Patel",
        "Sharma",
        "Ivanova",
        "Petrov",
        "Haddad",
        "Khan",
        "O'Brien",
        "Murphy",
        "Andersson",
        "Nielsen",
        "Wang",
        "Li",
        "Mensah",
        "Okafor",
        "Fernández",
        "López",
        "Nguyen",
        "Tran",
        "Brown",
        "Wilson",
        "Kim",
        "Park",
        "Silva",
        "Santos",
        "Yılmaz",
        "Demir",
        "Bianchi",
        "Fischer",
        "Schmidt",
        "van der Berg",
        "de la Cruz"
    };
    static final String[] CITIES = {
        "Seattle",
        "Redmond",
        "London",
        "Paris",
        "Berlin",
        "Madrid",
        "Tokyo",
        "Osaka",
        "Mumbai",
        "São Paulo",
        "Toronto",
        "Sydney",
        "Dublin",
        "Stockholm",
        "Warsaw",
        "Istanbul",
        "Lagos",
        "Accra",
        "Seoul",
        "Hanoi"
    };
    static final String[] COUNTRIES = {
        "United States",
        "United States",
        "United Kingdom",
        "France",
        "Germany",
        "Spain",
        "Japan",
        "Japan",
        "India",
        "Brazil",
        "Canada",
        "Australia",
        "Ireland",
        "Sweden",
        "Poland",
        "Türkiye",
        "Nigeria",
        "Ghana",
        "South Korea",
        "Vietnam"
    };
    static final String[] STATES = {
        "WA", "WA", "ENG", "IDF", "BE", "MD", "13", "27", "MH", "SP", "ON", "NSW", "D", "AB", "MZ", "34", "LA", "AA",
        "11", "HN"
    };
    static final String[] TITLES = {
        "CEO",
        "CTO",
        "Sales Manager",
        "Account Executive",
        "Engineer",
        "Data Analyst",
        "Marketing Lead",
        "Purchasing Manager",
        "Consultant",
        "Office Manager",
        "VP Operations",
        "Designer"
    };
    static final String[] COMPANY_A = {
        "Contoso",
        "Fabrikam",
        "Northwind",
        "Adventure Works",
        "Litware",
        "Tailspin",
        "Woodgrove",
        "Proseware",
        "Fourth Coffee",
        "Alpine Ski House",
        "Blue Yonder",
        "Coho Winery",
        "Wide World",
        "Trey Research",
        "Lucerne",
        "Margie's Travel",
        "Humongous",
        "VanArsdel",
        "Wingtip",
        "Relecloud"
    };
    static final String[] COMPANY_B = {
        "Ltd", "Inc.", "GmbH", "S.A.", "K.K.", "Pvt Ltd", "LLC", "Group", "Partners", "Holdings"
    };
    static final String[] DOMAINS = {
        "example.com", "example.org", "example.net", "mail.example", "contoso.example", "fabrikam.example"
    };

    private final Store store;
    private final Schema schema;
    private final SplittableRandom r;
    private final String[] humans;
    private final List<String> accountIds = new ArrayList<>();
    private final List<String> contactIds = new ArrayList<>();
    private int emailSeq;

    DataGenerator(Store store, long seed, String[] humanUserIds) {
        this.store = store;
        this.schema = store.schema;
        this.r = new SplittableRandom(seed);
        this.humans = humanUserIds;
    }

    /** Generates rows for each table in {@code counts} (keys: logical names), all written by human users. */
    void generate(Map<String, Integer> counts, long now) {
        long start = now - 500L * 86_400_000L;
        int accounts = counts.getOrDefault("account", 0);
        int contacts = counts.getOrDefault("contact", 0);
        int total = accounts
                + contacts
                + counts.getOrDefault("lead", 0)
                + counts.getOrDefault("opportunity", 0)
                + counts.getOrDefault("crmc_project", 0);
        long step = total == 0 ? 0 : (now - 60_000 - start) / Math.max(1, total);
        long[] t = {start};
        Runnable tick = () -> {
            // every 50th row starts a burst: the next rows share its second
            if (r.nextInt(50) != 0) {
                t[0] += step;
            }
        };
        for (int i = 0; i < accounts; i++) {
            tick.run();
            accountIds.add(insert("account", account(i), t[0]).id);
        }
        for (int i = 0; i < contacts; i++) {
            tick.run();
            contactIds.add(insert("contact", contact(i), t[0]).id);
        }
        TableDef at = schema.table("account");
        for (int i = 0; i < accountIds.size() && !contactIds.isEmpty(); i += 2) {
            Row a = store.get(at, accountIds.get(i));
            Map<Attr, Object> ch = new HashMap<>();
            ch.put(
                    at.byLogical.get("primarycontactid"),
                    new Ref("contact", contactIds.get(r.nextInt(contactIds.size()))));
            store.update(at, a, ch, humans[r.nextInt(humans.length)], ts(a, at));
        }
        for (int i = 0; i < counts.getOrDefault("lead", 0); i++) {
            tick.run();
            insert("lead", lead(i), t[0]);
        }
        for (int i = 0; i < counts.getOrDefault("opportunity", 0); i++) {
            tick.run();
            insert("opportunity", opportunity(i), t[0]);
        }
        for (int i = 0; i < counts.getOrDefault("crmc_project", 0); i++) {
            tick.run();
            insert("crmc_project", project(i), t[0]);
        }
    }

    private static long ts(Row row, TableDef t) {
        return (Long) row.get(t.byLogical.get("modifiedon"));
    }

    private Row insert(String table, Map<String, Object> values, long at) {
        TableDef t = schema.table(table);
        Map<Attr, Object> v = new LinkedHashMap<>();
        values.forEach((k, x) -> {
            if (x != null) {
                v.put(t.byLogical.get(k), x);
            }
        });
        return store.insert(t, null, v, humans[r.nextInt(humans.length)], at);
    }

    private <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    private boolean chance(double p) {
        return r.nextDouble() < p;
    }

    private String phone() {
        return String.format(Locale.ROOT, "+1-%03d-555-%04d", 200 + r.nextInt(700), r.nextInt(10_000));
    }

    private BigDecimal money(int max) {
        return BigDecimal.valueOf(r.nextInt(max) * 100L + r.nextInt(100), 2).setScale(4, RoundingMode.HALF_UP);
    }

    private String ascii(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD)
                .replaceAll("[^A-Za-z0-9]", "")
                .toLowerCase(Locale.ROOT);
    }

    Map<String, Object> contact(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        String first = pick(FIRST);
        String last = pick(LAST);
        int c = r.nextInt(CITIES.length);
        m.put("firstname", first);
        m.put("lastname", last);
        m.put("emailaddress1", ascii(first) + "." + ascii(last) + "." + (++emailSeq) + "@" + pick(DOMAINS));
        m.put("emailaddress2", chance(0.2) ? ascii(first) + emailSeq + "@personal.example" : null);
        m.put("telephone1", phone());
        m.put("mobilephone", chance(0.7) ? phone() : null);
        m.put("jobtitle", pick(TITLES));
        m.put(
                "birthdate",
                chance(0.8)
                        ? LocalDate.of(1950 + r.nextInt(50), 1 + r.nextInt(12), 1 + r.nextInt(28))
                                .toEpochDay()
                        : null);
        m.put("address1_line1", (1 + r.nextInt(9999)) + " " + pick(LAST) + " Street");
        m.put("address1_city", CITIES[c]);
        m.put("address1_stateorprovince", STATES[c]);
        m.put("address1_postalcode", String.format(Locale.ROOT, "%05d", r.nextInt(100_000)));
        m.put("address1_country", COUNTRIES[c]);
        m.put("gendercode", chance(0.8) ? 1 + r.nextInt(2) : null);
        m.put("preferredcontactmethodcode", 1 + r.nextInt(5));
        m.put("donotemail", chance(0.1));
        m.put("creditlimit", chance(0.6) ? money(100_000) : null);
        m.put("numberofchildren", chance(0.5) ? r.nextInt(5) : null);
        m.put("description", chance(0.3) ? "Met at " + pick(CITIES) + " conference; interested in renewal." : null);
        if (!accountIds.isEmpty() && chance(0.8)) {
            m.put("parentcustomerid", new Ref("account", accountIds.get(r.nextInt(accountIds.size()))));
        }
        m.put("crmc_hubspotid", chance(0.5) ? Long.toString(10_000L + i * 7L) : null);
        if (chance(0.6)) {
            int a = r.nextInt(5);
            int b = r.nextInt(5);
            m.put(
                    "crmc_interests",
                    a == b
                            ? Integer.toString(100_000_000 + a)
                            : (100_000_000 + Math.min(a, b)) + "," + (100_000_000 + Math.max(a, b)));
        }
        m.put("crmc_score", chance(0.7) ? BigDecimal.valueOf(r.nextInt(10_000), 2) : null);
        if (chance(0.1)) {
            m.put("statecode", 1);
            m.put("statuscode", 2);
        }
        return m;
    }

    Map<String, Object> account(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        int c = r.nextInt(CITIES.length);
        m.put("name", pick(COMPANY_A) + " " + pick(COMPANY_B) + (i >= 100 ? " " + (i / 100) : ""));
        m.put("accountnumber", String.format(Locale.ROOT, "ACC-%06d", i + 1));
        m.put("telephone1", phone());
        m.put("emailaddress1", "info" + (i + 1) + "@" + pick(DOMAINS));
        m.put("websiteurl", "https://www" + (i + 1) + "." + pick(DOMAINS));
        m.put("address1_city", CITIES[c]);
        m.put("address1_country", COUNTRIES[c]);
        m.put("revenue", chance(0.8) ? money(50_000_000) : null);
        m.put("numberofemployees", chance(0.8) ? 1 + r.nextInt(20_000) : null);
        m.put("industrycode", chance(0.7) ? new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 33}[r.nextInt(11)] : null);
        m.put("customertypecode", 1 + r.nextInt(12));
        if (!accountIds.isEmpty() && chance(0.1)) {
            m.put("parentaccountid", new Ref("account", accountIds.get(r.nextInt(accountIds.size()))));
        }
        m.put("description", chance(0.3) ? "Key account in " + CITIES[c] + "." : null);
        m.put("crmc_hubspotid", chance(0.5) ? Long.toString(50_000L + i * 3L) : null);
        if (chance(0.05)) {
            m.put("statecode", 1);
            m.put("statuscode", 2);
        }
        // (name, city) is an alternate key: keep it unique
        m.put("name", m.get("name") + (keyTaken((String) m.get("name"), CITIES[c]) ? " #" + (i + 1) : ""));
        return m;
    }

    private boolean keyTaken(String name, String city) {
        TableDef t = schema.table("account");
        TableDef.Key k = t.keys.get(2);
        return store.byKey(t, k, List.of(Store.norm(name), Store.norm(city))) != null;
    }

    Map<String, Object> lead(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        String first = pick(FIRST);
        String last = pick(LAST);
        m.put(
                "subject",
                "Interested in "
                        + pick(new String[] {"CRM sync", "data migration", "analytics", "support plan", "training"}));
        m.put("firstname", first);
        m.put("lastname", last);
        m.put("emailaddress1", ascii(first) + "." + ascii(last) + ".lead" + (i + 1) + "@" + pick(DOMAINS));
        m.put("companyname", pick(COMPANY_A) + " " + pick(COMPANY_B));
        m.put("telephone1", phone());
        m.put("jobtitle", pick(TITLES));
        m.put("leadsourcecode", 1 + r.nextInt(10));
        m.put("leadqualitycode", 1 + r.nextInt(3));
        m.put("estimatedamount", chance(0.6) ? money(500_000) : null);
        if (!accountIds.isEmpty() && chance(0.3)) {
            m.put("parentaccountid", new Ref("account", accountIds.get(r.nextInt(accountIds.size()))));
        }
        if (!contactIds.isEmpty() && chance(0.2)) {
            m.put("parentcontactid", new Ref("contact", contactIds.get(r.nextInt(contactIds.size()))));
        }
        m.put("crmc_hubspotid", chance(0.3) ? Long.toString(90_000L + i * 5L) : null);
        int s = r.nextInt(10);
        if (s == 0) {
            m.put("statecode", 1);
            m.put("statuscode", 3);
        } else if (s == 1) {
            m.put("statecode", 2);
            m.put("statuscode", 4 + r.nextInt(4));
        } else {
            m.put("statuscode", 1 + r.nextInt(2));
        }
        return m;
    }

    Map<String, Object> opportunity(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", pick(new String[] {"Renewal", "Upsell", "New licence", "Expansion", "Pilot"}) + " " + (i + 1));
        m.put("estimatedvalue", money(1_000_000));
        m.put(
                "estimatedclosedate",
                LocalDate.of(2026, 1, 1).plusDays(r.nextInt(500)).toEpochDay());
        m.put("closeprobability", r.nextInt(101));
        if (!accountIds.isEmpty() && (contactIds.isEmpty() || chance(0.7))) {
            String a = accountIds.get(r.nextInt(accountIds.size()));
            m.put("customerid", new Ref("account", a));
            m.put("parentaccountid", new Ref("account", a));
        } else if (!contactIds.isEmpty()) {
            String c = contactIds.get(r.nextInt(contactIds.size()));
            m.put("customerid", new Ref("contact", c));
            m.put("parentcontactid", new Ref("contact", c));
        }
        m.put("opportunityratingcode", 1 + r.nextInt(3));
        m.put("salesstage", r.nextInt(4));
        m.put("description", chance(0.3) ? "Budget approved for next quarter." : null);
        m.put("crmc_hubspotid", chance(0.4) ? Long.toString(70_000L + i * 11L) : null);
        int s = r.nextInt(10);
        if (s == 0) {
            m.put("statecode", 1);
            m.put("statuscode", 3);
        } else if (s == 1) {
            m.put("statecode", 2);
            m.put("statuscode", 4 + r.nextInt(2));
        }
        return m;
    }

    Map<String, Object> project(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "crmc_name",
                pick(new String[] {"Migration", "Rollout", "Integration", "Audit", "Training"}) + " " + (i + 1));
        m.put("crmc_code", String.format(Locale.ROOT, "PRJ-%05d", i + 1));
        m.put("crmc_budget", money(2_000_000));
        m.put(
                "crmc_startdate",
                LocalDate.of(2025, 6, 1).plusDays(r.nextInt(400)).toEpochDay());
        m.put(
                "crmc_deadline",
                (LocalDate.of(2026, 6, 1).plusDays(r.nextInt(400)).toEpochDay() * 86_400L + 17 * 3600L) * 1000L);
        m.put("crmc_score", Math.round(r.nextDouble() * 1_000_000) / 10_000.0);
        m.put("crmc_hours", BigDecimal.valueOf(r.nextInt(100_000), 2));
        m.put("crmc_priority", 1 + r.nextInt(5));
        m.put("crmc_active", chance(0.8));
        m.put("crmc_stage", 100_000_000 + r.nextInt(3));
        m.put("crmc_tags", chance(0.5) ? (100_000_000 + r.nextInt(2)) + "," + (100_000_002 + r.nextInt(2)) : null);
        if (!accountIds.isEmpty()) {
            m.put("crmc_accountid", new Ref("account", accountIds.get(r.nextInt(accountIds.size()))));
        }
        return m;
    }

    List<String> accountIds() {
        return accountIds;
    }
}
