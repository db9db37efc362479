package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.CaptureMode;
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

/** Every setting of the Snowflake source, declared once: the Snowflake connection, then the shared capture keys. */
public final class SnowflakeSourceConfig extends AbstractConfig {
    public static final String OVERVIEW = "Streams Snowflake tables into Kafka: a Time Travel snapshot in key chunks, "
            + "then every insert, update and delete through the CHANGES clause between consecutive points (or "
            + "inserts only, or a timestamp + key watermark for tables without change tracking), gapless across "
            + "restarts. Key-pair (JWT) authentication; password only as a legacy option.";

    public static final String URL = "snowflake.url";
    public static final String ACCOUNT = "snowflake.account";
    public static final String USER = "snowflake.user";
    public static final String AUTH = "snowflake.auth";
    public static final String PRIVATE_KEY = "snowflake.private.key";
    public static final String PRIVATE_KEY_PASSPHRASE = "snowflake.private.key.passphrase";
    public static final String PASSWORD = "snowflake.password";
    public static final String ROLE = "snowflake.role";
    public static final String WAREHOUSE = "snowflake.warehouse";
    public static final String DATABASE = "snowflake.database";
    public static final String SCHEMA = "snowflake.schema";
    public static final String DISABLE_PLATFORM_DETECTION = "snowflake.disable.platform.detection";
    public static final String DISABLE_OCSP_CHECKS = "snowflake.disable.ocsp.checks";
    public static final String GROUP = "Snowflake connection";

    /** How the connector signs in. */
    public enum Auth {
        KEY_PAIR,
        PASSWORD
    }

    public static final ConfigDef CONFIG = config();

    private static ConfigDef config() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                URL,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new UrlValidator(),
                Importance.HIGH,
                "Account URL, e.g. https://myorg-myaccount.snowflakecomputing.com (http:// only for a local "
                        + "test endpoint).",
                GROUP,
                ++order,
                Width.LONG,
                "URL");
        def.define(
                ACCOUNT,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Account identifier (myorg-myaccount); signs the key-pair token.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Account");
        def.define(
                USER,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "User (a TYPE=SERVICE user with a registered RSA public key).",
                GROUP,
                ++order,
                Width.MEDIUM,
                "User");
        def.define(
                AUTH,
                Type.STRING,
                "key_pair",
                ConfigDef.ValidString.in("key_pair", "password", "KEY_PAIR", "PASSWORD"),
                Importance.HIGH,
                "key_pair (JWT signed with snowflake.private.key) or password "
                        + "(legacy: Snowflake is blocking password sign-in for service users).",
                GROUP,
                ++order,
                Width.SHORT,
                "Authentication");
        def.define(
                PRIVATE_KEY,
                Type.PASSWORD,
                null,
                Importance.HIGH,
                "PKCS#8 private key, PEM (-----BEGIN PRIVATE KEY-----) or its base64 body; encrypted keys need "
                        + "snowflake.private.key.passphrase.",
                GROUP,
                ++order,
                Width.LONG,
                "Private key");
        def.define(
                PRIVATE_KEY_PASSPHRASE,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "Passphrase of an encrypted private key.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Key passphrase");
        def.define(
                PASSWORD,
                Type.PASSWORD,
                null,
                Importance.LOW,
                "Password, for snowflake.auth=password only.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Password");
        def.define(
                ROLE,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Role (needs SELECT on the tables).",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Role");
        def.define(
                WAREHOUSE,
                Type.STRING,
                "",
                Importance.HIGH,
                "Virtual warehouse that runs the queries.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Warehouse");
        def.define(
                DATABASE,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Default database for unqualified table names.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Database");
        def.define(
                SCHEMA,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Default schema for unqualified table names.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Schema");
        def.define(
                DISABLE_PLATFORM_DETECTION,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Stop the driver probing cloud metadata addresses (169.254.169.254) at login; set it where those "
                        + "must not be contacted (tests, local endpoints, locked-down networks).",
                GROUP,
                ++order,
                Width.SHORT,
                "Disable platform detection");
        def.define(
                DISABLE_OCSP_CHECKS,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Skip the driver's OCSP certificate-revocation checks (they contact the CA's OCSP hosts); for local "
                        + "endpoints only.",
                GROUP,
                ++order,
                Width.SHORT,
                "Disable OCSP checks");
        return CaptureConfig.define(
                def,
                "snowflake",
                1_000L,
                CaptureConfig.NameCase.LOWER,
                List.of(CaptureMode.CHANGES, CaptureMode.APPEND_ONLY, CaptureMode.WATERMARK));
    }

    public SnowflakeSourceConfig(Map<String, String> props) {
        super(CONFIG, props);
        if (auth() == Auth.KEY_PAIR && password(PRIVATE_KEY) == null) {
            throw new ConfigException(PRIVATE_KEY, "[hidden]", "snowflake.auth=key_pair needs the private key");
        }
        if (auth() == Auth.PASSWORD && password(PASSWORD) == null) {
            throw new ConfigException(PASSWORD, "[hidden]", "snowflake.auth=password needs snowflake.password");
        }
    }

    public Auth auth() {
        return Auth.valueOf(getString(AUTH).toUpperCase(Locale.ROOT));
    }

    public String password(String key) {
        Password p = getPassword(key);
        return p == null || p.value() == null || p.value().isEmpty() ? null : p.value();
    }

    /** Prints the configuration reference (docs/reference). */
    public static void main(String[] args) {
        System.out.println(
                io.crmconnect.common.ConfigDocs.markdown("Snowflake source configuration", OVERVIEW, CONFIG));
    }

    static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            if (!v.matches("https?://[^/\\s]+/?")) {
                throw new ConfigException(name, v, "must be https://<account host>[:port]");
            }
        }

        @Override
        public String toString() {
            return "https://<account>.snowflakecomputing.com";
        }
    }
}
