package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ListPageReaderTest {
    static final String PAGE = """
            {"results":[
              {"id":"101","properties":{"email":"a@example.com","amount":"12.50","empty":null,"n":7,
                "createdate":"2024-01-02T03:04:05.006Z"},"propertiesWithHistory":{"email":[{"value":"x"}]},
               "createdAt":"2024-01-02T03:04:05.006Z","updatedAt":"2024-02-03T04:05:06Z","archived":false,
               "associations":{"companies":{"results":[{"id":"7","type":"contact_to_company"},{"id":"8",
               "type":"contact_to_company_unlabeled"}],"paging":{"next":{"after":"x"}}}},
               "url":"https://app.hubspot.com/contacts/1/record/0-1/101"},
              {"id":102,"properties":{},"createdAt":1704164645006,"updatedAt":"2024-02-03T04:05:06.1234567Z",
               "archived":true,"archivedAt":"2024-03-01T00:00:00.000Z"}
            ],"paging":{"next":{"after":"103","link":"https://api.hubapi.com/crm/v3/objects/contacts?after=103"}},
            "extra":[1,2,{"a":null}]}
            """;

    @Test
    void streamingReadEqualsTheTreeRead() throws IOException {
        byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
        Page<CrmObject> page = ListPageReader.read(body, 5);
        JsonNode tree = HubSpotClient.MAPPER.readTree(body);
        assertThat(page.results()).isEqualTo(HubSpotClient.parseObjects(tree.path("results")));
        assertThat(page.after()).isEqualTo("103");
        CrmObject first = page.results().get(0);
        assertThat(first.properties())
                .containsEntry("amount", "12.50")
                .containsEntry("n", "7")
                .doesNotContainKey("empty");
        assertThat(first.associations().get("companies")).containsExactly("7", "8");
        assertThat(page.results().get(1).archivedAt()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    }

    @Test
    void lastPageHasNoCursorAndCutOrMalformedBodiesThrow() throws IOException {
        assertThat(ListPageReader.read("{\"results\":[]}".getBytes(StandardCharsets.UTF_8), 0)
                        .after())
                .isNull();
        byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
        for (int cut : new int[] {0, 1, 20, body.length / 2, body.length - 3}) {
            byte[] part = Arrays.copyOf(body, cut);
            assertThatThrownBy(() -> ListPageReader.read(part, 5))
                    .as("cut at " + cut)
                    .isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> ListPageReader.read("{\"results\":[{\"id\":1,}]}".getBytes(StandardCharsets.UTF_8), 5))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ListPageReader.read("[1]".getBytes(StandardCharsets.UTF_8), 5))
                .isInstanceOf(IOException.class);
    }

    @Test
    void fastTimestampsAgreeWithJavaTime() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long ms = rnd.nextLong(-2_000_000_000_000L, 10_000_000_000_000L);
            String iso = Instant.ofEpochMilli(ms).toString(); // with or without fraction digits
            assertThat(IsoTime.utcMillis(iso))
                    .as(iso)
                    .isEqualTo(ms < 0 && Instant.ofEpochMilli(ms).toString().startsWith("-") ? Long.MIN_VALUE : ms);
            assertThat(HubSpotClient.parseEpochMillis(iso)).as(iso).isEqualTo(ms);
        }
        assertThat(IsoTime.utcMillis("2024-02-30T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
        assertThat(IsoTime.utcMillis("2024-02-29T23:59:59.9Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.9Z").toEpochMilli());
        assertThat(IsoTime.utcMillis("2024-01-01T00:00:00+01:00")).isEqualTo(Long.MIN_VALUE);
        assertThat(HubSpotClient.parseEpochMillis("2024-01-01T00:00:00+01:00"))
                .isEqualTo(Instant.parse("2023-12-31T23:00:00Z").toEpochMilli());
        assertThat(HubSpotClient.parseEpochMillis("1706933106007")).isEqualTo(1706933106007L);
    }
}
