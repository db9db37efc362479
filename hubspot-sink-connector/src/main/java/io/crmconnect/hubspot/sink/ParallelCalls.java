package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.HubSpotRetriableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs independent calls of one put() concurrently, up to {@code batch.max.in.flight} at a time (the shared rate
 * budget still paces every request). The first failure is rethrown after every call ended.
 */
final class ParallelCalls implements AutoCloseable {
    private final ExecutorService pool;

    ParallelCalls(int inFlight) {
        this.pool = inFlight <= 1
                ? null
                : Executors.newFixedThreadPool(inFlight, r -> {
                    Thread t = new Thread(r, "hubspot-sink-writer");
                    t.setDaemon(true);
                    return t;
                });
    }

    <T> void forEach(List<T> chunks, Consumer<T> call) {
        if (chunks.size() <= 1 || pool == null) {
            chunks.forEach(call);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (T chunk : chunks) {
            futures.add(pool.submit(() -> call.accept(chunk)));
        }
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubSpotRetriableException("interrupted", 0, null, null, 0, e);
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += size) {
            out.add(list.subList(i, Math.min(list.size(), i + size)));
        }
        return out;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
