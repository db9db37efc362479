package io.crmconnect.jdbc;

/** A value already rendered as JSON text, for jsonb (PostgreSQL) and JSON (MariaDB) columns. */
public record JsonText(String json) {
    @Override
    public String toString() {
        return json;
    }
}
