package io.crmconnect.dynamics.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataverseErrorsTest {
    @Test
    void codesStayPersonalDataGoes() {
        DataverseErrors.Error e = DataverseErrors.parse(("{\"error\":{\"code\":\"0x80060892\",\"message\":\"A record "
                        + "with matching key values already exists: 'ann.lee@example.com', '+1 415 555 0100'.\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(e.code()).isEqualTo("0x80060892");
        assertThat(e.message()).doesNotContain("ann.lee").doesNotContain("555");
        DataverseErrors.Error entra = DataverseErrors.parse(("{\"error\":\"invalid_client\",\"error_description\":"
                        + "\"AADSTS7000215: Invalid client secret provided.\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(entra.code()).isEqualTo("invalid_client");
        assertThat(entra.message()).contains("AADSTS7000215");
    }

    @Test
    void anExpiredVersionStampIsRecognisedByCodeOrMessage() {
        assertThat(new DynamicsApiException("x", 400, "0x80044352", null).isExpiredVersionStamp())
                .isTrue();
        assertThat(new DynamicsApiException(
                                "Version stamp associated with the client has expired. Please perform a "
                                        + "full sync.",
                                400,
                                null,
                                null)
                        .isExpiredVersionStamp())
                .isTrue();
        assertThat(new DynamicsApiException("x", 400, "0x80040203", null).isExpiredVersionStamp())
                .isFalse();
    }
}
