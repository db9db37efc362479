package io.crmconnect.common.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
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
        for (String text : List.of(
                "1990-03-05",
                "03/05/1990",
                "3/5/1990",
                "05.03.1990",
                "19900305",
                "Mar 5, 1990",
                "5 March 1990",
                "1990-03-05T00:00:00Z")) {
            assertThat(Normalizers.dateOfBirth(text, d)).as(text).isEqualTo("1990-03-05");
        }
        assertThat(Normalizers.dateOfBirth(new Date(0), d)).isEqualTo("1970-01-01");
        assertThat(Normalizers.dateOfBirth(LocalDate.of(2000, 2, 29), d)).isEqualTo("2000-02-29");
        assertThat(Normalizers.dateOfBirth(" ", d)).isNull();
        assertThatThrownBy(() -> Normalizers.dateOfBirth("02/30/1990", d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a date");
        assertThatThrownBy(() -> Normalizers.dateOfBirth("soon", d)).isInstanceOf(IllegalArgumentException.class);
        Normalizers.DateFormats european = new Normalizers.DateFormats(List.of("dd/MM/yyyy"));
        assertThat(Normalizers.dateOfBirth("05/03/1990", european)).isEqualTo("1990-03-05");
    }

    @Test
    void postalAddress() {
        assertThat(Normalizers.postalAddress("123 North Main Street, Apt. #4B")).isEqualTo("123 n main st apt 4b");
        assertThat(Normalizers.postalAddress("123 N. MAIN ST APARTMENT 4B")).isEqualTo("123 n main st apt 4b");
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

    @Test
    void personNameFastPathAgreesWithTheGeneralPath() {
        // ASCII and table-folded letters take the char-by-char path; anything else (combining marks, fullwidth
        // forms, other scripts, typographic apostrophes) goes through Normalizer as before. Both must agree.
        String alphabet =
                "abcXYZ09 -.,'`\t" + "\u00e9\u00c9\u00df\u00f8\u00d8\u00e6\u00b4\u00a0\u00ff\u0141\u0142\u017b\u0153"
                        + "\u0301\u2019\uff2a\u0416\u540d\u01c5\u0085\u1e9e";
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 50_000; i++) {
            String[] parts = new String[1 + random.nextInt(3)];
            for (int p = 0; p < parts.length; p++) {
                if (random.nextInt(8) == 0) {
                    continue; // null part
                }
                StringBuilder b = new StringBuilder();
                int len = random.nextInt(9);
                boolean asciiOnly = random.nextBoolean();
                for (int c = 0; c < len; c++) {
                    b.append(alphabet.charAt(random.nextInt(asciiOnly ? 16 : alphabet.length())));
                }
                parts[p] = b.toString();
            }
            assertThat(Normalizers.personName(parts))
                    .as(Arrays.toString(parts))
                    .isEqualTo(Normalizers.personNameSlow(parts));
            if (parts[0] != null) {
                assertThat(Normalizers.personName(parts[0]))
                        .as(parts[0])
                        .isEqualTo(Normalizers.personNameSlow(parts[0]));
            }
        }
        // outside the table: the general path, same answers as before
        assertThat(Normalizers.personName("Jose\u0301")).isEqualTo("jose");
        assertThat(Normalizers.personName("\uff2a\uff4f\uff53\u00e9")).isEqualTo("jose");
        assertThat(Normalizers.personName("O\u2019Brien")).isEqualTo("obrien");
        assertThat(Normalizers.personName("\u0416\u0443\u043a")).isEqualTo("\u0436\u0443\u043a");
        assertThat(Normalizers.personName("Ana", "", "L\u00f3pez")).isEqualTo("ana  lopez"); // unchanged quirk
    }

    @Test
    void emailLowerCasesLatin1WithoutChangingOtherText() {
        assertThat(Normalizers.email(" \u00c0NA.\u00deOR@Example.COM ")).isEqualTo("\u00e0na.\u00feor@example.com");
        assertThat(Normalizers.email("A\u00d7B@X.COM")).isEqualTo("a\u00d7b@x.com"); // the multiplication sign stays
        assertThat(Normalizers.email("\u0141UKASZ@X.PL")).isEqualTo("\u0142ukasz@x.pl"); // beyond Latin-1
        assertThat(Normalizers.composite("|", "a")).isEqualTo("a");
        assertThat(Normalizers.composite("--", "a", "b", "c")).isEqualTo("a--b--c");
    }
}
