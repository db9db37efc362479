package io.crmconnect.simulator.dynamics;

/** A lookup value: the referenced table's logical name and the row id (lower-case GUID). */
record Ref(String table, String id) {}
