package io.crmconnect.quickstart;

import java.nio.file.Path;
import java.util.Locale;

/** Command-line options of the quickstart; every port can be moved when the default one is busy. */
final class Options {
    enum Scenario {
        /** HubSpot (simulator, or the real one with HUBSPOT_TOKEN) → Kafka → PostgreSQL. */
        HUBSPOT_TO_POSTGRES,
        /** HubSpot (simulator, or the real one with HUBSPOT_TOKEN) → Kafka → MariaDB. */
        HUBSPOT_TO_MARIADB,
        /** Rows in a Kafka topic → HubSpot (simulator) through the HubSpot sink. */
        TOPIC_TO_HUBSPOT,
        /** HubSpot ↔ Dynamics 365 (both simulators) two-way sync of contacts. */
        HUBSPOT_DYNAMICS,
        /** Seed 000: a Snowflake users table (wire fake) → Snowflake source → HubSpot sink → HubSpot contacts. */
        SNOWFLAKE_TO_HUBSPOT,
        /** Seed 004: BigQuery patients and ROI requests (REST fake) → BigQuery source → HubSpot contacts and ROIs. */
        BIGQUERY_TO_HUBSPOT
    }

    Path repo = Path.of(".").toAbsolutePath().normalize();
    Scenario scenario = Scenario.HUBSPOT_TO_POSTGRES;
    boolean headless;
    long untilRows = -1;
    int timeoutSeconds = 600;
    int kafkaPort = 9092;
    int controllerPort = 9093;
    int connectPort = 8083;
    int postgresPort = 15432;
    int mariadbPort = 13306;
    int simulatorPort = 8089;
    int dynamicsPort = 8090;
    int snowflakePort = 8091;
    int bigqueryPort = 8092;
    int contacts = 2_000;
    boolean contactsGiven;
    String hubspotToken = System.getenv("HUBSPOT_TOKEN");

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--repo" ->
                    options.repo =
                            Path.of(value(args, ++i, arg)).toAbsolutePath().normalize();
                case "--scenario" -> options.scenario = scenario(value(args, ++i, arg));
                case "--headless" -> options.headless = true;
                case "--until-rows" -> options.untilRows = Long.parseLong(value(args, ++i, arg));
                case "--timeout-seconds" -> options.timeoutSeconds = Integer.parseInt(value(args, ++i, arg));
                case "--kafka-port" -> options.kafkaPort = Integer.parseInt(value(args, ++i, arg));
                case "--controller-port" -> options.controllerPort = Integer.parseInt(value(args, ++i, arg));
                case "--connect-port" -> options.connectPort = Integer.parseInt(value(args, ++i, arg));
                case "--postgres-port" -> options.postgresPort = Integer.parseInt(value(args, ++i, arg));
                case "--mariadb-port" -> options.mariadbPort = Integer.parseInt(value(args, ++i, arg));
                case "--simulator-port" -> options.simulatorPort = Integer.parseInt(value(args, ++i, arg));
                case "--dynamics-port" -> options.dynamicsPort = Integer.parseInt(value(args, ++i, arg));
                case "--snowflake-port" -> options.snowflakePort = Integer.parseInt(value(args, ++i, arg));
                case "--bigquery-port" -> options.bigqueryPort = Integer.parseInt(value(args, ++i, arg));
                case "--contacts" -> {
                    options.contacts = Integer.parseInt(value(args, ++i, arg));
                    options.contactsGiven = true;
                }
                default -> throw new QuickstartException("Unknown option " + arg + ". " + usage());
            }
        }
        return options;
    }

    private static Scenario scenario(String name) {
        try {
            return Scenario.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new QuickstartException("Unknown scenario '" + name + "': use hubspot-to-postgres, "
                    + "hubspot-to-mariadb, topic-to-hubspot, hubspot-dynamics, snowflake-to-hubspot or "
                    + "bigquery-to-hubspot");
        }
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new QuickstartException(flag + " needs a value. " + usage());
        }
        return args[index];
    }

    /** The options are described once, by quickstart/run.sh --help (it answers before building anything). */
    static String usage() {
        return "Run quickstart/run.sh --help for the options.";
    }
}
