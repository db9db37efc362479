package io.crmconnect.testharness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a server (a database, an API simulator) that can black-hole its connections the way
 * a dead network path or a frozen host does: bytes stop flowing in both directions, nobody sends a FIN or a reset, and
 * the client's reads and large writes simply wait. New connections made while black-holed are accepted and then never
 * answered. {@link #heal()} lets new connections through again; connections black-holed earlier stay dead, as they
 * would after a real outage that outlived them.
 *
 * <p>Listens on 127.0.0.1 with an ephemeral port. One thread per connection direction (tests open few connections).
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int epoch;
    private volatile boolean blackHoled;
    /** Client-to-server bytes still forwarded before {@link #blackHole()} happens by itself. */
    private final AtomicLong allowance = new AtomicLong(Long.MAX_VALUE);

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy forwarding to 127.0.0.1:{@code targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code url} with the target's port replaced by the proxy's ({@code :targetPort/} or a trailing port). */
    public String rewrite(String url) {
        return url.replace(":" + targetPort + "/", ":" + port() + "/");
    }

    /** From now on no byte passes on any connection, open or new, and no connection is closed. */
    public void blackHole() {
        blackHoled = true;
        epoch++;
    }

    /**
     * Forwards {@code bytes} more client-to-server bytes, then black-holes: the way to freeze a connection in the
     * middle of a large upload (a bulk load), where the client blocks writing rather than reading.
     */
    public void blackHoleAfter(long bytes) {
        allowance.set(bytes);
    }

    /** New connections are forwarded again; connections black-holed before stay silent. */
    public void heal() {
        blackHoled = false;
        allowance.set(Long.MAX_VALUE);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                if (blackHoled) {
                    continue; // accepted, never answered
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(server);
                int born = epoch;
                pump(client, server, born, true);
                pump(server, client, born, false);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    continue; // a client gave up while we connected: keep serving others
                }
            }
        }
    }

    private void pump(Socket from, Socket to, int born, boolean upstream) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0 && epoch == born) {
                            out.write(buffer, 0, n);
                            out.flush();
                            if (upstream && allowance.addAndGet(-n) <= 0 && !blackHoled) {
                                blackHole();
                            }
                        }
                        if (epoch != born) {
                            closed.await(); // black-holed: nothing more is read, written or closed until the proxy
                            // closes
                            return;
                        }
                        to.shutdownOutput(); // the peer closed its side: pass the FIN on
                    } catch (IOException e) {
                        closeQuietly(from);
                        closeQuietly(to);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tcp-proxy-" + (upstream ? "up" : "down") + "-" + port());
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closed.countDown();
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
