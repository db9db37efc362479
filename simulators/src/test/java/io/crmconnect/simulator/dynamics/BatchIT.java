package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.common.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * $batch: multipart/mixed requests and change sets (atomic, Content-ID references), responses in order as
 * batchresponse parts, stop-on-first-error (outer 400) versus Prefer: odata.continue-on-error (outer 200), limits.
 */
class BatchIT {
    static DynamicsSimulator sim;
    static DvClient c;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder().seed(9).contacts(10).accounts(3).start();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String part(String method, String url, String json, String contentId) {
        return "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                + (contentId == null ? "" : "Content-ID: " + contentId + "\r\n") + "\r\n"
                + method + " " + url + " HTTP/1.1\r\n"
                + (json == null ? "" : "Content-Type: application/json; type=entry\r\n") + "\r\n"
                + (json == null ? "" : json + "\r\n");
    }

    static String batch(String boundary, List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String i : items) {
            sb.append("--").append(boundary).append("\r\n").append(i);
        }
        return sb.append("--").append(boundary).append("--\r\n").toString();
    }

    static String changeSet(String boundary, List<String> parts) {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n");
        for (String p : parts) {
            sb.append("--").append(boundary).append("\r\n").append(p);
        }
        return sb.append("--").append(boundary).append("--\r\n").toString();
    }

    static List<Integer> statuses(String body) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("\r\nHTTP/1.1 (\\d{3}) ").matcher(body);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    HttpResult send(String body, String... extra) {
        String[] h = new String[extra.length + 2];
        h[0] = "Content-Type";
        h[1] = "multipart/mixed; boundary=\"batch_AAA123\"";
        System.arraycopy(extra, 0, h, 2, extra.length);
        return c.post("$batch", body, h);
    }

    @Test
    void changeSetWithContentIdReferencesThenAGet() {
        String api = "/api/data/v9.2/";
        String body = batch(
                "batch_AAA123",
                List.of(
                        changeSet(
                                "changeset_BBB456",
                                List.of(
                                        part(
                                                "POST",
                                                api + "accounts",
                                                "{\"name\":\"Batch Account\",\"accountnumber\":\"BT-1\"}",
                                                "1"),
                                        part(
                                                "POST",
                                                api + "contacts",
                                                "{\"lastname\":\"Batch Contact\","
                                                        + "\"parentcustomerid_account@odata.bind\":\"$1\"}",
                                                "2"),
                                        part("PATCH", "$1", "{\"telephone1\":\"555-0100\"}", "3"))),
                        part("GET", api + "accounts(accountnumber='BT-1')?$select=name,telephone1", null, null),
                        part("GET", "contacts?$select=lastname&$filter=lastname eq 'Batch Contact'", null, null)));
        HttpResult r = send(body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("multipart/mixed; boundary=batchresponse_");
        assertThat(statuses(r.body())).containsExactly(204, 204, 204, 200, 200);
        assertThat(r.body())
                .contains(
                        "Content-Type: multipart/mixed; boundary=changesetresponse_",
                        "Content-ID: 2",
                        "OData-EntityId: " + c.api + "/accounts(",
                        "\"telephone1\":\"555-0100\"",
                        "\"name\":\"Batch Account\"",
                        "\"lastname\":\"Batch Contact\"");
        String account = c.get("accounts(accountnumber='BT-1')?$select=accountid")
                .json()
                .get("accountid")
                .asText();
        assertThat(c.get("contacts?$select=_parentcustomerid_value&$filter=lastname eq 'Batch Contact'")
                        .json()
                        .get("value")
                        .get(0)
                        .get("_parentcustomerid_value")
                        .asText())
                .isEqualTo(account);
    }

    @Test
    void aFailingChangeSetRollsBackAndStopsTheBatch() {
        int before = sim.counts().get("account");
        String api = "/api/data/v9.2/";
        String body = batch(
                "batch_AAA123",
                List.of(
                        changeSet(
                                "changeset_1",
                                List.of(
                                        part("POST", api + "accounts", "{\"name\":\"Rolled back\"}", "1"),
                                        part("POST", api + "accounts", "{\"name\":\"x\",\"nope\":1}", "2"))),
                        part("POST", api + "accounts", "{\"name\":\"Never run\"}", null)));
        HttpResult r = send(body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(statuses(r.body())).containsExactly(400);
        assertThat(r.body()).contains("Content-ID: 2", "\"code\":\"0x80048d19\"");
        assertThat(sim.counts().get("account")).isEqualTo(before);

        HttpResult cont = send(body, "Prefer", "odata.continue-on-error");
        assertThat(cont.status()).isEqualTo(200);
        assertThat(cont.header("Preference-Applied")).isEqualTo("odata.continue-on-error");
        assertThat(statuses(cont.body())).containsExactly(400, 204);
        assertThat(sim.counts().get("account")).isEqualTo(before + 1);
    }

    @Test
    void invalidBatches() {
        String api = "/api/data/v9.2/";
        QueryIT.assertError(
                send(batch(
                        "batch_AAA123", List.of(changeSet("cs", List.of(part("GET", api + "accounts", null, null)))))),
                400,
                "0x80040203",
                "GET requests are not allowed inside a change set.");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(part("GET", api + "WhoAmI", null, null));
        }
        QueryIT.assertError(send(batch("batch_AAA123", many)), 400, "0x80040203", "the maximum is 1000");
        QueryIT.assertError(
                c.post("$batch", "{}", "Content-Type", "application/json"), 400, "0x80040203", "multipart/mixed");
        QueryIT.assertError(
                send("--batch_AAA123\r\n" + part("GET", api + "WhoAmI", null, null)),
                400,
                "0x80040203",
                "closing boundary");
        QueryIT.assertError(
                send(batch(
                        "batch_AAA123",
                        List.of(changeSet("cs", List.of(part("PATCH", "$9", "{\"name\":\"x\"}", "1")))))),
                400,
                "0x80040203",
                "Content-ID Reference: '$9' does not exist in the " + "batch context.");
        assertThat(sim.routeCounters().values().stream().noneMatch(m -> m.containsKey(500)))
                .isTrue();
    }
}
