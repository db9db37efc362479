package io.crmconnect.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Ephemeral loopback ports for child processes, and waiting until one listens. */
final class Ports {
    private Ports() {}

    /** A port the OS hands out as ephemeral and that is free right now (a child process binds it next). */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitListening(int port, String what, Duration timeout, JvmProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited during start-up; see " + process.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " not listening on " + port + " within "
                            + timeout.toSeconds() + " s; see " + process.log());
                }
                pause(200);
            }
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
