package io.crmconnect.runner.sink;

import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.TransformationStage;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's transform chain as the worker builds it (Connect's own TransformationStage: same aliases, types,
 * predicates and negate), applied with the connector's errors.tolerance: with {@code all} a record whose
 * transform fails is handed to {@code onError} and dropped, with {@code none} the failure stops the pipeline.
 */
public final class TransformChain<R extends ConnectRecord<R>> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransformChain.class);

    private final String owner;
    private final List<TransformationStage<R>> stages;
    private final ToleranceType tolerance;
    private final OnError<R> onError;

    /** Receives a record whose transform failed while errors are tolerated. */
    public interface OnError<R> {
        void failed(R record, Class<?> transformClass, RuntimeException error);
    }

    /**
     * @param owner   what the chain belongs to, for messages ("source connector hubspot")
     * @param onError receives a record whose transform failed when errors are tolerated (it is then dropped)
     */
    public TransformChain(
            String owner, List<TransformationStage<R>> stages, ToleranceType tolerance, OnError<R> onError) {
        this.owner = owner;
        this.stages = stages;
        this.tolerance = tolerance;
        this.onError = onError;
    }

    public boolean isEmpty() {
        return stages.isEmpty();
    }

    /** The transformed record, or null when a transform dropped it (or failed and errors are tolerated). */
    public R apply(R record) {
        R current = record;
        for (TransformationStage<R> stage : stages) {
            try {
                current = stage.apply(current);
            } catch (RuntimeException e) {
                if (tolerance != ToleranceType.ALL) {
                    throw new ConnectException(
                            "Transform " + stage.transformClass().getName() + " of the " + owner
                                    + " failed (errors.tolerance=none): " + e.getMessage(),
                            e);
                }
                LOG.debug(
                        "Transform {} of the {} failed; record skipped (errors.tolerance=all)",
                        stage.transformClass().getName(),
                        owner,
                        e);
                onError.failed(record, stage.transformClass(), e);
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    @Override
    public void close() {
        for (TransformationStage<R> stage : stages) {
            Utils.closeQuietly(stage, "transformation stage");
        }
    }
}
