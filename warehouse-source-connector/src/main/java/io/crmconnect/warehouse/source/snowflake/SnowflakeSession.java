package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.warehouse.source.core.WarehouseError;
import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Opens JDBC connections with the official Snowflake driver from this plugin's class loader, with the session pinned
 * to UTC (TIMEZONE, NTZ read as UTC) and JSON results (Arrow needs --add-opens on JDK 17).
 */
final class SnowflakeSession {
    private SnowflakeSession() {}

    static Connection open(SnowflakeSourceConfig c) {
        URI uri = URI.create(c.getString(SnowflakeSourceConfig.URL).trim());
        int port = uri.getPort() > 0 ? uri.getPort() : ("http".equals(uri.getScheme()) ? 80 : 443);
        String url = "jdbc:snowflake://" + uri.getHost() + ":" + port;
        Properties p = new Properties();
        p.put("account", c.getString(SnowflakeSourceConfig.ACCOUNT));
        p.put("user", c.getString(SnowflakeSourceConfig.USER));
        if ("http".equals(uri.getScheme())) {
            p.put("ssl", "off");
        }
        putIfSet(p, "role", c.getString(SnowflakeSourceConfig.ROLE));
        putIfSet(p, "warehouse", c.getString(SnowflakeSourceConfig.WAREHOUSE));
        putIfSet(p, "db", c.getString(SnowflakeSourceConfig.DATABASE));
        putIfSet(p, "schema", c.getString(SnowflakeSourceConfig.SCHEMA));
        p.put(
                "disablePlatformDetection",
                Boolean.toString(c.getBoolean(SnowflakeSourceConfig.DISABLE_PLATFORM_DETECTION)));
        p.put("disableOCSPChecks", Boolean.toString(c.getBoolean(SnowflakeSourceConfig.DISABLE_OCSP_CHECKS)));
        p.put("TIMEZONE", "UTC");
        p.put("JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "true");
        p.put("JDBC_USE_SESSION_TIMEZONE", "false");
        p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        p.put("QUERY_TAG", "crm-connect warehouse source");
        p.put("application", "crm-connect");
        p.put("loginTimeout", "30");
        p.put("networkTimeout", "300000");
        if (c.auth() == SnowflakeSourceConfig.Auth.KEY_PAIR) {
            p.put("authenticator", "SNOWFLAKE_JWT");
            String key = c.password(SnowflakeSourceConfig.PRIVATE_KEY);
            String body = key.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
            String passphrase = c.password(SnowflakeSourceConfig.PRIVATE_KEY_PASSPHRASE);
            if (passphrase == null && !key.contains("ENCRYPTED")) {
                p.put("privateKey", privateKey(body));
            } else {
                p.put("private_key_base64", body);
                p.put("private_key_pwd", passphrase == null ? "" : passphrase);
            }
        } else {
            p.put("password", c.password(SnowflakeSourceConfig.PASSWORD));
        }
        try {
            return driver(url).connect(url, p);
        } catch (SQLException e) {
            throw SnowflakeErrors.classify("connecting to " + uri.getHost(), e);
        }
    }

    private static void putIfSet(Properties p, String k, String v) {
        if (v != null && !v.isBlank()) {
            p.put(k, v.trim());
        }
    }

    static PrivateKey privateKey(String base64Pkcs8) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64Pkcs8)));
        } catch (Exception e) {
            throw new WarehouseError(
                    WarehouseError.Kind.PERMANENT,
                    "snowflake.private.key is not an unencrypted " + "PKCS#8 RSA key ("
                            + e.getClass().getSimpleName() + ")",
                    null);
        }
    }

    private static Driver driver(String url) throws SQLException {
        for (Driver d : ServiceLoader.load(Driver.class, SnowflakeSession.class.getClassLoader())) {
            if (d.acceptsURL(url)) {
                return d;
            }
        }
        throw new SQLException("the Snowflake JDBC driver is not on the plugin's class path");
    }
}
