package io.crmconnect.hubspot.client;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a list page ({@code CollectionResponseSimplePublicObjectWithAssociationsForwardPaging}) straight from the
 * response bytes with Jackson's streaming parser: no intermediate tree of a few hundred thousand nodes per wide page.
 * Same result as parsing the tree ({@link HubSpotClient#parseObject}); unknown fields are skipped. Malformed or cut
 * JSON throws an IOException (the caller retries).
 */
final class ListPageReader {
    private ListPageReader() {}

    static Page<CrmObject> read(byte[] body, int expectedProperties) throws IOException {
        try (JsonParser p = HubSpotClient.MAPPER.getFactory().createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            List<CrmObject> results = new ArrayList<>();
            String next = null;
            int hint = Math.max(16, expectedProperties + expectedProperties / 3 + 8);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if ("results".equals(field) && t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                        results.add(object(p, hint));
                    }
                    expect(p, t, JsonToken.END_ARRAY);
                } else if ("paging".equals(field) && t == JsonToken.START_OBJECT) {
                    next = paging(p);
                } else {
                    p.skipChildren();
                }
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT);
            return new Page<>(results, next == null || next.isEmpty() ? null : next);
        }
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new JsonParseException(p, "expected " + want + " in a list page, got " + got);
        }
    }

    private static String paging(JsonParser p) throws IOException {
        String after = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("next".equals(field) && t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("after".equals(f) && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                        after = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return after;
    }

    private static CrmObject object(JsonParser p, int hint) throws IOException {
        String id = null;
        Map<String, String> props = new LinkedHashMap<>(hint);
        Instant created = null;
        Instant updated = null;
        Instant archivedAt = null;
        boolean archived = false;
        Map<String, List<String>> assoc = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> id = t == JsonToken.VALUE_NULL ? null : p.getText();
                case "properties" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_NULL) {
                                continue;
                            }
                            if (v.isScalarValue()) {
                                props.put(name, p.getText());
                            } else {
                                props.put(
                                        name,
                                        HubSpotClient.MAPPER.readTree(p)
                                                        instanceof com.fasterxml.jackson.databind.JsonNode j
                                                ? j.asText()
                                                : "");
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "createdAt" -> created = instant(p, t);
                case "updatedAt" -> updated = instant(p, t);
                case "archivedAt" -> archivedAt = instant(p, t);
                case "archived" -> archived = t == JsonToken.VALUE_TRUE;
                case "associations" -> {
                    if (t == JsonToken.START_OBJECT) {
                        assoc = associations(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new CrmObject(id == null ? "" : id, props, created, updated, archived, archivedAt, assoc);
    }

    private static Instant instant(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochMilli(p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            return HubSpotClient.parseInstant(p.getText());
        }
        p.skipChildren();
        return null;
    }

    /** {@code {toType: {results: [{id, type}]}}} → toType → ids. */
    private static Map<String, List<String>> associations(JsonParser p) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String type = p.currentName();
            List<String> ids = new ArrayList<>();
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    if ("results".equals(f) && p.nextToken() == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String assocId = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String g = p.currentName();
                                JsonToken v = p.nextToken();
                                if ("id".equals(g) && v.isScalarValue()) {
                                    assocId = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            ids.add(assocId == null ? "" : assocId);
                        }
                    } else {
                        p.nextToken();
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            out.put(type, ids);
        }
        return out;
    }
}
