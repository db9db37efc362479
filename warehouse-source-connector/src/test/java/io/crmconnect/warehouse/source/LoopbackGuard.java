package io.crmconnect.warehouse.source;

import java.net.InetAddress;
import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JVM-wide guard for tests: every socket connect and host lookup outside loopback is refused and recorded (the
 * Snowflake driver probes 169.254.169.254 and OCSP hosts unless told not to). Needs the test JVM to run with
 * {@code -Djava.security.manager=allow} (set in the pom).
 */
@SuppressWarnings("removal")
public final class LoopbackGuard extends SecurityManager {
    private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;
    private static String localHostName = "localhost";

    private LoopbackGuard() {}

    public static synchronized void install() {
        if (!installed) {
            try {
                localHostName = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                // keep "localhost"
            }
            System.setSecurityManager(new LoopbackGuard());
            installed = true;
        }
    }

    /** Destinations refused so far (host:port). */
    public static List<String> blocked() {
        return List.copyOf(BLOCKED);
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed
    }

    @Override
    public void checkPermission(Permission perm, Object context) {}

    @Override
    public void checkConnect(String host, int port) {
        if (port == -1 && host.equalsIgnoreCase(localHostName)) {
            return; // a lookup of this machine's own name (the driver reports it as client environment)
        }
        if (!loopback(host)) {
            BLOCKED.add(host + ":" + port);
            throw new SecurityException("test guard: only loopback may be contacted, not " + host + ":" + port);
        }
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup happens
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }
}
