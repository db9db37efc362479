package io.crmconnect.dynamics.source;

import java.util.UUID;
import org.apache.kafka.connect.data.Struct;

/**
 * One row read from Dataverse, converted on the fetch thread: its id (also as a UUID for the id set, null when the
 * id is not a GUID), the value Struct, and what ordering needs ({@code modifiedon} in epoch ms and
 * {@code versionnumber}, {@link Long#MIN_VALUE} when absent).
 */
record SourceRow(String id, UUID uuid, Struct value, long modifiedOn, long version) {}
