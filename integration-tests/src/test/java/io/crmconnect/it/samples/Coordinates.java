package io.crmconnect.it.samples;

import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points a shipped sample at this test's simulators and databases by changing only what a user changes: the HubSpot
 * address and token, the Snowflake address and key, the BigQuery endpoint and service-account key, the database URL, user and password, and the files its
 * {@code ${file:PATH:key}} references and mapping files name (plus the Snowflake driver's switches that keep it on
 * loopback). A referenced secrets file is written for real, so the worker's FileConfigProvider resolves it
 * as on a user's worker; {@code ${env:NAME}} references get the value directly (a test JVM cannot set variables).
 */
final class Coordinates {
    private static final Pattern FILE_REF = Pattern.compile("\\$\\{file:([^:}]+):([^}]+)}");
    private static final Pattern MAPPING_FILE = Pattern.compile("transforms\\.[^.]+\\.mapping\\.file");

    private final Path secretsDir;
    private final String hubspotUrl;
    private final String hubspotToken;
    private String snowflakeUrl;
    private String snowflakePrivateKey;
    private String bigQueryUrl;
    private String bigQueryKey;

    Coordinates(Path secretsDir, String hubspotUrl, String hubspotToken) {
        this.secretsDir = secretsDir;
        this.hubspotUrl = hubspotUrl;
        this.hubspotToken = hubspotToken;
    }

    /** The Snowflake fake a warehouse sample is pointed at next, and the PEM of the key its user signs in with. */
    void snowflake(String url, String privateKeyPem) {
        this.snowflakeUrl = url;
        this.snowflakePrivateKey = privateKeyPem;
    }

    /** The BigQuery endpoint a warehouse sample is pointed at next, and the service-account key it signs in with. */
    void bigQuery(String rootUrl, String serviceAccountKeyJson) {
        this.bigQueryUrl = rootUrl;
        this.bigQueryKey = serviceAccountKeyJson;
    }

    /** The keys to change for a sample; {@code database} is where its rows go (null for samples without one). */
    Map<String, String> changes(Sample sample, SqlServer server, String database) {
        Map<String, String> changes = new LinkedHashMap<>();
        sample.config().forEach((key, value) -> {
            switch (key) {
                case "hubspot.base.url" -> changes.put(key, hubspotUrl);
                case "hubspot.access.token" -> changes.put(key, secret(value, hubspotToken));
                case "connection.url" -> changes.put(key, server.jdbcUrl(database));
                case "connection.user" -> changes.put(key, server.user());
                case "connection.password" -> changes.put(key, secret(value, server.password()));
                case "snowflake.url" -> {
                    changes.put(key, snowflakeUrl);
                    // the driver reaches out to cloud metadata and OCSP hosts otherwise: loopback only here
                    changes.put("snowflake.disable.platform.detection", "true");
                    changes.put("snowflake.disable.ocsp.checks", "true");
                }
                case "snowflake.private.key" -> changes.put(key, secret(value, snowflakePrivateKey));
                // the client's default is https://bigquery.googleapis.com: the fake instead
                case "bigquery.project" -> changes.put("bigquery.root.url", bigQueryUrl);
                case "bigquery.credentials.json" -> changes.put(key, secret(value, bigQueryKey));
                default -> {
                    if (MAPPING_FILE.matcher(key).matches()) {
                        // the file of that name the sample ships next to itself
                        changes.put(
                                key,
                                sample.file()
                                        .resolveSibling(Path.of(value).getFileName())
                                        .toString());
                    } else if (value.contains("${file:")) {
                        changes.put(key, secret(value, "sample-secret-for-" + key));
                    } else if (value.contains("${env:")) {
                        throw new IllegalStateException(sample.id() + ": no test value for " + key + "=" + value);
                    }
                }
            }
        });
        if (!sample.config().containsKey("hubspot.base.url") && sample.config().containsKey("hubspot.access.token")) {
            throw new IllegalStateException(sample.id() + " talks to HubSpot but does not name hubspot.base.url: "
                    + "ship it with \"hubspot.base.url\": \"https://api.hubapi.com\" so users see where to point it");
        }
        return changes;
    }

    /** A config-provider reference keeps its shape, pointing at a file holding {@code actual}; else the value. */
    private String secret(String shipped, String actual) {
        Matcher ref = FILE_REF.matcher(shipped);
        if (!ref.matches()) {
            return actual;
        }
        Path file = secretsDir.resolve(ref.group(1).replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            String escaped =
                    actual.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r"); // a .properties value
            Files.writeString(
                    file,
                    ref.group(2) + "=" + escaped + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "${file:" + file + ":" + ref.group(2) + "}";
    }
}
