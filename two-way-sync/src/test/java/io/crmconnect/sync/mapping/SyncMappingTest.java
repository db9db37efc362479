package io.crmconnect.sync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyncMappingTest {
    static final String CONTACTS = """
            objects:
              contact:
                hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
                dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
                            match_key: emailaddress1, integration_user: 11111111-2222-3333-4444-555555555555 }
                defaults: { direction: both, merge: overwrite, conflict: most_recent_wins, tie_breaker: dynamics }
                fields:
                  email:     { hubspot: email, dynamics: emailaddress1, conflict: "source_of_truth:hubspot" }
                  firstname: { hubspot: firstname, dynamics: firstname }
                  jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
                  phone:     { hubspot: phone, dynamics: telephone1, merge: fill_if_missing }
                  notes:     { hubspot: hs_notes, dynamics: description, direction: none }
                  country:   { hubspot: country, dynamics: address1_country,
                               values: { US: United States, DE: Germany } }
            """;

    @Test
    void parsesRulesWithDefaults() {
        ObjectMapping m = SyncMapping.parse(CONTACTS).object("");
        assertEquals("contacts", m.hubspot().object());
        assertEquals("hs_object_id", m.hubspot().idField());
        assertEquals("updatedAt", m.hubspot().modifiedField());
        assertEquals("modifiedon", m.dynamics().modifiedField());
        assertEquals("modifiedby", m.dynamics().modifiedByField());
        assertEquals(
                ConflictPolicy.sourceOfTruth(Side.HUBSPOT), m.field("email").conflict());
        assertEquals(
                ConflictPolicy.mostRecentWins(Side.DYNAMICS),
                m.field("firstname").conflict());
        assertEquals(Direction.D365_TO_HUBSPOT, m.field("jobtitle").direction());
        assertEquals(MergePolicy.FILL_IF_MISSING, m.field("phone").merge());
        assertEquals(MergePolicy.OVERWRITE, m.field("firstname").merge());
        assertEquals(Direction.NONE, m.field("notes").direction());
        assertEquals("telephone1", m.field("phone").on(Side.DYNAMICS));
        assertEquals(Direction.NONE, m.deletes(), "deletions stay on their side unless the mapping says so");
    }

    @Test
    void deletesTravelTheWayTheMappingSays() {
        String yaml = CONTACTS.replace("    fields:\n", "    deletes: hubspot_to_d365\n    fields:\n");
        ObjectMapping m = SyncMapping.parse(yaml).object("contact");
        assertEquals(Direction.HUBSPOT_TO_D365, m.deletes());
        assertTrue(m.deletes().allows(Side.HUBSPOT));
        assertEquals(false, m.deletes().allows(Side.DYNAMICS));
        assertMessage(
                "objects.contact.deletes: 'always' is not none, both, hubspot_to_d365 or d365_to_hubspot",
                CONTACTS.replace("    fields:\n", "    deletes: always\n    fields:\n"));
    }

    @Test
    void valueMapsTranslateBothWaysCaseInsensitively() {
        ValueMap v =
                SyncMapping.parse(CONTACTS).object("contact").field("country").values();
        assertEquals("US", v.toCanonical(Side.DYNAMICS, "united states"));
        assertEquals("DE", v.toCanonical(Side.HUBSPOT, "de"));
        assertEquals("Germany", v.fromCanonical(Side.DYNAMICS, "DE"));
        assertEquals("US", v.fromCanonical(Side.HUBSPOT, "US"));
        assertEquals(null, v.toCanonical(Side.DYNAMICS, "France"));
        assertTrue(ValueMap.IDENTITY.isIdentity());
    }

    @Test
    void errorsNameTheirPath() {
        assertMessage(
                "objects.contact.fields.email.conflct: unknown key",
                CONTACTS.replace("conflict: \"source_of_truth:hubspot\"", "conflct: x"));
        assertMessage(
                "objects.contact.fields.jobtitle.direction: 'sideways' is not one of",
                CONTACTS.replace("direction: d365_to_hubspot", "direction: sideways"));
        assertMessage(
                "objects.contact.fields.phone.dynamics: column 'emailaddress1' is linked by two fields",
                CONTACTS.replace("dynamics: telephone1", "dynamics: emailaddress1"));
        assertMessage(
                "objects.contact.fields.email.conflict: 'salesforce' is not hubspot or dynamics",
                CONTACTS.replace("source_of_truth:hubspot", "source_of_truth:salesforce"));
        assertMessage(
                "objects.contact.fields.country.values: values 'US' and 'DE' map to the same",
                CONTACTS.replace("DE: Germany", "DE: United States"));
        assertMessage(
                "objects.contact.fields.firstname.dynamics: 'crmc_syncstate' holds the id, link or sync state",
                CONTACTS.replace("dynamics: firstname", "dynamics: crmc_syncstate"));
        assertMessage("objects.contact.hubspot.state: required", CONTACTS.replace("state: crmconnect_sync_state,", ""));
        assertMessage("objects: no object 'company'", CONTACTS, "company");
        assertMessage("the mapping needs an 'objects' map", "fields: {}");
    }

    private static void assertMessage(String expected, String yaml) {
        assertMessage(expected, yaml, "contact");
    }

    private static void assertMessage(String expected, String yaml, String object) {
        SyncMapping.MappingException e = assertThrows(
                SyncMapping.MappingException.class,
                () -> SyncMapping.parse(yaml).object(object));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
