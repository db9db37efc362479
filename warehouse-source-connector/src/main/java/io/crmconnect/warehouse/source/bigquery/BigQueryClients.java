package io.crmconnect.warehouse.source.bigquery;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import io.crmconnect.warehouse.source.core.WarehouseError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Builds the official BigQuery client from the connector's settings: explicit project (no default-project lookup),
 * the configured root URL and the chosen credentials. TIMESTAMP cells stay in the default float-seconds form: the
 * client (2.59) parses every page as int64 once {@code setUseInt64Timestamps(true)} is set, but asks for int64 only
 * on jobs.query, so the pages it then reads through getQueryResults / tabledata.list fail to parse (seen against the
 * fake); the seconds text is read exactly as a decimal.
 */
final class BigQueryClients {
    static final String SCOPE = "https://www.googleapis.com/auth/bigquery";

    private BigQueryClients() {}

    static BigQuery open(BigQuerySourceConfig c) {
        BigQueryOptions.Builder b = BigQueryOptions.newBuilder()
                .setProjectId(c.getString(BigQuerySourceConfig.PROJECT).trim())
                .setHost(c.getString(BigQuerySourceConfig.ROOT_URL).trim().replaceAll("/+$", ""))
                .setCredentials(credentials(c))
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(30_000)
                        .setReadTimeout(300_000)
                        .build());
        String location = c.getString(BigQuerySourceConfig.LOCATION).trim();
        if (!location.isEmpty()) {
            b.setLocation(location);
        }
        return b.build().getService();
    }

    static Credentials credentials(BigQuerySourceConfig c) {
        try {
            return switch (c.auth()) {
                case NONE -> NoCredentials.getInstance();
                case APPLICATION_DEFAULT ->
                    GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE));
                case SERVICE_ACCOUNT_JSON ->
                    ServiceAccountCredentials.fromStream(
                                    new ByteArrayInputStream(c.credentialsJson().getBytes(StandardCharsets.UTF_8)))
                            .createScoped(List.of(SCOPE));
            };
        } catch (IOException | RuntimeException e) {
            // the key's content must not reach the message: name the setting and the kind of failure only
            throw new WarehouseError(
                    WarehouseError.Kind.PERMANENT,
                    "BigQuery credentials (" + c.auth().name().toLowerCase(Locale.ROOT) + ") could not be loaded: "
                            + e.getClass().getSimpleName()
                            + (c.auth() == BigQuerySourceConfig.Auth.SERVICE_ACCOUNT_JSON
                                    ? "; " + BigQuerySourceConfig.CREDENTIALS_JSON
                                            + " must hold a service-account key file"
                                    : ""),
                    null);
        }
    }
}
