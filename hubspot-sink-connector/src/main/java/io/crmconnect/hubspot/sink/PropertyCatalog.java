package io.crmconnect.hubspot.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.ObjectSchema;
import io.crmconnect.hubspot.client.PropertyDefinition;
import io.crmconnect.hubspot.client.RateBudget;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The target object's property definitions (type, uniqueness, read-only, enumeration options). */
final class PropertyCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(PropertyCatalog.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Set<String> STANDARD = Set.of("contacts", "companies", "deals", "tickets", "products", "line_items",
            "quotes", "calls", "emails", "meetings", "notes", "tasks", "leads");

    /** One property; {@code options} empty when unknown or not an enumeration. */
    record Prop(String name, String type, boolean multi, boolean unique, boolean readOnly, Set<String> options) {
    }

    final String objectType;
    final Map<String, Prop> props;

    PropertyCatalog(String objectType, Map<String, Prop> props) {
        this.objectType = objectType;
        this.props = props;
    }

    Prop get(String name) {
        return props.get(name);
    }

    boolean isUniqueKey(String name) {
        Prop p = props.get(name);
        return p != null && (p.unique() || isContacts() && "email".equals(name));
    }

    boolean isContacts() {
        return objectType.equals("contacts") || objectType.equals("0-1");
    }

    /**
     * Resolves an object name to what the objects API accepts: standard names and 0-x / 2-x ids as they are, custom
     * object names and fully qualified names through the schemas API. Null when no such object exists.
     */
    static String resolveObjectType(HubSpotClient client, String object) {
        String o = object.trim();
        if (STANDARD.contains(o.toLowerCase(Locale.ROOT)) || o.matches("0-\\d+")) {
            return o.toLowerCase(Locale.ROOT);
        }
        for (ObjectSchema s : client.schemas()) {
            if (o.equals(s.objectTypeId()) || o.equalsIgnoreCase(s.name()) || o.equalsIgnoreCase(
                    s.fullyQualifiedName())) {
                return s.objectTypeId();
            }
        }
        return null;
    }

    /** Loads the definitions; enumeration options come from one extra raw read (skipped when it fails). */
    static PropertyCatalog load(HubSpotClient client, String baseUrl, String token, String objectType) {
        Map<String, Set<String>> options = readOptions(client.budget(), baseUrl, token, objectType);
        Map<String, Prop> props = new LinkedHashMap<>();
        for (PropertyDefinition d : client.properties(objectType)) {
            props.put(d.name(), new Prop(d.name(), d.type(), d.isMultiValued(), d.hasUniqueValue(),
                    d.readOnlyValue() || d.calculated(), options.getOrDefault(d.name(), Set.of())));
        }
        return new PropertyCatalog(objectType, props);
    }

    private static Map<String, Set<String>> readOptions(RateBudget budget, String baseUrl, String token,
            String objectType) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        try {
            HttpUrl url = HttpUrl.get(baseUrl).newBuilder().addPathSegments("crm/v3/properties/" + objectType).build();
            for (int attempt = 1; attempt <= 3; attempt++) {
                budget.acquire();
                try (Response r = http.newCall(new Request.Builder().url(url)
                        .header("Authorization", "Bearer " + token).get().build()).execute()) {
                    if (r.code() == 200 && r.body() != null) {
                        JsonNode n = MAPPER.readTree(r.body().string());
                        for (JsonNode p : n.path("results")) {
                            if (!"enumeration".equals(p.path("type").asText())) {
                                continue;
                            }
                            Set<String> vals = new LinkedHashSet<>();
                            p.path("options").forEach(op -> vals.add(op.path("value").asText()));
                            out.put(p.path("name").asText(), vals);
                        }
                        return out;
                    }
                    LOG.debug("property options of {}: HTTP {}", objectType, r.code());
                } catch (IOException e) {
                    LOG.debug("property options of {}: {}", objectType, e.toString());
                }
                Thread.sleep(500L * attempt);
            }
            LOG.warn("Could not read the enumeration options of {}; enumeration values are checked by HubSpot only",
                    objectType);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        return out;
    }

    List<String> names() {
        return List.copyOf(props.keySet());
    }
}
