package io.crmconnect.runner.it;

import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.SqlServer;

/** HubSpot (simulator) -> runner -> MariaDB, with the shipped hubspot-to-mariadb example. */
class HubSpotToMariaDbRunnerIT extends HubSpotToDatabaseRunnerIT {
    @Override
    SqlServer server() {
        return MariaDbServer.shared();
    }

    @Override
    String examplePipeline() {
        return "hubspot-to-mariadb.properties";
    }
}
