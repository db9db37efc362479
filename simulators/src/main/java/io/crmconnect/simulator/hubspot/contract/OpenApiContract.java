package io.crmconnect.simulator.hubspot.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP interactions against HubSpot's official OpenAPI 3 specifications (bundled unchanged under
 * {@code /hubspot-openapi/} on the classpath) with Atlassian's swagger-request-validator.
 *
 * <p>Use {@link #hubspot()} for the shared instance; specs are parsed lazily, once per JVM. Paths are mapped to the
 * spec that documents them ({@link #specFor(String)}); paths no spec documents (admin, OAuth) are not checked.
 *
 * <p>Load-time adjustments, made in code (the spec files stay byte-for-byte as published):
 * <ul>
 *   <li>{@code servers} are dropped so paths match on any host (the contacts spec points at a QA host);</li>
 *   <li>{@code security} and {@code components.securitySchemes} are dropped: security is not checked here (bearer
 *       tokens are the simulator's job) and some specs declare OAuth flows without the URLs the parser requires;</li>
 *   <li>date-versioned, alias and label paths the simulator also serves are mapped onto the documented path.</li>
 * </ul>
 */
public final class OpenApiContract {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OpenApiContract SHARED = new OpenApiContract(Set.of(), false);
    private static final OpenApiContract STRICT = new OpenApiContract(Set.of(), true);
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private final Set<String> ignoredKeys;
    private final boolean strict;

    private OpenApiContract(Set<String> ignoredKeys, boolean strict) {
        this.ignoredKeys = Set.copyOf(ignoredKeys);
        this.strict = strict;
    }

    /**
     * The shared contract over every bundled HubSpot spec, with OpenAPI / JSON Schema semantics: properties a
     * schema does not list are allowed unless the schema says {@code additionalProperties: false}.
     */
    public static OpenApiContract hubspot() {
        return SHARED;
    }

    /**
     * Stricter: properties a schema does not list are violations (the validator library's own default), except in
     * error responses (status >= 400), where HubSpot documents fields the Error schema omits
     * ({@code status}, {@code errorType}, {@code policyName}, {@code requestId}). The simulator's own tests use this.
     */
    public static OpenApiContract hubspotStrict() {
        return STRICT;
    }

    /** Which spec file documents this path (after mapping aliases), if any. */
    public static Optional<String> specFor(String path) {
        String p = documentedPath(path);
        if (p == null) {
            return Optional.empty();
        }
        if (p.startsWith("/crm/objects/2026-03/")) {
            return Optional.of("objects-2026-03.json");
        }
        if (p.equals("/crm/v3/objects/contacts/gdpr-delete")) {
            return Optional.of("contacts-v3.json");
        }
        // merge: the generic spec (its SimplePublicObject lists "url"; the older contacts spec does not)
        if (p.startsWith("/crm/v3/objects/") && p.endsWith("/merge")) {
            return Optional.of("customObjects-v3.json");
        }
        if (p.startsWith("/crm/v3/objects/")) {
            return Optional.of("objects-v3.json");
        }
        if (p.startsWith("/crm/v3/properties/")) {
            return Optional.of("properties-v3.json");
        }
        if (p.startsWith("/crm/associations/v4/")) {
            return Optional.of("associationsSchema-v4.json");
        }
        if (p.startsWith("/crm/v4/")) {
            return Optional.of("associations-v4.json");
        }
        if (p.startsWith("/crm/v3/pipelines/")) {
            return Optional.of("pipelines-v3.json");
        }
        if (p.equals("/crm/v3/owners") || p.startsWith("/crm/v3/owners/")) {
            return Optional.of("crmOwners-v3.json");
        }
        if (p.startsWith("/crm-object-schemas/v3/schemas")) {
            return Optional.of("schemas-v3.json");
        }
        return Optional.empty();
    }

    /** Maps served aliases onto the path the specs document; null when no spec covers it. */
    static String documentedPath(String path) {
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("/crm/properties/2026-03/")) {
            return "/crm/v3/properties/" + p.substring("/crm/properties/2026-03/".length());
        }
        if (p.startsWith("/crm/associations/2026-03/")) {
            p = "/crm/v4/associations/" + p.substring("/crm/associations/2026-03/".length());
        }
        if (p.startsWith("/crm/v3/schemas")) {
            return "/crm-object-schemas/v3/schemas" + p.substring("/crm/v3/schemas".length());
        }
        String[] seg = p.split("/");
        // /crm/v4/associations/{from}/{to}/labels[/{typeId}] is documented as /crm/associations/v4/...
        if (p.startsWith("/crm/v4/associations/") && seg.length >= 7 && seg.length <= 8 && seg[6].equals("labels")) {
            return "/crm/associations/v4/" + p.substring("/crm/v4/associations/".length());
        }
        if (p.startsWith("/_sim") || p.startsWith("/oauth/")) {
            return null;
        }
        return p;
    }

    /** Checks a request. {@code pathAndQuery} may carry a query string. */
    public List<Violation> validateRequest(
            String method, String pathAndQuery, Map<String, String> headers, String body) {
        return check(method, pathAndQuery, headers, body, 0, null, null, true, false);
    }

    /** Checks a response to a request on {@code pathAndQuery}. */
    public List<Violation> validateResponse(
            String method, String pathAndQuery, int status, Map<String, String> responseHeaders, String responseBody) {
        return check(method, pathAndQuery, Map.of(), null, status, responseHeaders, responseBody, false, true);
    }

    /** Checks both sides of one interaction. */
    public List<Violation> validate(
            String method,
            String pathAndQuery,
            Map<String, String> requestHeaders,
            String requestBody,
            int status,
            Map<String, String> responseHeaders,
            String responseBody) {
        return check(
                method, pathAndQuery, requestHeaders, requestBody, status, responseHeaders, responseBody, true, true);
    }

    private List<Violation> check(
            String method,
            String pathAndQuery,
            Map<String, String> reqHeaders,
            String reqBody,
            int status,
            Map<String, String> respHeaders,
            String respBody,
            boolean checkRequest,
            boolean checkResponse) {
        String rawPath = pathAndQuery;
        String query = null;
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            rawPath = pathAndQuery.substring(0, q);
            query = pathAndQuery.substring(q + 1);
        }
        Optional<String> spec = specFor(rawPath);
        if (spec.isEmpty()) {
            return List.of();
        }
        String path = documentedPath(rawPath);
        OpenApiInteractionValidator v = validator(spec.get());
        Request.Method m = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        List<Violation> out = new ArrayList<>();
        if (checkRequest) {
            SimpleRequest.Builder rb = new SimpleRequest.Builder(m, path);
            if (reqHeaders != null) {
                reqHeaders.forEach(rb::withHeader);
            }
            if (reqBody != null && !reqBody.isEmpty()) {
                rb.withBody(reqBody);
                if (reqHeaders == null || reqHeaders.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                    rb.withContentType("application/json");
                }
            }
            if (query != null) {
                for (String part : query.split("&")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                    String val = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                    rb.withQueryParam(k, val);
                }
            }
            collect(v.validateRequest(rb.build()), "request", method, path, 0, spec.get(), out);
        }
        if (checkResponse) {
            SimpleResponse.Builder sb = SimpleResponse.Builder.status(status);
            if (respHeaders != null) {
                respHeaders.forEach(sb::withHeader);
            }
            if (respBody != null && !respBody.isEmpty()) {
                sb.withBody(respBody);
                if (respHeaders == null || respHeaders.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                    sb.withContentType("application/json");
                }
            }
            collect(v.validateResponse(path, m, sb.build()), "response", method, path, status, spec.get(), out);
        }
        return out;
    }

    private void collect(
            ValidationReport report,
            String dir,
            String method,
            String path,
            int status,
            String spec,
            List<Violation> out) {
        for (ValidationReport.Message msg : report.getMessages()) {
            if (msg.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            boolean ignored = msg.getKey().endsWith(".additionalProperties")
                    && (!strict || status >= 400 || "request".equals(dir));
            for (String k : ignoredKeys) {
                if (msg.getKey().startsWith(k)) {
                    ignored = true;
                    break;
                }
            }
            if (!ignored) {
                out.add(new Violation(
                        dir,
                        method,
                        path,
                        status,
                        spec,
                        msg.getKey(),
                        msg.getMessage() + (msg.getAdditionalInfo().isEmpty() ? "" : " " + msg.getAdditionalInfo())));
            }
        }
    }

    private static OpenApiInteractionValidator validator(String spec) {
        return VALIDATORS.computeIfAbsent(spec, OpenApiContract::load);
    }

    private static OpenApiInteractionValidator load(String spec) {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/hubspot-openapi/" + spec)) {
            if (in == null) {
                throw new IllegalStateException("spec " + spec + " is not on the classpath under /hubspot-openapi/");
            }
            ObjectNode root = (ObjectNode) MAPPER.readTree(in);
            root.remove("servers");
            // Security is not validated here (bearer tokens are the simulator's job), and some specs declare
            // OAuth flows without authorizationUrl/tokenUrl, which the parser rejects: drop security declarations.
            root.remove("security");
            if (root.path("components").isObject()) {
                ((ObjectNode) root.get("components")).remove("securitySchemes");
            }
            root.path("paths")
                    .forEach(item -> item.forEach(op -> {
                        if (op.isObject()) {
                            ((ObjectNode) op).remove("security");
                        }
                    }));
            return OpenApiInteractionValidator.createForInlineApiSpecification(MAPPER.writeValueAsString(root))
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load OpenAPI spec " + spec, e);
        }
    }

    /** Parses every bundled spec now (otherwise lazily on first use). */
    public static void preload() {
        for (String s : List.of(
                "objects-v3.json",
                "objects-2026-03.json",
                "contacts-v3.json",
                "customObjects-v3.json",
                "properties-v3.json",
                "associations-v4.json",
                "associationsSchema-v4.json",
                "pipelines-v3.json",
                "crmOwners-v3.json",
                "schemas-v3.json")) {
            validator(s);
        }
    }
}
