package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a collection read: the rows (each with its annotations), the ids Dataverse reported deleted (delta
 * reads only), and where to go next: {@code nextLink} while pages remain, {@code deltaLink} on the last page of a
 * change-tracking read.
 */
public record RowPage(List<ObjectNode> rows, List<String> deletedIds, String nextLink, String deltaLink) {}
