package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorSanitizerTest {
    private static final ErrorSanitizer S = ErrorSanitizer.DEFAULT;

    @Test
    void postgresDriverMessages() {
        assertThat(S.message("ERROR: invalid input syntax for type integer: \"Jane Doe\""))
                .isEqualTo("ERROR: invalid input syntax for type integer: \"<redacted>\"");
        assertThat(S.message("ERROR: duplicate key value violates unique constraint \"users_email_key\"\n"
                        + "  Detail: Key (email)=(jane.doe@example.com) already exists."))
                .doesNotContain("jane")
                .contains("Key (email)=(<redacted>)");
        assertThat(S.message("ERROR: new row for relation \"users\" violates check constraint \"age_ok\"\n"
                        + "  Detail: Failing row contains (17, Jane, Doe, 1985-03-02, 555-123-4567)."))
                .doesNotContain("Jane")
                .doesNotContain("1985")
                .doesNotContain("4567")
                .contains("contains (<redacted>)");
        assertThat(S.message("ERROR: date/time field value out of range: \"02/30/1985\""))
                .doesNotContain("1985");
    }

    @Test
    void mariadbDriverMessages() {
        assertThat(S.message("(conn=12) Duplicate entry 'a@b.com' for key 'PRIMARY'"))
                .isEqualTo("(conn=12) Duplicate entry '<email>' for key 'PRIMARY'");
        assertThat(S.message("Duplicate entry 'Jane Doe-1985-03-02' for key 'name_dob'"))
                .doesNotContain("Jane")
                .doesNotContain("1985")
                .doesNotContain("name_dob");
        assertThat(ErrorSanitizer.keeping(List.of("name_dob"))
                        .message("Duplicate entry 'Jane Doe-1985-03-02' for key 'name_dob'"))
                .isEqualTo("Duplicate entry '<redacted>' for key 'name_dob'");
        assertThat(S.message("Incorrect date value: '1985-13-45' for column `crm`.`users`.`dob` at row 1"))
                .isEqualTo("Incorrect date value: '<redacted>' for column `crm`.`users`.`dob` at row 1");
    }

    @Test
    void hubspotMessages() {
        String m = "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address jane@x.io is "
                + "invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"},{\"isValid\":false,\"message\":"
                + "\"Jane Q. Doe was not one of the allowed options\",\"error\":\"INVALID_OPTION\",\"name\":\"hs_x\"}]";
        String out = ErrorSanitizer.keeping(List.of("email", "hs_x")).message(m);
        assertThat(out)
                .doesNotContain("jane")
                .doesNotContain("Jane")
                .contains("\"error\":\"INVALID_EMAIL\"", "\"name\":\"email\"", "\"name\":\"hs_x\"", "INVALID_OPTION");
        assertThat(S.message("Contact already exists. Existing ID: 12345678"))
                .isEqualTo("Contact already exists. Existing ID: <digits>");
        assertThat(S.message("Call +1 (555) 123-4567 or 555.123.4567, zip 10001"))
                .doesNotContain("555")
                .doesNotContain("10001");
    }

    @Test
    void parserMessages() {
        DateTimeParseException e = org.junit.jupiter.api.Assertions.assertThrows(
                DateTimeParseException.class, () -> LocalDate.parse("03/02/1985", DateTimeFormatter.ISO_LOCAL_DATE));
        assertThat(S.message(e.getMessage())).doesNotContain("1985").doesNotContain("03/02");
        NumberFormatException n =
                org.junit.jupiter.api.Assertions.assertThrows(NumberFormatException.class, () -> Long.parseLong("Doe"));
        assertThat(S.message(n.getMessage())).isEqualTo("For input string: \"<redacted>\"");
    }

    @Test
    void leavesOrdinaryTextAndWordsWithDigitsAlone() {
        String plain = "value too long for type character varying(255) in column address2, can't write at row 12";
        assertThat(S.message(plain)).isEqualTo(plain);
        assertThat(S.message(null)).isNull();
        assertThat(S.message("SocketTimeoutException: Read timed out"))
                .isEqualTo("SocketTimeoutException: Read timed out");
    }

    @Test
    void scrubbedChainsKeepClassesAndStacksButNoValues() {
        SQLException root = new SQLException("ERROR: invalid input syntax for type date: \"1985-02-30\"", "22007");
        RuntimeException top = new RuntimeException("write failed for jane@x.io", root);
        ErrorSanitizer.SanitizedException s = S.scrub(top);
        StringWriter w = new StringWriter();
        s.printStackTrace(new PrintWriter(w));
        assertThat(w.toString())
                .doesNotContain("jane")
                .doesNotContain("1985")
                .contains("java.lang.RuntimeException: write failed for <email>")
                .contains("java.sql.SQLException: ERROR: invalid input syntax for type date: \"<redacted>\"")
                .contains("ErrorSanitizerTest");
        assertThat(S.scrub(null)).isNull();
    }
}
