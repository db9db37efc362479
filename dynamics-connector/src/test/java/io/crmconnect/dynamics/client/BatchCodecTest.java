package io.crmconnect.dynamics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.crmconnect.common.ErrorSanitizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
    @Test
    void everyOperationTravelsInItsOwnChangeSetWithCrlf() throws IOException {
        BatchCodec.Encoded e = BatchCodec.encode(
                List.of(
                        BatchOperation.patch(
                                "contacts(emailaddress1='a@x.com')",
                                JsonNodeFactory.instance.objectNode().put("lastname", "A"),
                                Map.of("If-None-Match", "*")),
                        BatchOperation.delete("contacts(00000000-0000-0000-0000-000000000001)")),
                p -> "https://org.crm.dynamics.com/api/data/v9.2/" + p,
                new ObjectMapper());
        String body = new String(e.body(), StandardCharsets.UTF_8);
        String boundary = BatchCodec.boundary(e.contentType());
        assertThat(body).startsWith("--" + boundary + "\r\nContent-Type: multipart/mixed; boundary=changeset_");
        assertThat(body)
                .contains(
                        "PATCH https://org.crm.dynamics.com/api/data/v9.2/contacts(emailaddress1='a@x.com') "
                                + "HTTP/1.1\r\nIf-None-Match: *\r\nContent-Type: application/json\r\n\r\n{\"lastname\":\"A\"}\r\n");
        assertThat(body)
                .contains("DELETE https://org.crm.dynamics.com/api/data/v9.2/contacts(00000000-0000-0000-0000-"
                        + "000000000001) HTTP/1.1\r\n");
        assertThat(body.split("Content-ID: 1", -1)).hasSize(3);
        assertThat(body).endsWith("--" + boundary + "--\r\n");
    }

    @Test
    void answersComeOnePerChangeSetSuccessesNestedFailuresFlat() throws IOException {
        String body = String.join(
                "\r\n",
                "--batchresponse_1",
                "Content-Type: multipart/mixed; boundary=changesetresponse_a",
                "",
                "--changesetresponse_a",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "Content-ID: 1",
                "",
                "HTTP/1.1 204 No Content",
                "OData-Version: 4.0",
                "",
                "",
                "--changesetresponse_a--",
                "--batchresponse_1",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                "",
                "HTTP/1.1 400 Bad Request",
                "Content-Type: application/json; odata.metadata=minimal",
                "",
                "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred. The length of the "
                        + "'jobtitle' attribute of the 'contact' entity exceeded the maximum allowed length of '100'."
                        + " Value 'jane@x.com'\"}}",
                "--batchresponse_1--",
                "");
        List<BatchResponse> r = BatchCodec.decode(
                "multipart/mixed; boundary=batchresponse_1",
                body.getBytes(StandardCharsets.UTF_8),
                DataverseErrors.keeping(List.of("jobtitle", "contact")));
        assertThat(r).hasSize(2);
        assertThat(r.get(0).ok()).isTrue();
        assertThat(r.get(1).status()).isEqualTo(400);
        assertThat(r.get(1).code()).isEqualTo("0x80044331");
        assertThat(r.get(1).message())
                .contains("'jobtitle'")
                .contains("'contact'")
                .doesNotContain("jane@x.com");
        assertThat(r.get(1).transientFailure()).isFalse();
    }

    @Test
    void aCutAnswerIsAnIoErrorSoTheCallIsRetried() {
        assertThatThrownBy(() -> BatchCodec.decode(
                        "multipart/mixed; boundary=b",
                        "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n"
                                .getBytes(StandardCharsets.UTF_8),
                        ErrorSanitizer.DEFAULT))
                .isInstanceOf(IOException.class);
    }
}
