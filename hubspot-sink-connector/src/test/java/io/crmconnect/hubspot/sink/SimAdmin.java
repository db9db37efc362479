package io.crmconnect.hubspot.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Portal set-up through HubSpot's own API on the simulator (properties, custom object schemas). */
final class SimAdmin {
    static final ObjectMapper MAPPER = new ObjectMapper();
    // Set-up calls are not under test: generous timeouts so a loaded CI machine does not fail them.
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60))
            .callTimeout(Duration.ofSeconds(90))
            .build();

    private SimAdmin() {}

    static JsonNode post(HubSpotSimulator sim, String path, String json) {
        Request req = new Request.Builder()
                .url(sim.baseUrl() + path)
                .header("Authorization", "Bearer " + sim.token())
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build();
        try (Response r = HTTP.newCall(req).execute()) {
            String body = r.body() == null ? "" : r.body().string();
            if (r.code() >= 300) {
                throw new IllegalStateException(path + " -> " + r.code() + " " + body);
            }
            return body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void property(
            HubSpotSimulator sim, String object, String name, String type, String fieldType, boolean unique) {
        post(
                sim,
                "/crm/v3/properties/" + object,
                "{\"name\":\"" + name + "\",\"label\":\"" + name + "\",\"type\":\""
                        + type + "\",\"fieldType\":\"" + fieldType + "\",\"groupName\":\"contactinformation\","
                        + "\"hasUniqueValue\":" + unique + "}");
    }
}
