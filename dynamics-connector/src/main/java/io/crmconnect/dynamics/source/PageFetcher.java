package io.crmconnect.dynamics.source;

import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsException;
import io.crmconnect.dynamics.client.ReadOptions;
import io.crmconnect.dynamics.client.RowPage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a chain of pages ({@code @odata.nextLink} after {@code @odata.nextLink}) on its own thread and converts each
 * one there, so the next page is already on its way while the task hands the current one to Connect. At most
 * {@value #AHEAD} converted pages wait, which bounds the heap. A failure ends the chain; the stream starts a new
 * fetcher at the page that failed.
 *
 * @param <P> a converted page
 */
final class PageFetcher<P> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);
    static final int AHEAD = 2;

    /** One fetched page, or the failure that ended the chain; {@code link} is the URL that was (or failed to be) read. */
    record Item<P>(String link, P page, String nextLink, String deltaLink, DynamicsException failure) {}

    private final BlockingQueue<Item<P>> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile boolean closed;

    PageFetcher(String name, DynamicsClient client, String firstLink, ReadOptions opts, Function<RowPage, P> convert) {
        thread = new Thread(() -> run(client, firstLink, opts, convert), "dynamics-fetch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(DynamicsClient client, String firstLink, ReadOptions opts, Function<RowPage, P> convert) {
        String link = firstLink;
        try {
            while (link != null && !closed) {
                Item<P> item;
                try {
                    RowPage page = client.readLink(link, opts);
                    item = new Item<>(link, convert.apply(page), page.nextLink(), page.deltaLink(), null);
                } catch (DynamicsException e) {
                    item = new Item<>(link, null, null, null, e);
                }
                queue.put(item);
                link = item.failure() == null ? item.nextLink() : null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Dataverse page reader stopped unexpectedly", e);
            queue.offer(new Item<>(
                    link, null, null, null, new DynamicsException("page reader failed: " + e, 0, null, null, e)));
        }
    }

    /** The next page, waiting at most {@code millis}; null when none is ready yet. */
    Item<P> next(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
    }
}
