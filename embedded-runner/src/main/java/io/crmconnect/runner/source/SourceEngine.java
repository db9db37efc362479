package io.crmconnect.runner.source;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's embedded engine running the source connector on its own thread. The commit policy is "always": the
 * engine's committer is only called once the sink confirmed records, so each call is a commit worth making.
 */
public final class SourceEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SourceEngine.class);

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile boolean closeCalled;
    private Thread thread;

    public SourceEngine(Properties engineProps, SourceBatchHandler handler) {
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProps)
                .using(OffsetCommitPolicy.always())
                .using(getClass().getClassLoader())
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error != null ? error : new IllegalStateException(message);
                    }
                    finished.countDown();
                })
                .notifying(handler)
                .build();
    }

    public void start(String name) {
        thread = new Thread(engine, "source-" + name);
        thread.start();
    }

    /** The error the engine stopped with (source task failure, offset store failure), or null. */
    public Throwable failure() {
        return failure;
    }

    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** Stops the source tasks (the engine commits what was marked processed) and waits for the engine to end. */
    public void close(long timeoutMs) throws InterruptedException {
        if (!finished() && !closeCalled) {
            closeCalled = true;
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (true) {
                try {
                    engine.close();
                    break;
                } catch (IllegalStateException e) {
                    // the engine refuses to stop while tasks are starting: wait for them
                    if (System.currentTimeMillis() > deadline || finished()) {
                        break;
                    }
                    Thread.sleep(100);
                } catch (IOException e) {
                    LOG.warn("Stopping the source engine failed: {}", e.toString());
                    break;
                }
            }
        }
        if (!finished.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            LOG.warn("The source engine did not stop within {} ms", timeoutMs);
        }
    }
}
