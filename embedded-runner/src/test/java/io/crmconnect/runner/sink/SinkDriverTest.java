package io.crmconnect.runner.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.runner.flow.Handoff;
import io.crmconnect.runner.flow.InFlightRecord;
import io.crmconnect.runner.flow.Records;
import io.crmconnect.runner.metrics.RunnerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's contract with a sink task, checked against a task that records every call: the worker's order of
 * calls, redelivery after a RetriableException, and that only what preCommit returns becomes committable.
 */
class SinkDriverTest {
    private final Metrics metrics = new Metrics();
    private final Records.Committer committer = new Records.Committer();
    private final List<InFlightRecord> committed = new CopyOnWriteArrayList<>();
    private final Handoff handoff = new Handoff(1_000);
    private Thread thread;

    /** A sink task that writes nothing but says what it was asked; it confirms only the topics it is told to. */
    static final class ScriptedTask extends SinkTask {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<SinkRecord> received = new CopyOnWriteArrayList<>();
        volatile Set<String> confirm = Set.of();
        volatile int retriablePuts;
        volatile long overshoot;

        @Override
        public String version() {
            return "test";
        }

        @Override
        public void start(Map<String, String> props) {
            calls.add("start");
        }

        @Override
        public void open(Collection<TopicPartition> partitions) {
            calls.add("open " + partitions);
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            if (records.isEmpty()) {
                return;
            }
            if (retriablePuts > 0) {
                retriablePuts--;
                calls.add("put-retriable " + offsets(records));
                context.timeout(50);
                throw new RetriableException("database busy");
            }
            calls.add("put " + offsets(records));
            received.addAll(records);
        }

        private static List<String> offsets(Collection<SinkRecord> records) {
            List<String> out = new ArrayList<>();
            records.forEach(r -> out.add(r.topic() + "@" + r.kafkaOffset()));
            return out;
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            current.forEach((tp, o) -> {
                if (confirm.contains(tp.topic())) {
                    out.put(tp, new OffsetAndMetadata(o.offset() + overshoot));
                }
            });
            return out;
        }

        @Override
        public void close(Collection<TopicPartition> partitions) {
            calls.add("close " + partitions);
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }

    private SinkDriver start(ScriptedTask task) {
        RunnerMetrics runnerMetrics = new RunnerMetrics(metrics, "test", "src", "sink");
        RunnerSinkTaskContext context = new RunnerSinkTaskContext(Map.of(), null, null);
        SinkDriver driver = new SinkDriver(
                "sink",
                task,
                Map.of(),
                getClass().getClassLoader(),
                context,
                List.of(),
                ToleranceType.NONE,
                handoff,
                t -> !t.equals("ignored"),
                null,
                runnerMetrics,
                new SinkDriver.Settings(500, 100, 10_000, 5_000),
                committed::addAll);
        thread = new Thread(driver);
        thread.start();
        return driver;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.join(10_000);
        }
        metrics.close();
    }

    @Test
    void partitionsOpenBeforeTheirRecordsAndOnlyConfirmedOffsetsCommit() throws Exception {
        ScriptedTask task = new ScriptedTask();
        task.confirm = Set.of("contacts");
        SinkDriver driver = start(task);
        handoff.put(List.of(
                Records.inFlight("contacts", 1, committer),
                Records.inFlight("contacts", 2, committer),
                Records.inFlight("deals", 3, committer),
                Records.inFlight("ignored", 4, committer),
                Records.inFlight("contacts", 5, committer)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> task.received.size() == 4);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committed.size() == 2);
        Thread.sleep(300); // more commit rounds: the unconfirmed deal keeps holding back what came after it
        assertThat(committed).extracting(Records::n).containsExactly(1, 2);
        assertThat(task.calls.get(0)).isEqualTo("start");
        assertThat(task.calls.get(1)).startsWith("open [contacts-0");
        assertThat(task.calls).contains("put [contacts@0, contacts@1, contacts@2, deals@0]");

        task.confirm = Set.of("contacts", "deals");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committed.size() == 5);
        driver.requestStop(true);
        thread.join(5_000);
        assertThat(task.calls.subList(task.calls.size() - 2, task.calls.size()))
                .satisfiesExactly(
                        c -> assertThat(c).startsWith("close ["),
                        c -> assertThat(c).isEqualTo("stop"));
    }

    @Test
    void aRetriableExceptionRedeliversTheSameBatchAfterTheTimeout() throws Exception {
        ScriptedTask task = new ScriptedTask();
        task.retriablePuts = 2;
        task.confirm = Set.of("contacts");
        SinkDriver driver = start(task);
        handoff.put(List.of(Records.inFlight("contacts", 1, committer), Records.inFlight("contacts", 2, committer)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committed.size() == 2);
        assertThat(task.calls)
                .containsSubsequence(
                        "put-retriable [contacts@0, contacts@1]",
                        "put-retriable [contacts@0, contacts@1]",
                        "put [contacts@0, contacts@1]");
        driver.requestStop(true);
    }

    @Test
    void offsetsBeyondWhatWasDeliveredAreIgnored() throws Exception {
        ScriptedTask task = new ScriptedTask();
        task.confirm = Set.of("contacts");
        task.overshoot = 5;
        SinkDriver driver = start(task);
        handoff.put(List.of(Records.inFlight("contacts", 1, committer)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> task.received.size() == 1);
        Thread.sleep(500);
        assertThat(committed).isEmpty();
        task.overshoot = 0;
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committed.size() == 1);
        driver.requestStop(true);
    }
}
