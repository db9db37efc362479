package io.crmconnect.dynamics.connection;

import io.crmconnect.dynamics.client.DynamicsApiException;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The bounded live part of {@code validate()} both plugins share: fetch a token (credentials, tenant, token
 * endpoint), then {@code WhoAmI} (environment reachable, application user present). Each problem lands on the key
 * the user has to change.
 */
public final class ConnectionCheck {
    private ConnectionCheck() {}

    /** Runs the checks; true when the connection works and table checks may follow. */
    public static boolean run(DynamicsClient client, Map<String, ConfigValue> byKey) {
        try {
            client.tokens().accessToken();
        } catch (DynamicsApiException e) {
            byKey.get(keyForTokenError(e.code(), e.getMessage())).addErrorMessage(e.getMessage());
            return false;
        } catch (DynamicsException e) {
            byKey.get(DynamicsConnection.TOKEN_URL)
                    .addErrorMessage("The token endpoint could not be reached: " + e.getMessage());
            return false;
        }
        try {
            client.whoAmI();
            return true;
        } catch (DynamicsApiException e) {
            if (e.isAuthentication() || e.isPrivilege()) {
                byKey.get(DynamicsConnection.CLIENT_ID)
                        .addErrorMessage("The environment refused the app (HTTP "
                                + e.status() + "): add an application user for this client id with a security role. "
                                + e.getMessage());
            } else {
                byKey.get(DynamicsConnection.URL).addErrorMessage("This is not a Dataverse Web API: " + e.getMessage());
            }
        } catch (DynamicsException e) {
            byKey.get(DynamicsConnection.URL)
                    .addErrorMessage("The environment could not be reached: " + e.getMessage());
        }
        return false;
    }

    /**
     * Entra ID's AADSTS codes say which setting is wrong: an unknown tenant (90002) or app (700016), an unknown
     * environment (500011, 1002012: the scope is the environment's), a wrong or expired secret (7000215, 7000222);
     * anything else is reported on the secret.
     */
    static String keyForTokenError(String code, String message) {
        String m = message == null ? "" : message;
        if (m.contains("AADSTS90002") || m.contains("AADSTS900023")) {
            return DynamicsConnection.TENANT_ID;
        }
        if (m.contains("AADSTS700016") || "unauthorized_client".equals(code)) {
            return DynamicsConnection.CLIENT_ID;
        }
        if (m.contains("AADSTS500011")
                || m.contains("AADSTS1002012")
                || "invalid_scope".equals(code)
                || "invalid_resource".equals(code)) {
            return DynamicsConnection.URL; // the scope is <environment>/.default: Entra knows no such environment
        }
        return DynamicsConnection.CLIENT_SECRET;
    }
}
