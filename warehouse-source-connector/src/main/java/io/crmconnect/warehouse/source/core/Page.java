package io.crmconnect.warehouse.source.core;

import java.util.List;

/** Rows of one query and what the warehouse says it scanned for them (0 where it does not say). */
public record Page(List<SourceRow> rows, long bytesScanned) {}
