package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {

    @Test
    void neverContainsTheValueAndIsStable() {
        String email = "Jane.Doe@example.com";
        String redacted = Redact.pii(email);
        assertThat(redacted).startsWith("pii:").hasSize(12).doesNotContainIgnoringCase("jane").doesNotContain("example");
        assertThat(Redact.pii(email)).isEqualTo(redacted);
        assertThat(Redact.pii("jane.doe@example.com")).isNotEqualTo(redacted);
        assertThat(Redact.pii(null)).isEqualTo("pii:null");
    }
}
