package io.crmconnect.simulator.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The command line of a standalone simulator: options with a value, flags, {@code --help}, and a process that
 * serves until it is killed. A missing value, a number that is not one or an unknown option prints the usage
 * and exits with status 2.
 */
public final class CommandLine {
    private final String usage;
    private final Map<String, Consumer<String>> valued = new LinkedHashMap<>();
    private final Map<String, Runnable> flags = new LinkedHashMap<>();

    public CommandLine(String usage) {
        this.usage = usage;
    }

    /** An option with a value ({@code --port 8089}). */
    public CommandLine option(String name, Consumer<String> action) {
        valued.put(name, action);
        return this;
    }

    /** An option without a value ({@code --no-auth}). */
    public CommandLine flag(String name, Runnable action) {
        flags.put(name, action);
        return this;
    }

    /** Applies the arguments in order; false when {@code --help} printed the usage (the caller then ends). */
    public boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(usage);
                return false;
            }
            Runnable flag = flags.get(a);
            if (flag != null) {
                flag.run();
                continue;
            }
            Consumer<String> option = valued.get(a);
            if (option == null) {
                fail("unknown option " + a);
            }
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value");
            }
            String v = args[++i];
            try {
                option.accept(v);
            } catch (NumberFormatException e) {
                fail("option " + a + ": '" + v + "' is not a number");
            } catch (IllegalArgumentException e) {
                fail("option " + a + ": " + e.getMessage());
            }
        }
        return true;
    }

    /** Prints the message and the usage, exits with status 2. */
    public void fail(String message) {
        System.err.println(message + "\n" + usage);
        System.exit(2);
    }

    /** Blocks until the process is killed (Ctrl-C), then closes the simulator. */
    public static void serveUntilKilled(AutoCloseable simulator) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                simulator.close();
            } catch (Exception e) {
                // the process is ending anyway
            }
            done.countDown();
        }));
        done.await();
    }
}
