package io.crmconnect.common.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizersTest {

    @Test
    void email() {
        assertThat(Normalizers.email("  Ana.Lopez@Example.COM\t")).isEqualTo("ana.lopez@example.com");
        assertThat(Normalizers.email("already@lower.case")).isEqualTo("already@lower.case");
        assertThat(Normalizers.email("ÉLODIE@Exemple.FR")).isEqualTo("élodie@exemple.fr");
        assertThat(Normalizers.email("   ")).isNull();
        assertThat(Normalizers.email(null)).isNull();
    }

    @Test
    void personName() {
        assertThat(Normalizers.personName("  José   María ")).isEqualTo("jose maria");
        assertThat(Normalizers.personName("O'Brien")).isEqualTo("obrien");
        assertThat(Normalizers.personName("Jean-Luc PICARD")).isEqualTo("jean luc picard");
        assertThat(Normalizers.personName("Strauß")).isEqualTo("strauss");
        assertThat(Normalizers.personName("Søren Kierkegaard")).isEqualTo("soren kierkegaard");
        assertThat(Normalizers.personName("Łukasz Żółć")).isEqualTo("lukasz zolc");
        assertThat(Normalizers.personName("Dr. J. R. R. Tolkien")).isEqualTo("dr j r r tolkien");
        assertThat(Normalizers.personName("Zoë", null, " Saldaña ")).isEqualTo("zoe saldana");
        assertThat(Normalizers.personName(" - ")).isNull();
        assertThat(Normalizers.personName((String) null)).isNull();
    }

    @Test
    void dateOfBirthFromSeveralFormats() {
        Normalizers.DateFormats d = Normalizers.DateFormats.DEFAULT;
        for (String text : List.of("1990-03-05", "03/05/1990", "3/5/1990", "05.03.1990", "19900305", "Mar 5, 1990",
                "5 March 1990", "1990-03-05T00:00:00Z")) {
            assertThat(Normalizers.dateOfBirth(text, d)).as(text).isEqualTo("1990-03-05");
        }
        assertThat(Normalizers.dateOfBirth(new java.util.Date(0), d)).isEqualTo("1970-01-01");
        assertThat(Normalizers.dateOfBirth(LocalDate.of(2000, 2, 29), d)).isEqualTo("2000-02-29");
        assertThat(Normalizers.dateOfBirth(" ", d)).isNull();
        assertThatThrownBy(() -> Normalizers.dateOfBirth("02/30/1990", d))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a date");
        assertThatThrownBy(() -> Normalizers.dateOfBirth("soon", d)).isInstanceOf(IllegalArgumentException.class);
        Normalizers.DateFormats european = new Normalizers.DateFormats(List.of("dd/MM/yyyy"));
        assertThat(Normalizers.dateOfBirth("05/03/1990", european)).isEqualTo("1990-03-05");
    }

    @Test
    void postalAddress() {
        assertThat(Normalizers.postalAddress("123 North Main Street, Apt. #4B"))
                .isEqualTo("123 n main st apt 4b");
        assertThat(Normalizers.postalAddress("123 N. MAIN ST APARTMENT 4B"))
                .isEqualTo("123 n main st apt 4b");
        assertThat(Normalizers.postalAddress("1600  Pennsylvania Avenue NW", "Washington", "DC", "20500-0003"))
                .isEqualTo("1600 pennsylvania ave nw washington dc 20500");
        assertThat(Normalizers.postalAddress("1600 Pennsylvania Ave. N.W., Washington, D.C. 20500"))
                .isEqualTo("1600 pennsylvania ave nw washington dc 20500");
        assertThat(Normalizers.postalAddress("12-34 Crescent Boulevard Suite 200"))
                .isEqualTo("12-34 cres blvd ste 200");
        assertThat(Normalizers.postalAddress("Rue de l’Église 5")).isEqualTo("rue de leglise 5");
        assertThat(Normalizers.postalAddress(" ,. ")).isNull();
    }

    @Test
    void postalCodePhoneAndComposite() {
        assertThat(Normalizers.postalCode("02139-4307")).isEqualTo("02139");
        assertThat(Normalizers.postalCode("021394307")).isEqualTo("02139");
        assertThat(Normalizers.postalCode(" 02139 ")).isEqualTo("02139");
        assertThat(Normalizers.postalCode("sw1a 1aa")).isEqualTo("SW1A1AA");
        assertThat(Normalizers.phone("+1 (212) 555-0100")).isEqualTo("+12125550100");
        assertThat(Normalizers.phone("n/a")).isNull();
        assertThat(Normalizers.composite("|", "ana lopez", "1990-03-05")).isEqualTo("ana lopez|1990-03-05");
        assertThat(Normalizers.composite("|", "ana lopez", null)).isNull();
    }
}
