package io.crmconnect.simulator.hubspot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Built-in CRM object types: contacts, companies and deals with HubSpot's default properties
 * ({@link DefaultProperties}) plus the few newer ones the simulator also knows; the other types with a realistic subset.
 */
final class Catalog {
    private Catalog() {}

    static final String[][] LIFECYCLE = {
        {"Subscriber", "subscriber"},
        {"Lead", "lead"},
        {"Marketing Qualified Lead", "marketingqualifiedlead"},
        {"Sales Qualified Lead", "salesqualifiedlead"},
        {"Opportunity", "opportunity"},
        {"Customer", "customer"},
        {"Evangelist", "evangelist"},
        {"Other", "other"}
    };
    static final String[][] LEAD_STATUS = {
        {"New", "NEW"},
        {"Open", "OPEN"},
        {"In Progress", "IN_PROGRESS"},
        {"Open Deal", "OPEN_DEAL"},
        {"Unqualified", "UNQUALIFIED"},
        {"Attempted to Contact", "ATTEMPTED_TO_CONTACT"},
        {"Connected", "CONNECTED"},
        {"Bad Timing", "BAD_TIMING"}
    };
    static final String[][] BUYING_ROLE = {
        {"Blocker", "BLOCKER"},
        {"Budget Holder", "BUDGET_HOLDER"},
        {"Champion", "CHAMPION"},
        {"Decision Maker", "DECISION_MAKER"},
        {"End User", "END_USER"},
        {"Executive Sponsor", "EXECUTIVE_SPONSOR"},
        {"Influencer", "INFLUENCER"}
    };
    static final String[][] INDUSTRY = {
        {"Computer Software", "COMPUTER_SOFTWARE"},
        {"Banking", "BANKING"},
        {"Retail", "RETAIL"},
        {"Hospital & Health Care", "HOSPITAL_HEALTH_CARE"},
        {"Construction", "CONSTRUCTION"},
        {"Telecommunications", "TELECOMMUNICATIONS"},
        {"Education Management", "EDUCATION_MANAGEMENT"}
    };
    static final String[][] COMPANY_TYPE = {
        {"Prospect", "PROSPECT"},
        {"Partner", "PARTNER"},
        {"Reseller", "RESELLER"},
        {"Vendor", "VENDOR"},
        {"Other", "OTHER"}
    };
    static final String[][] DEAL_TYPE = {{"New Business", "newbusiness"}, {"Existing Business", "existingbusiness"}};
    /** Deals' hs_priority (lower-case values, unlike tickets' and tasks'). */
    static final String[][] DEAL_PRIORITY = {{"Low", "low"}, {"Medium", "medium"}, {"High", "high"}};

    static final String[][] ANALYTICS_SOURCE = {
        {"Organic Search", "ORGANIC_SEARCH"},
        {"Paid Search", "PAID_SEARCH"},
        {"Email Marketing", "EMAIL_MARKETING"},
        {"Social Media", "SOCIAL_MEDIA"},
        {"Referrals", "REFERRALS"},
        {"Other Campaigns", "OTHER_CAMPAIGNS"},
        {"Direct Traffic", "DIRECT_TRAFFIC"},
        {"Offline Sources", "OFFLINE"}
    };
    static final String[][] PRIORITY = {{"Low", "LOW"}, {"Medium", "MEDIUM"}, {"High", "HIGH"}, {"Urgent", "URGENT"}};
    static final String[][] TICKET_CATEGORY = {
        {"Product issue", "PRODUCT_ISSUE"},
        {"Billing issue", "BILLING_ISSUE"},
        {"Feature request", "FEATURE_REQUEST"},
        {"General inquiry", "GENERAL_INQUIRY"}
    };
    static final String[][] TASK_STATUS = {
        {"Not started", "NOT_STARTED"},
        {"In progress", "IN_PROGRESS"},
        {"Waiting", "WAITING"},
        {"Completed", "COMPLETED"},
        {"Deferred", "DEFERRED"}
    };
    static final String[][] CALL_DIRECTION = {{"Inbound", "INBOUND"}, {"Outbound", "OUTBOUND"}};
    static final String[][] MEETING_OUTCOME = {
        {"Scheduled", "SCHEDULED"},
        {"Completed", "COMPLETED"},
        {"Rescheduled", "RESCHEDULED"},
        {"No show", "NO_SHOW"},
        {"Canceled", "CANCELED"}
    };
    static final String[][] BILLING_FREQ = {
        {"One-time", "one_time"}, {"Monthly", "monthly"}, {"Quarterly", "quarterly"}, {"Annually", "annually"}
    };

    /** Small builder for property lists. */
    static final class Props {
        final List<PropertyDef> list = new ArrayList<>();
        final long createdAt;
        int order;

        Props(long createdAt) {
            this.createdAt = createdAt;
        }

        Props add(
                String name,
                String type,
                String fieldType,
                String group,
                String[][] options,
                boolean unique,
                boolean calculated,
                boolean readOnly) {
            List<String[]> opts = new ArrayList<>();
            if (options != null) {
                for (String[] o : options) {
                    opts.add(new String[] {o[0], o[1]});
                }
            }
            list.add(new PropertyDef(
                    name,
                    ObjectType.humanize(name),
                    type,
                    fieldType,
                    group,
                    opts,
                    unique,
                    calculated,
                    readOnly,
                    true,
                    "",
                    order++,
                    createdAt));
            return this;
        }

        Props str(String name, String group) {
            return add(name, "string", "text", group, null, false, false, false);
        }

        Props text(String name, String group) {
            return add(name, "string", "textarea", group, null, false, false, false);
        }

        Props num(String name, String group) {
            return add(name, "number", "number", group, null, false, false, false);
        }

        Props date(String name, String group) {
            return add(name, "date", "date", group, null, false, false, false);
        }

        Props dt(String name, String group) {
            return add(name, "datetime", "date", group, null, false, false, false);
        }

        Props roDt(String name, String group) {
            return add(name, "datetime", "date", group, null, false, false, true);
        }

        Props select(String name, String group, String[][] options) {
            return add(name, "enumeration", "select", group, options, false, false, false);
        }

        Props multi(String name, String group, String[][] options) {
            return add(name, "enumeration", "checkbox", group, options, false, false, false);
        }

        Props bool(String name, String group) {
            return add(
                    name,
                    "bool",
                    "booleancheckbox",
                    group,
                    new String[][] {{"Yes", "true"}, {"No", "false"}},
                    false,
                    false,
                    false);
        }

        Props phone(String name, String group) {
            return add(name, "phone_number", "phonenumber", group, null, false, false, false);
        }

        Props calc(String name, String type, String group) {
            return add(name, type, "calculation_equation", group, null, false, true, true);
        }

        Props systemId() {
            return add("hs_object_id", "number", "number", "system", null, false, true, true);
        }

        Props mergedIds() {
            return add("hs_merged_object_ids", "enumeration", "checkbox", "system", null, false, false, true);
        }
    }

    static List<ObjectType> builtins(long now) {
        List<ObjectType> out = new ArrayList<>();
        ObjectType contacts = new ObjectType(
                "contacts",
                "0-1",
                "contact",
                "contact",
                false,
                "createdate",
                "lastmodifieddate",
                List.of("firstname", "lastname", "email"),
                List.of(),
                "email",
                List.of("firstname", "lastname", "email", "phone", "company", "hs_additional_emails"),
                now);
        Props p = new Props(now)
                .systemId()
                .roDt("createdate", "contactinformation")
                .roDt("lastmodifieddate", "contactinformation")
                .mergedIds()
                .add("email", "string", "text", "contactinformation", null, true, false, false)
                .str("firstname", "contactinformation")
                .str("lastname", "contactinformation")
                .phone("phone", "contactinformation")
                .phone("mobilephone", "contactinformation")
                .str("address", "contactinformation")
                .str("city", "contactinformation")
                .str("state", "contactinformation")
                .str("zip", "contactinformation")
                .str("country", "contactinformation")
                .date("date_of_birth", "contactinformation")
                .str("company", "contactinformation")
                .str("jobtitle", "contactinformation")
                .str("website", "contactinformation")
                .select("lifecyclestage", "contactinformation", LIFECYCLE)
                .select("hs_lead_status", "sales_properties", LEAD_STATUS)
                .multi("hs_buying_role", "sales_properties", BUYING_ROLE)
                .num("annualrevenue", "contactinformation")
                .num("hubspot_owner_id", "sales_properties")
                .bool("hs_email_optout", "emailinformation")
                .dt("hs_last_sales_activity_timestamp", "sales_properties")
                .text("message", "contactinformation")
                .str("hs_additional_emails", "contactinformation")
                .calc("num_associated_deals", "number", "deal_information");
        addProperties(contacts, p);
        out.add(contacts);

        ObjectType companies = new ObjectType(
                "companies",
                "0-2",
                "company",
                "company",
                false,
                "createdate",
                "hs_lastmodifieddate",
                List.of("name", "domain"),
                List.of(),
                "name",
                List.of("name", "domain", "website", "phone"),
                now);
        p = new Props(now)
                .systemId()
                .roDt("createdate", "companyinformation")
                .roDt("hs_lastmodifieddate", "companyinformation")
                .mergedIds()
                .str("name", "companyinformation")
                .str("domain", "companyinformation")
                .str("website", "companyinformation")
                .phone("phone", "companyinformation")
                .str("address", "companyinformation")
                .str("city", "companyinformation")
                .str("state", "companyinformation")
                .str("zip", "companyinformation")
                .str("country", "companyinformation")
                .select("industry", "companyinformation", INDUSTRY)
                .select("type", "companyinformation", COMPANY_TYPE)
                .num("numberofemployees", "companyinformation")
                .num("annualrevenue", "companyinformation")
                .num("hubspot_owner_id", "companyinformation")
                .select("lifecyclestage", "companyinformation", LIFECYCLE)
                .bool("is_public", "companyinformation")
                .text("description", "companyinformation")
                .calc("num_associated_contacts", "number", "companyinformation");
        addProperties(companies, p);
        out.add(companies);

        ObjectType deals = new ObjectType(
                "deals",
                "0-3",
                "deal",
                "deal",
                false,
                "createdate",
                "hs_lastmodifieddate",
                List.of("dealname", "amount", "closedate", "pipeline", "dealstage"),
                List.of("dealname", "dealstage", "pipeline"),
                "dealname",
                List.of("dealname"),
                now);
        p = new Props(now)
                .systemId()
                .roDt("createdate", "dealinformation")
                .roDt("hs_lastmodifieddate", "dealinformation")
                .mergedIds()
                .str("dealname", "dealinformation")
                .num("amount", "dealinformation")
                .dt("closedate", "dealinformation")
                .select("pipeline", "dealinformation", new String[][] {})
                .select("dealstage", "dealinformation", new String[][] {})
                .select("dealtype", "dealinformation", DEAL_TYPE)
                .select("hs_priority", "dealinformation", DEAL_PRIORITY)
                .num("hubspot_owner_id", "dealinformation")
                .text("description", "dealinformation")
                .str("deal_currency_code", "dealinformation")
                .bool("hs_is_closed", "dealinformation")
                .calc("hs_deal_stage_probability", "number", "dealinformation")
                .calc("num_associated_contacts", "number", "dealinformation");
        addProperties(deals, p);
        out.add(deals);

        ObjectType tickets = new ObjectType(
                "tickets",
                "0-5",
                "ticket",
                "ticket",
                false,
                "createdate",
                "hs_lastmodifieddate",
                List.of(
                        "content",
                        "hs_pipeline",
                        "hs_pipeline_stage",
                        "hs_ticket_category",
                        "hs_ticket_priority",
                        "subject"),
                List.of("subject", "hs_pipeline_stage", "hs_pipeline"),
                "subject",
                List.of("subject", "content"),
                now);
        p = new Props(now)
                .systemId()
                .roDt("createdate", "ticketinformation")
                .roDt("hs_lastmodifieddate", "ticketinformation")
                .mergedIds()
                .str("subject", "ticketinformation")
                .text("content", "ticketinformation")
                .select("hs_pipeline", "ticketinformation", new String[][] {})
                .select("hs_pipeline_stage", "ticketinformation", new String[][] {})
                .multi("hs_ticket_category", "ticketinformation", TICKET_CATEGORY)
                .select("hs_ticket_priority", "ticketinformation", PRIORITY)
                .num("hubspot_owner_id", "ticketinformation")
                .dt("closed_date", "ticketinformation")
                .str("source_type", "ticketinformation");
        p.list.forEach(tickets::addProperty);
        out.add(tickets);

        ObjectType products = new ObjectType(
                "products",
                "0-7",
                "product",
                "product",
                false,
                "createdate",
                "hs_lastmodifieddate",
                List.of("name", "description", "price"),
                List.of(),
                "name",
                List.of("name", "hs_sku"),
                now);
        p = new Props(now)
                .systemId()
                .roDt("createdate", "productinformation")
                .roDt("hs_lastmodifieddate", "productinformation")
                .str("name", "productinformation")
                .text("description", "productinformation")
                .num("price", "productinformation")
                .add("hs_sku", "string", "text", "productinformation", null, true, false, false)
                .num("hs_cost_of_goods_sold", "productinformation")
                .select("recurringbillingfrequency", "productinformation", BILLING_FREQ);
        p.list.forEach(products::addProperty);
        out.add(products);

        ObjectType lineItems = new ObjectType(
                "line_items",
                "0-8",
                "line_item",
                "line_item",
                false,
                "createdate",
                "hs_lastmodifieddate",
                List.of("name", "quantity", "price", "amount"),
                List.of(),
                "name",
                List.of("name"),
                now);
        p = new Props(now)
                .systemId()
                .roDt("createdate", "lineiteminformation")
                .roDt("hs_lastmodifieddate", "lineiteminformation")
                .str("name", "lineiteminformation")
                .num("quantity", "lineiteminformation")
                .num("price", "lineiteminformation")
                .num("amount", "lineiteminformation")
                .num("hs_product_id", "lineiteminformation")
                .num("discount", "lineiteminformation")
                .str("hs_sku", "lineiteminformation");
        p.list.forEach(lineItems::addProperty);
        out.add(lineItems);

        out.add(engagement(
                "calls",
                "0-48",
                "call",
                now,
                new Props(now)
                        .str("hs_call_title", "call")
                        .text("hs_call_body", "call")
                        .num("hs_call_duration", "call")
                        .select("hs_call_direction", "call", CALL_DIRECTION)
                        .str("hs_call_status", "call"),
                List.of("hs_call_title")));
        out.add(engagement(
                "emails",
                "0-49",
                "email",
                now,
                new Props(now)
                        .str("hs_email_subject", "email")
                        .text("hs_email_text", "email")
                        .str("hs_email_direction", "email")
                        .str("hs_email_status", "email"),
                List.of("hs_email_subject")));
        out.add(engagement(
                "meetings",
                "0-47",
                "meeting",
                now,
                new Props(now)
                        .str("hs_meeting_title", "meeting")
                        .text("hs_meeting_body", "meeting")
                        .dt("hs_meeting_start_time", "meeting")
                        .dt("hs_meeting_end_time", "meeting")
                        .select("hs_meeting_outcome", "meeting", MEETING_OUTCOME),
                List.of("hs_meeting_title")));
        out.add(engagement(
                "notes", "0-46", "note", now, new Props(now).text("hs_note_body", "note"), List.of("hs_note_body")));
        out.add(engagement(
                "tasks",
                "0-27",
                "task",
                now,
                new Props(now)
                        .str("hs_task_subject", "task")
                        .text("hs_task_body", "task")
                        .select("hs_task_status", "task", TASK_STATUS)
                        .select("hs_task_priority", "task", PRIORITY),
                List.of("hs_task_subject")));
        return out;
    }

    /**
     * HubSpot's default properties and groups of the type ({@link DefaultProperties}), in their order, then the
     * simulator's own definitions of properties the defaults lack.
     */
    private static void addProperties(ObjectType t, Props own) {
        DefaultProperties.ObjectDefaults defaults = DefaultProperties.of(t.name);
        Set<String> seen = new HashSet<>();
        if (defaults != null) {
            defaults.groups().forEach(t::addGroup);
            int order = 0;
            for (DefaultProperties.Spec s : defaults.properties()) {
                t.addProperty(s.toDef(order++, own.createdAt));
                seen.add(s.name());
            }
        }
        for (PropertyDef d : own.list) {
            if (seen.add(d.name)) {
                t.addProperty(d);
            }
        }
    }

    private static ObjectType engagement(
            String name, String id, String singular, long now, Props specific, List<String> defaults) {
        List<String> defs = new ArrayList<>(List.of("hs_timestamp"));
        defs.addAll(defaults);
        ObjectType t = new ObjectType(
                name,
                id,
                singular,
                singular,
                false,
                "hs_createdate",
                "hs_lastmodifieddate",
                defs,
                List.of("hs_timestamp"),
                defaults.get(0),
                defaults,
                now);
        Props p = new Props(now)
                .systemId()
                .roDt("hs_createdate", singular)
                .roDt("hs_lastmodifieddate", singular)
                .dt("hs_timestamp", singular)
                .num("hubspot_owner_id", singular);
        p.list.forEach(t::addProperty);
        specific.list.forEach(t::addProperty);
        return t;
    }
}
