package io.crmconnect.dynamics.sink;

import io.crmconnect.dynamics.client.AlternateKey;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.LookupRelation;
import io.crmconnect.dynamics.client.TableMetadata;
import java.util.List;
import java.util.Map;

/** A small contact table's metadata for tests of pure planning code. */
final class Fixtures {
    private Fixtures() {}

    static ColumnMetadata col(
            String name,
            String type,
            String typeName,
            Map<Integer, String> options,
            List<String> targets,
            String behaviour) {
        return new ColumnMetadata(
                name, type, typeName, true, true, true, null, false, behaviour, null, null, options, targets);
    }

    static TableMetadata contact() {
        return new TableMetadata(
                "contact",
                "contacts",
                "contactid",
                "fullname",
                true,
                List.of(
                        col("contactid", "Uniqueidentifier", "UniqueidentifierType", Map.of(), List.of(), null),
                        col("emailaddress1", "String", "StringType", Map.of(), List.of(), null),
                        col("firstname", "String", "StringType", Map.of(), List.of(), null),
                        col("lastname", "String", "StringType", Map.of(), List.of(), null),
                        col("jobtitle", "String", "StringType", Map.of(), List.of(), null),
                        col("gendercode", "Picklist", "PicklistType", Map.of(1, "Male", 2, "Female"), List.of(), null),
                        col(
                                "crmc_interests",
                                "Virtual",
                                "MultiSelectPicklistType",
                                Map.of(100000000, "Hiking", 100000001, "Cooking"),
                                List.of(),
                                null),
                        col("creditlimit", "Money", "MoneyType", Map.of(), List.of(), null),
                        col("birthdate", "DateTime", "DateTimeType", Map.of(), List.of(), "DateOnly"),
                        col(
                                "parentcustomerid",
                                "Customer",
                                "CustomerType",
                                Map.of(),
                                List.of("account", "contact"),
                                null)),
                List.of(new AlternateKey("email_key", List.of("emailaddress1"), "Active")),
                List.of(new LookupRelation("parentcustomerid", "account", "parentcustomerid_account")));
    }

    static TableMetadata account() {
        return new TableMetadata(
                "account",
                "accounts",
                "accountid",
                "name",
                true,
                List.of(
                        col("accountid", "Uniqueidentifier", "UniqueidentifierType", Map.of(), List.of(), null),
                        col("accountnumber", "String", "StringType", Map.of(), List.of(), null)),
                List.of(),
                List.of());
    }
}
