package io.crmconnect.quickstart;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback port checks: refuse to start on a busy port with a clear message, wait for a service to listen. */
final class Ports {
    private Ports() {}

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as servers do: TIME_WAIT leftovers of a previous run are no conflict
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireFree(int port, String what, String flag) {
        if (!isFree(port)) {
            throw new QuickstartException("Port " + port + " (" + what + ") is already in use. Stop whatever listens "
                    + "there (a previous quickstart? `ss -ltnp | grep :" + port + "`) or choose another with " + flag
                    + " <port>.");
        }
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitListening(int port, String what, Duration timeout, ChildJvm process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isListening(port)) {
            if (process != null && !process.isAlive()) {
                throw new QuickstartException(what + " exited during start-up; see " + process.log());
            }
            if (System.nanoTime() > deadline) {
                throw new QuickstartException(what + " did not listen on port " + port + " within "
                        + timeout.toSeconds() + " s" + (process == null ? "" : "; see " + process.log()));
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }
}
