package io.crmconnect.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The HubSpot source in a two-worker Connect cluster of separate processes: a worker is killed with SIGKILL during
 * the initial load and during incremental sync (its task moves to the other worker, then the killed worker comes
 * back), and the broker is killed and restarted under churn. Each scenario ends with every topic equal to HubSpot
 * record by record (ids, updatedAt, properties) and the task RUNNING.
 */
class HubSpotSourceChaosIT {
    static final List<String> CONTACT_PROPS = List.of("email", "firstname", "lastname", "jobtitle");
    static final List<String> COMPANY_PROPS = List.of("name", "city");
    static final List<String> DEAL_PROPS = List.of("dealname", "amount");
    static ChaosCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = ChaosCluster.shared();
    }

    @AfterEach
    void heal() {
        cluster.healAll();
    }

    static void awaitTopicsEqual(HubSpotSimulator sim, String prefix) {
        CrmState.awaitEqual(
                prefix + " topics equal to HubSpot",
                Chaos.CONVERGE,
                () -> CrmState.topicDiff(cluster, prefix + ".contacts", sim, "contacts", CONTACT_PROPS)
                        + CrmState.topicDiff(cluster, prefix + ".companies", sim, "companies", COMPANY_PROPS)
                        + CrmState.topicDiff(cluster, prefix + ".deals", sim, "deals", DEAL_PROPS));
    }

    @Test
    @Tag("chaos-long")
    void workerKilledDuringTheInitialLoadAndDuringIncrementalLosesNothing() {
        int contacts = Chaos.full() ? 20_000 : 4_000;
        // slow list pages, so that the kill lands in the middle of the initial load
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(31)
                .contacts(contacts)
                .companies(200)
                .deals(200)
                .fault(Fault.latency("GET /crm/v3/objects/*", 100, 200))
                .start()) {
            String name = "chaos-source-kill";
            cluster.putConnector(name, Chaos.source(sim, "kill", "contacts,companies,deals"));
            cluster.awaitRunning(name, 1, Chaos.MOVE);

            // 1. kill -9 of the worker running the task, mid initial load
            ChaosCluster.awaitCondition(
                    "part of the initial load in Kafka",
                    Chaos.CONVERGE,
                    () -> cluster.endOffset("kill.contacts") >= contacts / 10);
            ConnectWorkerProcess victim = cluster.workerOf(name, 0).orElseThrow();
            cluster.kill(victim);
            long atKill = cluster.endOffset("kill.contacts");
            assertThat(atKill).as("killed during the initial load").isLessThan(contacts);
            cluster.awaitRunning(name, 1, Chaos.MOVE); // on the surviving worker
            cluster.restart(victim);
            awaitTopicsEqual(sim, "kill");
            sim.clearFaults();

            // 2. kill -9 of the worker running the task, mid incremental sync under churn
            sim.startMutator(40);
            long before = ((Number) sim.mutatorStats().get("updates")).longValue();
            ChaosCluster.awaitCondition(
                    "churn under way",
                    Chaos.CONVERGE,
                    () -> ((Number) sim.mutatorStats().get("updates")).longValue() >= before + 50);
            victim = cluster.workerOf(name, 0).orElseThrow();
            cluster.kill(victim);
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            sim.stopMutator();
            cluster.restart(victim);
            awaitTopicsEqual(sim, "kill");
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            cluster.deleteConnector(name);
        }
    }

    @Test
    void brokerKilledAndRestartedUnderChurnLosesNothing() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(32)
                .contacts(1_500)
                .companies(150)
                .deals(150)
                .start()) {
            String name = "chaos-source-broker";
            cluster.putConnector(name, Chaos.source(sim, "broker", "contacts,companies,deals"));
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            awaitTopicsEqual(sim, "broker");

            sim.startMutator(40);
            long before = ((Number) sim.mutatorStats().get("updates")).longValue();
            ChaosCluster.awaitCondition(
                    "churn under way",
                    Chaos.CONVERGE,
                    () -> ((Number) sim.mutatorStats().get("updates")).longValue() >= before + 30);
            cluster.killBroker();
            // HubSpot keeps changing while Kafka is down
            long down = ((Number) sim.mutatorStats().get("updates")).longValue();
            ChaosCluster.awaitCondition(
                    "churn while the broker is down",
                    Chaos.CONVERGE,
                    () -> ((Number) sim.mutatorStats().get("updates")).longValue() >= down + 200);
            cluster.startBroker();
            sim.stopMutator();
            awaitTopicsEqual(sim, "broker");
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            cluster.deleteConnector(name);
        }
    }

    @Test
    @Tag("chaos-long")
    void stormsAndResetsOverTheInitialLoadAndIncrementalLoseNothing() {
        int contacts = Chaos.full() ? 100_000 : 5_000;
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(33)
                .contacts(contacts)
                .companies(contacts / 20)
                .deals(contacts / 20)
                .fault(Fault.of("*", Fault.Kind.RATE_LIMIT_429, 0.10))
                .fault(Fault.of("*", Fault.Kind.CONNECTION_RESET, 0.03))
                .fault(Fault.of("*", Fault.Kind.TRUNCATED_BODY, 0.02))
                .start()) {
            String name = "chaos-source-storm";
            cluster.putConnector(name, Chaos.source(sim, "storm", "contacts,companies,deals"));
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            ChaosCluster.awaitCondition(
                    "a third of the initial load in Kafka",
                    Chaos.CONVERGE,
                    () -> cluster.endOffset("storm.contacts") >= contacts / 3);
            // a storm: 40 calls in a row refused with 429 (clients back off for seconds between attempts), then churn
            // on top of the random faults
            Fault storm = Fault.of("*", Fault.Kind.RATE_LIMIT_429, 1.0).times(40);
            sim.addFault(storm);
            sim.startMutator(40);
            ChaosCluster.awaitCondition("the storm over", Chaos.CONVERGE, () -> storm.firedCount() >= 40);
            sim.stopMutator();
            awaitTopicsEqual(sim, "storm");
            cluster.awaitRunning(name, 1, Chaos.MOVE);
            System.out.printf(
                    "chaos source storm: %d contacts, 429s served %d, faults fired %s%n",
                    contacts,
                    sim.rateLimited429Count(),
                    sim.faults().stream().map(f -> f + "=" + f.firedCount()).toList());
            cluster.deleteConnector(name);
        }
    }
}
