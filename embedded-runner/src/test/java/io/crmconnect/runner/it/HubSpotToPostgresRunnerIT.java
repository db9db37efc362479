package io.crmconnect.runner.it;

import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;

/** HubSpot (simulator) -> runner -> PostgreSQL, with the shipped hubspot-to-postgres example. */
class HubSpotToPostgresRunnerIT extends HubSpotToDatabaseRunnerIT {
    @Override
    SqlServer server() {
        return PostgresServer.shared();
    }

    @Override
    String examplePipeline() {
        return "hubspot-to-postgres.properties";
    }
}
