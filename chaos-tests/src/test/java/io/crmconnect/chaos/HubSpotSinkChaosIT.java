package io.crmconnect.chaos;

import static io.crmconnect.testharness.JsonEnvelope.fields;
import static io.crmconnect.testharness.JsonEnvelope.jsonBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The HubSpot sink in a two-worker Connect cluster of separate processes, writing a topic into the HubSpot simulator
 * while faults fire: the worker running the task is killed with SIGKILL in the middle of its writes, answers are lost
 * after HubSpot committed a create, connections are reset and 429 storms rage. Each scenario ends with HubSpot equal
 * to the topic record by record: every valid record exactly once (0 lost, 0 duplicated CRM objects), every invalid
 * one in the dead-letter topic with its reason, the task RUNNING and its offsets committed to the end.
 */
class HubSpotSinkChaosIT {
    static ChaosCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = ChaosCluster.shared();
    }

    @AfterEach
    void heal() {
        cluster.healAll();
    }

    static Map<String, String> sinkConfig(HubSpotSimulator sim, String topic, String dlq, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", Chaos.HUBSPOT_SINK);
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", dlq);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("consumer.override.auto.offset.reset", "earliest");
        c.putAll(extra);
        return c;
    }

    /** Dead letters by key with their reason header. */
    static Map<String, List<String>> deadLetters(String dlq) {
        Map<String, List<String>> out = new TreeMap<>();
        if (cluster.endOffset(dlq) <= 0) {
            return out;
        }
        for (ConsumerRecord<byte[], byte[]> r : cluster.readAll(dlq)) {
            var reason = r.headers().lastHeader("crmconnect.error.reason");
            out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static void awaitCommittedToTheEnd(String connector, String topic) {
        long end = cluster.endOffset(topic);
        ChaosCluster.awaitCondition(
                connector + " committed all " + end + " records of " + topic,
                Chaos.CONVERGE,
                () -> cluster.committed("connect-" + connector, topic) >= end);
    }

    @Test
    void workerKilledDuringPutWithLostCreateAnswersCreatesEachCompanyOnce() {
        int n = Chaos.full() ? 20_000 : 3_000;
        try (HubSpotSimulator sim = HubSpotSimulator.builder().seed(41).start();
                HubSpotClient api = HubSpotClient.builder()
                        .baseUrl(sim.baseUrl())
                        .accessToken(sim.token())
                        .build()) {
            // a plain, non-unique reference: creates go through batch/create, which HubSpot does not deduplicate
            api.createProperty("companies", "ext_ref", "External reference", "string", "text", "companyinformation");
            String topic = "hs-sink-companies";
            String dlq = topic + ".dlq";
            cluster.createTopic(topic, 1);
            Map<String, String> valid = new LinkedHashMap<>();
            Set<String> invalid = new TreeSet<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = "c" + i;
                boolean bad = i % 97 == 13; // an option HubSpot does not have: a reject, never written
                String city = "City " + (i % 50);
                if (bad) {
                    invalid.add(key);
                } else {
                    valid.put(key, city);
                }
                records.add(new ProducerRecord<>(
                        topic,
                        key.getBytes(StandardCharsets.UTF_8),
                        jsonBytes(fields(
                                "ext_ref",
                                key,
                                "name",
                                "Company " + i,
                                "city",
                                city,
                                "type",
                                bad ? "SPACESHIP" : "PROSPECT"))));
            }
            cluster.produce(records);

            // HubSpot commits some creates and the answer is lost; resets and 429s on everything
            sim.addFault(Fault.statusAfterCommit("POST */batch/create", 502, 0.08));
            sim.addFault(Fault.of("*", Fault.Kind.CONNECTION_RESET, 0.02));
            sim.addFault(Fault.of("*", Fault.Kind.RATE_LIMIT_429, 0.05));
            String name = "chaos-hs-sink-kill";
            cluster.putConnector(
                    name,
                    sinkConfig(
                            sim,
                            topic,
                            dlq,
                            Map.of(
                                    "object",
                                    "companies",
                                    "match.tiers",
                                    "ext_ref",
                                    "field.mapping",
                                    "ext_ref:ext_ref,name:name,city:city,type:type")));
            cluster.awaitRunning(name, 1, Chaos.MOVE);

            ChaosCluster.awaitCondition(
                    "part of the topic written to HubSpot",
                    Chaos.CONVERGE,
                    () -> sim.ids("companies").size() >= n / 5);
            ConnectWorkerProcess victim = cluster.workerOf(name, 0).orElseThrow();
            cluster.kill(victim);
            int atKill = sim.ids("companies").size();
            assertThat(atKill).as("killed in the middle of the writes").isLessThan(valid.size());
            cluster.awaitRunning(name, 1, Chaos.MOVE); // the task moved to the surviving worker
            cluster.restart(victim);
            awaitCommittedToTheEnd(name, topic);
            cluster.awaitRunning(name, 1, Chaos.MOVE);

            Map<String, List<String>> byRef = new TreeMap<>();
            Map<String, String> cityByRef = new HashMap<>();
            for (Map<String, Object> rec : sim.dump("companies", false)) {
                @SuppressWarnings("unchecked")
                Map<String, String> p = (Map<String, String>) rec.get("properties");
                byRef.computeIfAbsent(p.get("ext_ref"), k -> new ArrayList<>()).add((String) rec.get("id"));
                cityByRef.put(p.get("ext_ref"), p.get("city"));
            }
            Map<String, List<String>> duplicated = new TreeMap<>(byRef);
            duplicated.values().removeIf(ids -> ids.size() < 2);
            Map<String, List<String>> dead = deadLetters(dlq);
            Set<String> lost = new TreeSet<>(valid.keySet());
            lost.removeAll(byRef.keySet());
            lost.removeAll(dead.keySet());
            assertThat(duplicated).as("duplicated CRM objects").isEmpty();
            assertThat(lost).as("records neither in HubSpot nor in the DLQ").isEmpty();
            assertThat(dead.keySet()).as("every reject in the DLQ").containsAll(invalid);
            invalid.forEach(k -> assertThat(dead.get(k)).as("reason of %s", k).containsOnly("INVALID_OPTION"));
            assertThat(byRef.keySet()).as("no reject written").doesNotContainAnyElementsOf(invalid);
            Map<String, String> wrongCity = new TreeMap<>();
            byRef.keySet().forEach(k -> {
                if (!valid.get(k).equals(cityByRef.get(k))) {
                    wrongCity.put(k, cityByRef.get(k));
                }
            });
            assertThat(wrongCity).as("HubSpot values equal the topic's").isEmpty();
            Set<String> validDead = new TreeSet<>(dead.keySet());
            validDead.retainAll(valid.keySet());
            assertThat(byRef.size() + validDead.size()).isEqualTo(valid.size());
            System.out.printf(
                    "chaos hs-sink kill: %d valid, %d written, %d valid in DLQ %s, %d rejects, faults fired %s%n",
                    valid.size(),
                    byRef.size(),
                    validDead.size(),
                    validDead.stream().limit(5).toList(),
                    invalid.size(),
                    sim.faults().stream()
                            .map(f -> f.toString() + "=" + f.firedCount())
                            .toList());
            cluster.deleteConnector(name);
        }
    }

    @Test
    @Tag("chaos-long")
    void stormsAndResetsOverManyContactsLoseAndDuplicateNothing() {
        int n = Chaos.full() ? 100_000 : 5_000;
        try (HubSpotSimulator sim = HubSpotSimulator.builder().seed(42).start()) {
            String topic = "hs-sink-contacts";
            String dlq = topic + ".dlq";
            cluster.createTopic(topic, 2);
            Map<String, String> valid = new LinkedHashMap<>();
            Set<String> invalid = new TreeSet<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean bad = i % 211 == 7; // HubSpot refuses the address: INVALID_EMAIL
                String email = bad ? "user" + i + "@@invalid" : "user" + i + "@example.com";
                if (bad) {
                    invalid.add(email);
                } else {
                    valid.put(email, "Title " + (i % 17));
                }
                records.add(new ProducerRecord<>(
                        topic,
                        email.getBytes(StandardCharsets.UTF_8),
                        jsonBytes(fields("email", email, "firstname", "First" + i, "jobtitle", "Title " + (i % 17)))));
                if (records.size() == 10_000) {
                    cluster.produce(records);
                    records.clear();
                }
            }
            cluster.produce(records);

            sim.addFault(Fault.of("*", Fault.Kind.RATE_LIMIT_429, 0.10));
            sim.addFault(Fault.of("*", Fault.Kind.CONNECTION_RESET, 0.03));
            sim.addFault(Fault.statusAfterCommit("POST */batch/upsert", 503, 0.03));
            String name = "chaos-hs-sink-storm";
            cluster.putConnector(
                    name,
                    sinkConfig(
                            sim,
                            topic,
                            dlq,
                            Map.of(
                                    "object",
                                    "contacts",
                                    "tasks.max",
                                    "2",
                                    "unique.property",
                                    "email",
                                    "field.mapping",
                                    "email:email,firstname:firstname,jobtitle:jobtitle")));
            cluster.awaitRunning(name, 2, Chaos.MOVE);

            // a storm: 40 calls in a row refused with 429 (clients back off for seconds between attempts), in the
            // middle of the run
            ChaosCluster.awaitCondition(
                    "a third of the topic written",
                    Chaos.CONVERGE,
                    () -> sim.ids("contacts").size() >= n / 3);
            Fault storm = Fault.of("*", Fault.Kind.RATE_LIMIT_429, 1.0).times(40);
            sim.addFault(storm);
            awaitCommittedToTheEnd(name, topic);
            cluster.awaitRunning(name, 2, Chaos.MOVE);
            assertThat(storm.firedCount()).as("the storm fired").isEqualTo(40);

            Map<String, List<String>> byEmail = new TreeMap<>();
            Map<String, String> titleByEmail = new HashMap<>();
            for (Map<String, Object> rec : sim.dump("contacts", false)) {
                @SuppressWarnings("unchecked")
                Map<String, String> p = (Map<String, String>) rec.get("properties");
                byEmail.computeIfAbsent(p.get("email"), k -> new ArrayList<>()).add((String) rec.get("id"));
                titleByEmail.put(p.get("email"), p.get("jobtitle"));
            }
            Map<String, List<String>> duplicated = new TreeMap<>(byEmail);
            duplicated.values().removeIf(ids -> ids.size() < 2);
            Map<String, List<String>> dead = deadLetters(dlq);
            Set<String> lost = new TreeSet<>(valid.keySet());
            lost.removeAll(byEmail.keySet());
            assertThat(duplicated).as("duplicated CRM objects").isEmpty();
            assertThat(lost).as("valid records not in HubSpot").isEmpty();
            assertThat(byEmail).hasSize(valid.size());
            assertThat(dead.keySet()).as("exactly the rejects in the DLQ").isEqualTo(invalid);
            invalid.forEach(k -> assertThat(dead.get(k)).as("reason of %s", k).containsOnly("REJECTED"));
            Map<String, String> wrongTitle = new TreeMap<>();
            valid.forEach((email, title) -> {
                if (!title.equals(titleByEmail.get(email))) {
                    wrongTitle.put(email, titleByEmail.get(email));
                }
            });
            assertThat(wrongTitle).as("HubSpot values equal the topic's").isEmpty();
            System.out.printf(
                    "chaos hs-sink storm: %d valid written once, %d rejects in the DLQ, 429s served %d, "
                            + "faults fired %s%n",
                    byEmail.size(),
                    dead.size(),
                    sim.rateLimited429Count(),
                    sim.faults().stream()
                            .map(f -> f.toString() + "=" + f.firedCount())
                            .toList());
            cluster.deleteConnector(name);
        }
    }
}
