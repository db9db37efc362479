package io.crmconnect.runner.sink;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.IllegalWorkerStateException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The sink task's view of the runner, with the worker's contract: rewinds, the redelivery timeout, pause/resume of
 * assigned partitions and commit requests are recorded here and acted on by {@link SinkDriver} between two put()
 * calls, the way WorkerSinkTask acts on its context.
 */
public final class RunnerSinkTaskContext implements SinkTaskContext {
    private final Map<String, String> configs;
    private final ErrantRecordReporter reporter;
    private final PluginMetrics pluginMetrics;
    private final Set<TopicPartition> assignment = new LinkedHashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Map<TopicPartition, Long> rewinds = new HashMap<>();
    private long timeoutMs = -1;
    private boolean commitRequested;

    public RunnerSinkTaskContext(
            Map<String, String> configs, ErrantRecordReporter reporter, PluginMetrics pluginMetrics) {
        this.configs = Collections.unmodifiableMap(configs);
        this.reporter = reporter;
        this.pluginMetrics = pluginMetrics;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public synchronized void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public synchronized void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    @Override
    public synchronized void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public synchronized Set<TopicPartition> assignment() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(assignment));
    }

    @Override
    public synchronized void pause(TopicPartition... partitions) {
        checkAssigned(partitions);
        paused.addAll(Arrays.asList(partitions));
    }

    @Override
    public synchronized void resume(TopicPartition... partitions) {
        checkAssigned(partitions);
        Arrays.asList(partitions).forEach(paused::remove);
    }

    private void checkAssigned(TopicPartition... partitions) {
        for (TopicPartition tp : partitions) {
            if (!assignment.contains(tp)) {
                throw new IllegalWorkerStateException("SinkTasks may not pause or resume partitions that are not "
                        + "currently assigned to them: " + tp);
            }
        }
    }

    @Override
    public synchronized void requestCommit() {
        commitRequested = true;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return reporter;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }

    synchronized void assigned(TopicPartition tp) {
        assignment.add(tp);
    }

    synchronized Set<TopicPartition> pausedPartitions() {
        return new HashSet<>(paused);
    }

    /** The rewinds asked for since the last call. */
    synchronized Map<TopicPartition, Long> takeRewinds() {
        Map<TopicPartition, Long> out = new HashMap<>(rewinds);
        rewinds.clear();
        return out;
    }

    /** The redelivery timeout asked for since the last call, or -1 (it applies once, as in the worker). */
    synchronized long takeTimeout() {
        long t = timeoutMs;
        timeoutMs = -1;
        return t;
    }

    synchronized boolean takeCommitRequest() {
        boolean r = commitRequested;
        commitRequested = false;
        return r;
    }
}
