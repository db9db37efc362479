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
 * Reads a chain of pages ({@code @odata.nextLink} after {@code @odata.nextLink}) on one thread and converts them on
 * another, so the request for the next page leaves as soon as a page has arrived (the chain's pace is the server's
 * answer time, not answer plus conversion) while the task hands earlier pages to Connect. At most one read page
 * waits for conversion and {@value #AHEAD} converted pages wait for the task, which bounds the heap. A failure ends
 * the chain; the stream starts a new fetcher at the page that failed.
 *
 * @param <P> a converted page
 */
final class PageFetcher<P> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PageFetcher.class);
    static final int AHEAD = 2;

    /** One fetched page, or the failure that ended the chain; {@code link} is the URL that was (or failed to be) read. */
    record Item<P>(String link, P page, String nextLink, String deltaLink, DynamicsException failure) {}

    /** A page as read, before conversion (or the failure that ended the chain). */
    private record Read(String link, RowPage page, DynamicsException failure) {}

    private final BlockingQueue<Read> read = new ArrayBlockingQueue<>(1);
    private final BlockingQueue<Item<P>> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread reader;
    private final Thread converter;
    private volatile boolean closed;

    PageFetcher(String name, DynamicsClient client, String firstLink, ReadOptions opts, Function<RowPage, P> convert) {
        reader = new Thread(() -> read(client, firstLink, opts), "dynamics-fetch-" + name);
        converter = new Thread(() -> convert(convert), "dynamics-convert-" + name);
        reader.setDaemon(true);
        converter.setDaemon(true);
        converter.start();
        reader.start();
    }

    private void read(DynamicsClient client, String firstLink, ReadOptions opts) {
        String link = firstLink;
        try {
            while (link != null && !closed) {
                Read r;
                try {
                    r = new Read(link, client.readLink(link, opts), null);
                } catch (DynamicsException e) {
                    r = new Read(link, null, e);
                }
                read.put(r);
                link = r.failure() == null ? r.page().nextLink() : null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Dataverse page reader stopped unexpectedly", e);
            hand(read, new Read(link, null, new DynamicsException("page reader failed: " + e, 0, null, null, e)));
        }
    }

    private void convert(Function<RowPage, P> convert) {
        String link = null;
        try {
            while (!closed) {
                Read r = read.take();
                link = r.link();
                if (r.failure() != null) {
                    queue.put(new Item<>(r.link(), null, null, null, r.failure()));
                    return;
                }
                RowPage page = r.page();
                queue.put(new Item<>(r.link(), convert.apply(page), page.nextLink(), page.deltaLink(), null));
                if (page.nextLink() == null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Dataverse page converter stopped unexpectedly", e);
            hand(
                    queue,
                    new Item<>(
                            link,
                            null,
                            null,
                            null,
                            new DynamicsException("page conversion failed: " + e, 0, null, null, e)));
        }
    }

    /** Passes on the failure that ends the chain (waiting for room: a dropped failure would stall the task). */
    private static <T> void hand(BlockingQueue<T> to, T failure) {
        try {
            to.put(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next page, waiting at most {@code millis}; null when none is ready yet. */
    Item<P> next(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        converter.interrupt();
        read.clear();
        queue.clear();
    }
}
