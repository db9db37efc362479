package io.crmconnect.it.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** One row of the metrics table in docs/guides/operations.md: plugin, MBean name pattern, attributes. */
public record DocumentedMBean(String plugin, String mbean, List<String> attributes) {
    private static final Pattern ROW =
            Pattern.compile("^\\| ([^|]+) \\| `(kafka\\.(?:connect|consumer):[^`]+)` \\| (.+) \\|$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    public static List<DocumentedMBean> read(Path operationsGuide) {
        List<DocumentedMBean> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(operationsGuide)) {
                Matcher row = ROW.matcher(line.strip());
                if (row.matches()) {
                    List<String> attributes = new ArrayList<>();
                    Matcher code = CODE.matcher(row.group(3));
                    while (code.find()) {
                        attributes.add(code.group(1));
                    }
                    rows.add(new DocumentedMBean(row.group(1).strip(), row.group(2), attributes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("no MBean rows found in " + operationsGuide);
        }
        return rows;
    }

    /** What the running worker lacks of this row for {@code connector} ("" when nothing). */
    public String missingOn(MBeanServer server, String connector) {
        try {
            ObjectName pattern =
                    new ObjectName(mbean().replace("<name>", connector).replaceAll("<[a-z]+>", "*"));
            Set<ObjectName> names = server.queryNames(pattern, null);
            if (names.isEmpty()) {
                return "no MBean " + pattern;
            }
            for (ObjectName name : names) {
                Set<String> present = new TreeSet<>();
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    present.add(a.getName());
                }
                if (!present.containsAll(attributes())) {
                    return name + " has " + present + ", not all of " + attributes();
                }
            }
            return "";
        } catch (JMException e) {
            return mbean() + ": " + e;
        }
    }
}
