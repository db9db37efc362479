package io.crmconnect.simulator.dynamics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables the simulator serves: contact, account, lead, opportunity, the custom table crmc_project (publisher
 * prefix {@code crmc_}), and the system tables their lookups point at (systemuser, transactioncurrency). Column
 * names, types, navigation properties and option values follow Dataverse's published table reference.
 */
final class Schema {
    /** Publisher customization prefix of the custom table and custom columns. */
    static final String PREFIX = "crmc_";

    final Map<String, TableDef> byLogical = new LinkedHashMap<>();
    final Map<String, TableDef> bySet = new LinkedHashMap<>();

    List<TableDef> tables() {
        return new ArrayList<>(byLogical.values());
    }

    TableDef table(String logical) {
        return byLogical.get(logical);
    }

    TableDef set(String entitySet) {
        return bySet.get(entitySet);
    }

    private void register(TableDef t) {
        t.seal();
        byLogical.put(t.logicalName, t);
        bySet.put(t.entitySetName, t);
    }

    static Schema standard() {
        Schema s = new Schema();
        s.register(contact());
        s.register(account());
        s.register(lead());
        s.register(opportunity());
        s.register(project());
        s.register(systemuser());
        s.register(currency());
        return s;
    }

    private static void idColumn(TableDef t, String id) {
        String schema = t.custom ? PREFIX + t.schemaName.substring(PREFIX.length()) + "Id" : t.schemaName + "Id";
        t.attr(id, schema, AttrType.UNIQUEIDENTIFIER, t.displayName).createOnly().primaryId = true;
        t.primaryIdAttribute = id;
    }

    private static void nameColumn(TableDef t, String name, String schema, int max, String display) {
        Attr a = t.attr(name, schema, AttrType.STRING, display).max(max).required("ApplicationRequired");
        a.primaryName = true;
        t.primaryNameAttribute = name;
    }

    /** createdon, modifiedon, versionnumber, createdby, modifiedby (+ ownerid, statecode, statuscode). */
    private static void systemColumns(TableDef t, boolean owned, String[] states, String[][] statuses) {
        t.attr("createdon", "CreatedOn", AttrType.DATETIME, "Created On").readOnly();
        t.attr("modifiedon", "ModifiedOn", AttrType.DATETIME, "Modified On").readOnly();
        t.attr("versionnumber", "VersionNumber", AttrType.BIGINT, "Version Number")
                .readOnly();
        t.attr("createdby", "CreatedBy", AttrType.LOOKUP, "Created By")
                .target("systemuser", "createdby")
                .readOnly();
        t.attr("modifiedby", "ModifiedBy", AttrType.LOOKUP, "Modified By")
                .target("systemuser", "modifiedby")
                .readOnly();
        if (owned) {
            t.attr("ownerid", "OwnerId", AttrType.OWNER, "Owner")
                    .target("systemuser", "ownerid")
                    .required("SystemRequired");
        }
        if (states != null) {
            Attr st = t.attr("statecode", "StateCode", AttrType.STATE, "Status")
                    .required("SystemRequired")
                    .dflt(0);
            for (int i = 0; i < states.length; i++) {
                st.option(i, states[i]);
            }
            Attr ss = t.attr("statuscode", "StatusCode", AttrType.STATUS, "Status Reason")
                    .dflt(Integer.parseInt(statuses[0][0]));
            for (String[] x : statuses) {
                ss.status(Integer.parseInt(x[0]), x[1], Integer.parseInt(x[2]));
            }
        }
    }

    private static void currencyColumn(TableDef t) {
        t.attr("transactioncurrencyid", "TransactionCurrencyId", AttrType.LOOKUP, "Currency")
                .target("transactioncurrency", "transactioncurrencyid");
    }

    static TableDef contact() {
        TableDef t = new TableDef("contact", "Contact", "contacts", "Contact", "Contacts", 2);
        idColumn(t, "contactid");
        t.attr("firstname", "FirstName", AttrType.STRING, "First Name").max(50);
        t.attr("lastname", "LastName", AttrType.STRING, "Last Name").max(50).required("ApplicationRequired");
        Attr full = t.attr("fullname", "FullName", AttrType.STRING, "Full Name")
                .max(160)
                .readOnly();
        full.primaryName = true;
        t.primaryNameAttribute = "fullname";
        t.attr("emailaddress1", "EMailAddress1", AttrType.STRING, "Email").max(100);
        t.attr("emailaddress2", "EMailAddress2", AttrType.STRING, "Email Address 2")
                .max(100);
        t.attr("telephone1", "Telephone1", AttrType.STRING, "Business Phone").max(50);
        t.attr("mobilephone", "MobilePhone", AttrType.STRING, "Mobile Phone").max(50);
        t.attr("jobtitle", "JobTitle", AttrType.STRING, "Job Title").max(100);
        t.attr("birthdate", "BirthDate", AttrType.DATETIME, "Birthday").behavior(Attr.DATE_ONLY);
        t.attr("address1_line1", "Address1_Line1", AttrType.STRING, "Address 1: Street 1")
                .max(250);
        t.attr("address1_city", "Address1_City", AttrType.STRING, "Address 1: City")
                .max(80);
        t.attr("address1_stateorprovince", "Address1_StateOrProvince", AttrType.STRING, "Address 1: State/Province")
                .max(50);
        t.attr("address1_postalcode", "Address1_PostalCode", AttrType.STRING, "Address 1: ZIP/Postal Code")
                .max(20);
        t.attr("address1_country", "Address1_Country", AttrType.STRING, "Address 1: Country/Region")
                .max(80);
        t.attr("gendercode", "GenderCode", AttrType.PICKLIST, "Gender")
                .option(1, "Male")
                .option(2, "Female");
        t.attr(
                        "preferredcontactmethodcode",
                        "PreferredContactMethodCode",
                        AttrType.PICKLIST,
                        "Preferred Method of Contact")
                .option(1, "Any")
                .option(2, "Email")
                .option(3, "Phone")
                .option(4, "Fax")
                .option(5, "Mail")
                .dflt(1);
        t.attr("donotemail", "DoNotEMail", AttrType.BOOLEAN, "Do not allow Emails")
                .option(0, "Allow")
                .option(1, "Do Not Allow")
                .dflt(0);
        t.attr("creditlimit", "CreditLimit", AttrType.MONEY, "Credit Limit").precision(2);
        t.attr("numberofchildren", "NumberOfChildren", AttrType.INTEGER, "No. of Children");
        t.attr("description", "Description", AttrType.MEMO, "Description").max(2000);
        t.attr("parentcustomerid", "ParentCustomerId", AttrType.CUSTOMER, "Company Name")
                .target("account", "parentcustomerid_account")
                .target("contact", "parentcustomerid_contact");
        currencyColumn(t);
        t.attr("crmc_hubspotid", "crmc_HubSpotId", AttrType.STRING, "HubSpot Id")
                .max(100);
        t.attr("crmc_interests", "crmc_Interests", AttrType.MULTISELECT, "Interests")
                .option(100000000, "Hiking")
                .option(100000001, "Cooking")
                .option(100000002, "Music")
                .option(100000003, "Travel")
                .option(100000004, "Sports");
        t.attr("crmc_lastsyncedon", "crmc_LastSyncedOn", AttrType.DATETIME, "Last Synced On")
                .behavior(Attr.TZ_INDEPENDENT);
        t.attr("crmc_score", "crmc_Score", AttrType.DECIMAL, "Lead Score").precision(2);
        // Holds the two-way sync's state (fingerprints of the last synced values), like a column users add for it.
        t.attr("crmc_syncstate", "crmc_SyncState", AttrType.MEMO, "Sync State").max(4000);
        systemColumns(t, true, new String[] {"Active", "Inactive"}, new String[][] {
            {"1", "Active", "0"}, {"2", "Inactive", "1"}
        });
        t.key("crmc_email_key", "emailaddress1");
        t.key("crmc_hubspotid_key", "crmc_hubspotid");
        t.key("crmc_firstname_email_key", "firstname", "emailaddress1");
        return t;
    }

    static TableDef account() {
        TableDef t = new TableDef("account", "Account", "accounts", "Account", "Accounts", 1);
        idColumn(t, "accountid");
        nameColumn(t, "name", "Name", 160, "Account Name");
        t.attr("accountnumber", "AccountNumber", AttrType.STRING, "Account Number")
                .max(20);
        t.attr("telephone1", "Telephone1", AttrType.STRING, "Main Phone").max(50);
        t.attr("emailaddress1", "EMailAddress1", AttrType.STRING, "Email").max(100);
        t.attr("websiteurl", "WebSiteURL", AttrType.STRING, "Website").max(200);
        t.attr("address1_city", "Address1_City", AttrType.STRING, "Address 1: City")
                .max(80);
        t.attr("address1_country", "Address1_Country", AttrType.STRING, "Address 1: Country/Region")
                .max(80);
        t.attr("revenue", "Revenue", AttrType.MONEY, "Annual Revenue").precision(2);
        t.attr("numberofemployees", "NumberOfEmployees", AttrType.INTEGER, "Number of Employees");
        t.attr("industrycode", "IndustryCode", AttrType.PICKLIST, "Industry")
                .option(1, "Accounting")
                .option(2, "Agriculture and Non-petrol Natural Resource Extraction")
                .option(3, "Broadcasting Printing " + "and Publishing")
                .option(4, "Brokers")
                .option(5, "Building Supply Retail")
                .option(6, "Business Services")
                .option(7, "Consulting")
                .option(8, "Consumer Services")
                .option(9, "Design, Direction and Creative Management")
                .option(10, "Distributors, Dispatchers and " + "Processors")
                .option(33, "Wholesale");
        t.attr("customertypecode", "CustomerTypeCode", AttrType.PICKLIST, "Relationship Type")
                .option(1, "Competitor")
                .option(2, "Consultant")
                .option(3, "Customer")
                .option(4, "Investor")
                .option(5, "Partner")
                .option(6, "Influencer")
                .option(7, "Press")
                .option(8, "Prospect")
                .option(9, "Reseller")
                .option(10, "Supplier")
                .option(11, "Vendor")
                .option(12, "Other");
        t.attr("primarycontactid", "PrimaryContactId", AttrType.LOOKUP, "Primary Contact")
                .target("contact", "primarycontactid");
        t.attr("parentaccountid", "ParentAccountId", AttrType.LOOKUP, "Parent Account")
                .target("account", "parentaccountid");
        t.attr("description", "Description", AttrType.MEMO, "Description").max(2000);
        currencyColumn(t);
        t.attr("crmc_hubspotid", "crmc_HubSpotId", AttrType.STRING, "HubSpot Id")
                .max(100);
        systemColumns(t, true, new String[] {"Active", "Inactive"}, new String[][] {
            {"1", "Active", "0"}, {"2", "Inactive", "1"}
        });
        t.key("crmc_accountnumber_key", "accountnumber");
        t.key("crmc_hubspotid_key", "crmc_hubspotid");
        t.key("crmc_name_city_key", "name", "address1_city");
        return t;
    }

    static TableDef lead() {
        TableDef t = new TableDef("lead", "Lead", "leads", "Lead", "Leads", 4);
        idColumn(t, "leadid");
        t.attr("subject", "Subject", AttrType.STRING, "Topic").max(300).required("ApplicationRequired");
        t.attr("firstname", "FirstName", AttrType.STRING, "First Name").max(50);
        t.attr("lastname", "LastName", AttrType.STRING, "Last Name").max(50);
        Attr full =
                t.attr("fullname", "FullName", AttrType.STRING, "Name").max(160).readOnly();
        full.primaryName = true;
        t.primaryNameAttribute = "fullname";
        t.attr("emailaddress1", "EMailAddress1", AttrType.STRING, "Email").max(100);
        t.attr("companyname", "CompanyName", AttrType.STRING, "Company Name").max(100);
        t.attr("telephone1", "Telephone1", AttrType.STRING, "Business Phone").max(50);
        t.attr("jobtitle", "JobTitle", AttrType.STRING, "Job Title").max(100);
        t.attr("leadsourcecode", "LeadSourceCode", AttrType.PICKLIST, "Lead Source")
                .option(1, "Advertisement")
                .option(2, "Employee Referral")
                .option(3, "External Referral")
                .option(4, "Partner")
                .option(5, "Public Relations")
                .option(6, "Seminar")
                .option(7, "Trade Show")
                .option(8, "Web")
                .option(9, "Word of Mouth")
                .option(10, "Other");
        t.attr("leadqualitycode", "LeadQualityCode", AttrType.PICKLIST, "Rating")
                .option(1, "Hot")
                .option(2, "Warm")
                .option(3, "Cold")
                .dflt(2);
        t.attr("estimatedamount", "EstimatedAmount", AttrType.MONEY, "Est. Value")
                .precision(2);
        t.attr("parentaccountid", "ParentAccountId", AttrType.LOOKUP, "Parent Account for lead")
                .target("account", "parentaccountid");
        t.attr("parentcontactid", "ParentContactId", AttrType.LOOKUP, "Parent Contact for lead")
                .target("contact", "parentcontactid");
        t.attr("description", "Description", AttrType.MEMO, "Description").max(2000);
        currencyColumn(t);
        t.attr("crmc_hubspotid", "crmc_HubSpotId", AttrType.STRING, "HubSpot Id")
                .max(100);
        systemColumns(t, true, new String[] {"Open", "Qualified", "Disqualified"}, new String[][] {
            {"1", "New", "0"},
            {"2", "Contacted", "0"},
            {"3", "Qualified", "1"},
            {"4", "Lost", "2"},
            {"5", "Cannot Contact", "2"},
            {"6", "No Longer Interested", "2"},
            {"7", "Canceled", "2"}
        });
        t.key("crmc_hubspotid_key", "crmc_hubspotid");
        return t;
    }

    static TableDef opportunity() {
        TableDef t = new TableDef("opportunity", "Opportunity", "opportunities", "Opportunity", "Opportunities", 3);
        idColumn(t, "opportunityid");
        nameColumn(t, "name", "Name", 300, "Topic");
        t.attr("estimatedvalue", "EstimatedValue", AttrType.MONEY, "Est. Revenue")
                .precision(2);
        t.attr("estimatedclosedate", "EstimatedCloseDate", AttrType.DATETIME, "Est. Close Date")
                .behavior(Attr.DATE_ONLY);
        t.attr("closeprobability", "CloseProbability", AttrType.INTEGER, "Probability");
        t.attr("customerid", "CustomerId", AttrType.CUSTOMER, "Potential Customer")
                .target("account", "customerid_account")
                .target("contact", "customerid_contact");
        t.attr("parentaccountid", "ParentAccountId", AttrType.LOOKUP, "Account").target("account", "parentaccountid");
        t.attr("parentcontactid", "ParentContactId", AttrType.LOOKUP, "Contact").target("contact", "parentcontactid");
        t.attr("opportunityratingcode", "OpportunityRatingCode", AttrType.PICKLIST, "Rating")
                .option(1, "Hot")
                .option(2, "Warm")
                .option(3, "Cold")
                .dflt(2);
        t.attr("salesstage", "SalesStage", AttrType.PICKLIST, "Sales Stage")
                .option(0, "Qualify")
                .option(1, "Develop")
                .option(2, "Propose")
                .option(3, "Close");
        t.attr("description", "Description", AttrType.MEMO, "Description").max(2000);
        currencyColumn(t);
        t.attr("crmc_hubspotid", "crmc_HubSpotId", AttrType.STRING, "HubSpot Id")
                .max(100);
        systemColumns(t, true, new String[] {"Open", "Won", "Lost"}, new String[][] {
            {"1", "In Progress", "0"},
            {"2", "On Hold", "0"},
            {"3", "Won", "1"},
            {"4", "Canceled", "2"},
            {"5", "Out-Sold", "2"}
        });
        t.key("crmc_hubspotid_key", "crmc_hubspotid");
        return t;
    }

    static TableDef project() {
        TableDef t = new TableDef("crmc_project", "crmc_Project", "crmc_projects", "Project", "Projects", 10_245);
        idColumn(t, "crmc_projectid");
        nameColumn(t, "crmc_name", "crmc_Name", 100, "Name");
        t.attr("crmc_code", "crmc_Code", AttrType.STRING, "Code").max(20);
        t.attr("crmc_budget", "crmc_Budget", AttrType.MONEY, "Budget").precision(2);
        t.attr("crmc_startdate", "crmc_StartDate", AttrType.DATETIME, "Start Date")
                .behavior(Attr.DATE_ONLY);
        t.attr("crmc_deadline", "crmc_Deadline", AttrType.DATETIME, "Deadline").behavior(Attr.TZ_INDEPENDENT);
        t.attr("crmc_score", "crmc_Score", AttrType.DOUBLE, "Score").precision(4);
        t.attr("crmc_hours", "crmc_Hours", AttrType.DECIMAL, "Hours").precision(2);
        t.attr("crmc_priority", "crmc_Priority", AttrType.INTEGER, "Priority");
        t.attr("crmc_active", "crmc_Active", AttrType.BOOLEAN, "Active")
                .option(0, "No")
                .option(1, "Yes")
                .dflt(1);
        t.attr("crmc_stage", "crmc_Stage", AttrType.PICKLIST, "Stage")
                .option(100000000, "Planned")
                .option(100000001, "Active")
                .option(100000002, "Done");
        t.attr("crmc_tags", "crmc_Tags", AttrType.MULTISELECT, "Tags")
                .option(100000000, "Data")
                .option(100000001, "Sync")
                .option(100000002, "Migration")
                .option(100000003, "Analytics");
        t.attr("crmc_accountid", "crmc_AccountId", AttrType.LOOKUP, "Account").target("account", "crmc_AccountId");
        currencyColumn(t);
        systemColumns(t, true, new String[] {"Active", "Inactive"}, new String[][] {
            {"1", "Active", "0"}, {"2", "Inactive", "1"}
        });
        t.key("crmc_code_key", "crmc_code");
        t.key("crmc_account_name_key", "crmc_accountid", "crmc_name");
        return t;
    }

    static TableDef systemuser() {
        TableDef t = new TableDef("systemuser", "SystemUser", "systemusers", "User", "Users", 8);
        idColumn(t, "systemuserid");
        Attr full = t.attr("fullname", "FullName", AttrType.STRING, "Full Name")
                .max(200)
                .readOnly();
        full.primaryName = true;
        t.primaryNameAttribute = "fullname";
        t.attr("firstname", "FirstName", AttrType.STRING, "First Name").max(64);
        t.attr("lastname", "LastName", AttrType.STRING, "Last Name").max(64);
        t.attr("domainname", "DomainName", AttrType.STRING, "User Name").max(1024);
        t.attr("internalemailaddress", "InternalEMailAddress", AttrType.STRING, "Primary Email")
                .max(100);
        t.attr("applicationid", "ApplicationId", AttrType.UNIQUEIDENTIFIER, "Application ID");
        t.attr("isdisabled", "IsDisabled", AttrType.BOOLEAN, "Status")
                .option(0, "Enabled")
                .option(1, "Disabled")
                .dflt(0);
        systemColumns(t, false, null, null);
        t.ownershipType = "BusinessOwned";
        t.readOnly = true;
        t.changeTracking = false;
        return t;
    }

    static TableDef currency() {
        TableDef t = new TableDef(
                "transactioncurrency", "TransactionCurrency", "transactioncurrencies", "Currency", "Currencies", 9105);
        idColumn(t, "transactioncurrencyid");
        nameColumn(t, "currencyname", "CurrencyName", 100, "Currency Name");
        t.attr("isocurrencycode", "ISOCurrencyCode", AttrType.STRING, "Currency Code")
                .max(5);
        t.attr("currencysymbol", "CurrencySymbol", AttrType.STRING, "Currency Symbol")
                .max(13);
        t.attr("exchangerate", "ExchangeRate", AttrType.DECIMAL, "Exchange Rate")
                .precision(10);
        systemColumns(t, false, new String[] {"Active", "Inactive"}, new String[][] {
            {"1", "Active", "0"}, {"2", "Inactive", "1"}
        });
        t.ownershipType = "OrganizationOwned";
        t.readOnly = true;
        t.changeTracking = false;
        return t;
    }
}
