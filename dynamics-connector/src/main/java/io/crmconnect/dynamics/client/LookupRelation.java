package io.crmconnect.dynamics.client;

/**
 * A many-to-one relationship as the sink needs it for {@code @odata.bind}: the lookup column, the table it points
 * at and the single-valued navigation property to bind (e.g. {@code parentcustomerid} to account through
 * {@code parentcustomerid_account}).
 */
public record LookupRelation(String lookupColumn, String targetTable, String navigationProperty) {}
