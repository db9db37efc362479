package io.crmconnect.warehouse.source.bigquery;

import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.CaptureMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Every setting of the BigQuery source, declared once: the BigQuery connection, then the shared capture keys. */
public final class BigQuerySourceConfig extends AbstractConfig {
    public static final String OVERVIEW = "Streams BigQuery tables into Kafka: a time-travel snapshot (FOR SYSTEM_TIME "
            + "AS OF) in key chunks, then every insert, update and delete through the CHANGES table function between "
            + "consecutive points (or APPENDS for inserts only, or an (updated_at, key) watermark read up to the "
            + "server's CURRENT_TIMESTAMP() minus a delay for tables without change history), gapless across "
            + "restarts. Service-account key or application default credentials.";

    public static final String PROJECT = "bigquery.project";
    public static final String ROOT_URL = "bigquery.root.url";
    public static final String LOCATION = "bigquery.location";
    public static final String AUTH = "bigquery.auth";
    public static final String CREDENTIALS_JSON = "bigquery.credentials.json";
    public static final String PAGE_ROWS = "bigquery.page.rows";
    public static final String GROUP = "BigQuery connection";

    /** How the connector authenticates. */
    public enum Auth {
        SERVICE_ACCOUNT_JSON,
        APPLICATION_DEFAULT,
        NONE
    }

    public static final ConfigDef CONFIG = config();

    private static ConfigDef config() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                PROJECT,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Project that runs (and pays for) the queries and that unqualified table names (dataset.table) "
                        + "belong to.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Project");
        def.define(
                AUTH,
                Type.STRING,
                "service_account_json",
                new AuthValidator(),
                Importance.HIGH,
                "service_account_json (the key in bigquery.credentials.json), application_default (the worker's "
                        + "GOOGLE_APPLICATION_CREDENTIALS, workload identity or metadata server) or none (no "
                        + "credentials: only for a local endpoint in bigquery.root.url).",
                GROUP,
                ++order,
                Width.SHORT,
                "Authentication",
                new AuthValidator());
        def.define(
                CREDENTIALS_JSON,
                Type.PASSWORD,
                null,
                Importance.HIGH,
                "Service-account key file content (JSON), for bigquery.auth=service_account_json. Needs "
                        + "roles/bigquery.dataViewer on the tables and roles/bigquery.jobUser on the project.",
                GROUP,
                ++order,
                Width.LONG,
                "Service-account key");
        def.define(
                LOCATION,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Location of the datasets (US, EU, " + "europe-west3...); empty = the client's default.",
                GROUP,
                ++order,
                Width.SHORT,
                "Location");
        def.define(
                ROOT_URL,
                Type.STRING,
                "https://bigquery.googleapis.com",
                new UrlValidator(),
                Importance.LOW,
                "API root URL; change it only for a regional or private endpoint, or a local test endpoint.",
                GROUP,
                ++order,
                Width.LONG,
                "Root URL");
        def.define(
                PAGE_ROWS,
                Type.INT,
                0,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Rows per result page (maxResults); 0 = BigQuery's own page size (about 10 MB).",
                GROUP,
                ++order,
                Width.SHORT,
                "Page rows");
        return CaptureConfig.define(
                def,
                "bigquery",
                600_000L,
                CaptureConfig.NameCase.AS_IS,
                List.of(CaptureMode.CHANGES, CaptureMode.APPEND_ONLY, CaptureMode.WATERMARK));
    }

    public BigQuerySourceConfig(Map<String, String> props) {
        super(CONFIG, props);
        if (auth() == Auth.SERVICE_ACCOUNT_JSON && credentialsJson() == null) {
            throw new ConfigException(
                    CREDENTIALS_JSON, "[hidden]", "bigquery.auth=service_account_json needs the key file's content");
        }
    }

    public Auth auth() {
        return Auth.valueOf(getString(AUTH).trim().toUpperCase(Locale.ROOT));
    }

    public String credentialsJson() {
        Password p = getPassword(CREDENTIALS_JSON);
        return p == null || p.value() == null || p.value().isBlank() ? null : p.value();
    }

    /** Prints the configuration reference (docs/reference). */
    public static void main(String[] args) {
        System.out.println(io.crmconnect.common.ConfigDocs.markdown("BigQuery source configuration", OVERVIEW, CONFIG));
    }

    /** Case-insensitive enum validator that also recommends the values. */
    static final class AuthValidator implements ConfigDef.Validator, ConfigDef.Recommender {
        private static final List<Object> VALUES = Arrays.stream(Auth.values())
                .map(a -> (Object) a.name().toLowerCase(Locale.ROOT))
                .toList();

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !VALUES.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "must be one of " + VALUES);
            }
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return VALUES;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }

        @Override
        public String toString() {
            return VALUES.toString().replaceAll("[\\[\\]]", "") + " (case-insensitive)";
        }
    }

    static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            if (!v.matches("https?://[^/\\s]+/?")) {
                throw new ConfigException(name, v, "must be https://<host>[:port]");
            }
        }

        @Override
        public String toString() {
            return "https://<host>[:port]";
        }
    }
}
