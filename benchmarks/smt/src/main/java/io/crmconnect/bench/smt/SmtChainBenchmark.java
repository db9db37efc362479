package io.crmconnect.bench.smt;

import io.crmconnect.smt.FieldMapping;
import io.crmconnect.smt.HashPii;
import io.crmconnect.smt.MatchKeys;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * FieldMapping + MatchKeys + HashPii applied to HubSpot-like contacts: a 20-field Struct, 1,024 distinct records
 * cycled so that nothing is constant-folded. One call = one record through the whole chain.
 *
 * <ul>
 *   <li>{@code standard}: mapping of all 20 fields (int64, date, timestamp, ISO timestamp, decimal and int32 casts,
 *       a concatenation, a default, a constant); keys email, name, date of birth and a composite person key;
 *       HMAC of the email.</li>
 *   <li>{@code heavy}: the same plus a postal-address key and HMAC of email and phone.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SmtChainBenchmark {
    static final Schema CONTACT = SchemaBuilder.struct()
            .name("hubspot.contact")
            .field("id", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("firstname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("date_of_birth", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address", Schema.OPTIONAL_STRING_SCHEMA)
            .field("city", Schema.OPTIONAL_STRING_SCHEMA)
            .field("state", Schema.OPTIONAL_STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .field("company", Schema.OPTIONAL_STRING_SCHEMA)
            .field("jobtitle", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lifecyclestage", Schema.OPTIONAL_STRING_SCHEMA)
            .field("createdate", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lastmodifieddate", Schema.OPTIONAL_INT64_SCHEMA)
            .field("annualrevenue", Schema.OPTIONAL_STRING_SCHEMA)
            .field("num_employees", Schema.OPTIONAL_INT32_SCHEMA)
            .field("lead_score", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("email_optout", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("notes", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    /** The mapping: renames, nested-free casts, a concatenation, a date, timestamps and a constant. */
    static final String MAPPING = String.join(
            "\n",
            "fields:",
            "  - { from: id, to: contact_id, type: int64, required: true }",
            "  - { from: email, to: email }",
            "  - { from: firstname, to: first_name }",
            "  - { from: lastname, to: last_name }",
            "  - { concat: [firstname, lastname], to: full_name }",
            "  - { from: phone, to: phone }",
            "  - { from: date_of_birth, to: birth_date, type: date, format: MM/dd/yyyy }",
            "  - { from: address, to: street }",
            "  - { from: city, to: city }",
            "  - { from: state, to: state }",
            "  - { from: zip, to: postal_code }",
            "  - { from: company, to: company }",
            "  - { from: jobtitle, to: job_title }",
            "  - { from: lifecyclestage, to: lifecycle_stage, default: lead }",
            "  - { from: createdate, to: created_at, type: timestamp }",
            "  - { from: lastmodifieddate, to: updated_at, type: timestamp, output: iso }",
            "  - { from: annualrevenue, to: annual_revenue, type: decimal, scale: 2 }",
            "  - { from: num_employees, to: employees }",
            "  - { from: lead_score, to: lead_score, type: int32 }",
            "  - { from: email_optout, to: email_opt_out, default: false }",
            "  - { constant: hubspot, to: source_system }");

    static final String[] FIRST = {"Ana", "José", "Zoë", "Liam", "Chloé", "Noah", "Emma", "Søren", "Mia", "Łukasz"};
    static final String[] LAST = {"López", "O'Brien", "Smith-Jones", "Müller", "Nguyen", "García", "Kim", "Dubois"};
    static final String[] STREETS = {"North Main Street", "Oak Avenue", "Sunset Boulevard", "Elm St.", "Park Road"};

    @Param({"standard", "heavy"})
    public String profile;

    FieldMapping.Value<SinkRecord> mapping;
    MatchKeys.Value<SinkRecord> keys;
    HashPii.Value<SinkRecord> pii;
    SinkRecord[] records;
    int next;

    @Setup
    public void setup() {
        mapping = new FieldMapping.Value<>();
        mapping.configure(Map.of("mapping", MAPPING));
        keys = new MatchKeys.Value<>();
        Map<String, String> k = new HashMap<>();
        boolean heavy = "heavy".equals(profile);
        k.put(
                "keys",
                heavy ? "email_key,name_key,dob_key,address_key,person_key" : "email_key,name_key,dob_key,person_key");
        k.put("key.email_key.type", "email");
        k.put("key.email_key.fields", "email");
        k.put("key.name_key.type", "name");
        k.put("key.name_key.fields", "first_name,last_name");
        k.put("key.dob_key.type", "date");
        k.put("key.dob_key.fields", "birth_date");
        k.put("key.address_key.type", "address");
        k.put("key.address_key.fields", "street,city,state,postal_code");
        k.put("key.person_key.type", "composite");
        k.put("key.person_key.fields", "name_key,dob_key");
        keys.configure(k);
        pii = new HashPii.Value<>();
        pii.configure(Map.of("fields", heavy ? "email,phone" : "email", "hmac.secret", "benchmark-secret-0123456789"));
        records = new SinkRecord[1024];
        for (int i = 0; i < records.length; i++) {
            String first = FIRST[i % FIRST.length];
            String last = LAST[(i / 3) % LAST.length];
            Struct v = new Struct(CONTACT)
                    .put("id", Integer.toString(100_000 + i))
                    .put("email", " " + first + "." + last.replace("'", "") + i + "@Example.com")
                    .put("firstname", first)
                    .put("lastname", last)
                    .put("phone", "+1 (212) 555-" + String.format("%04d", i))
                    .put("date_of_birth", String.format("%02d/%02d/%d", 1 + i % 12, 1 + i % 28, 1950 + i % 50))
                    .put("address", (10 + i) + " " + STREETS[i % STREETS.length] + " Apt " + (i % 40))
                    .put("city", "Springfield")
                    .put("state", "IL")
                    .put("zip", "62704-" + String.format("%04d", i))
                    .put("company", "Company " + (i % 97))
                    .put("jobtitle", "Engineer")
                    .put("lifecyclestage", i % 5 == 0 ? null : "customer")
                    .put(
                            "createdate",
                            Instant.ofEpochSecond(1_600_000_000L + i * 3_600L).toString())
                    .put("lastmodifieddate", 1_700_000_000_000L + i * 1_000L)
                    .put("annualrevenue", (i * 1000 + 0.5) + "")
                    .put("num_employees", i % 500)
                    .put("lead_score", (double) (i % 100))
                    .put("email_optout", i % 7 == 0)
                    .put("notes", "note " + i);
            records[i] = new SinkRecord("hubspot.contacts", 0, Schema.STRING_SCHEMA, "k" + i, CONTACT, v, i);
        }
        check(chain(records[0]), heavy);
    }

    /** Guards against measuring a broken chain. */
    static void check(SinkRecord out, boolean heavy) {
        Struct v = (Struct) out.value();
        boolean ok = v.getString("email").length() == 64
                && "ana lopez|1950-01-01".equals(v.getString("person_key"))
                && v.getInt64("contact_id") == 100_000L
                && v.get("created_at") != null
                && "ana.l\u00f3pez0@example.com".equals(v.getString("email_key"))
                && (heavy
                        ? v.getString("phone").length() == 64
                                && v.getString("address_key").equals("10 n main st apt 0 springfield il 62704")
                        : v.getString("phone").startsWith("+1"));
        if (!ok) {
            throw new IllegalStateException("unexpected chain output: " + v);
        }
        v.validate();
    }

    SinkRecord chain(SinkRecord r) {
        return pii.apply(keys.apply(mapping.apply(r)));
    }

    @Benchmark
    public Object fieldMappingMatchKeysHashPii() {
        SinkRecord r = records[next];
        next = (next + 1) & 1023;
        return chain(r);
    }
}
