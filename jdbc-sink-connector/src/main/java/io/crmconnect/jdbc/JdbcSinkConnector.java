package io.crmconnect.jdbc;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.common.connector.TaskConfigs;
import io.crmconnect.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thin connector: checks the config (including a bounded live check in validate()) and hands it to N tasks. */
public class JdbcSinkConnector extends SinkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        JdbcSinkConfig config = new JdbcSinkConfig(props);
        config.checkCrossFieldRules(props);
        this.props = Map.copyOf(props);
        LOG.info("JDBC sink connector started for {}", Dialect.redactUrl(config.url()));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskConfigs.copies(props, maxTasks, null);
    }

    @Override
    public void stop() {
        // nothing held
    }

    @Override
    public ConfigDef config() {
        return JdbcSinkConfig.CONFIG_DEF;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        return true; // offsets are plain Kafka offsets; the task re-reads them from the consumer group
    }

    /**
     * Per-key validation, then cross-field rules attached to every key involved, then (only if all of that is
     * clean) a live check bounded by connection.timeout.ms: can we log in, and may this user do what the config asks.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = LiveValidation.byKey(result);
        for (Map.Entry<String, List<String>> error : JdbcSinkConfig.crossFieldErrors(connectorConfigs)) {
            for (String key : error.getValue()) {
                ConfigValue v = values.get(key);
                if (v != null) {
                    v.addErrorMessage(error.getKey());
                }
            }
        }
        boolean clean = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (clean) {
            JdbcSinkConfig config = new JdbcSinkConfig(connectorConfigs);
            for (Map.Entry<String, String> problem : liveCheck(config).entrySet()) {
                values.get(problem.getKey()).addErrorMessage(problem.getValue());
            }
        }
        return result;
    }

    /** Problems found by connecting, keyed by the config key to report them on. */
    static Map<String, String> liveCheck(JdbcSinkConfig config) {
        // a check that outlives its time limit may still add to it: concurrent
        Map<String, String> problems = new ConcurrentHashMap<>();
        Dialect dialect = Dialect.forUrl(config.url());
        long limitMs = config.connectionTimeoutMs() + 5_000L;
        LiveValidation.bounded(
                "The " + dialect.name() + " server",
                "jdbc-sink-validate",
                Duration.ofMillis(limitMs),
                () -> problems.putAll(check(dialect, config)),
                problem -> problems.put(JdbcSinkConfig.CONNECTION_URL, problem));
        return problems;
    }

    /** MariaDB: whether SHOW GRANTS gives CREATE on every database or on the current one. */
    static boolean mayCreate(Statement st) throws SQLException {
        String database;
        try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            rs.next();
            database = rs.getString(1);
        }
        List<String> grants = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                grants.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1290) {
                return true; // --skip-grant-tables: no privilege checks at all
            }
            throw e;
        }
        return grantsAllowCreate(grants, database);
    }

    static boolean grantsAllowCreate(List<String> grants, String database) {
        for (String grant : grants) {
            String g = grant.replace('"', '`');
            boolean scope = g.contains(" ON *.* ") || g.contains(" ON `" + database.replace("`", "``") + "`.* ");
            String privileges = g.startsWith("GRANT ") && g.contains(" ON ") ? g.substring(6, g.indexOf(" ON ")) : "";
            boolean create = privileges.contains("ALL PRIVILEGES")
                    || Arrays.stream(privileges.split(",")).map(String::trim).anyMatch("CREATE"::equals);
            if (scope && create) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> check(Dialect dialect, JdbcSinkConfig config) {
        Map<String, String> problems = new HashMap<>();
        try (Connection c = dialect.connect(config.url(), config.user(), config.password(), config.timeouts());
                Statement st = c.createStatement()) {
            boolean needsCreate = config.autoCreate() || config.autoEvolve();
            if (dialect.name().equals("postgresql")) {
                try (ResultSet rs = st.executeQuery("SELECT has_schema_privilege(current_schema(), 'CREATE'), "
                        + "has_database_privilege(current_database(), 'TEMPORARY'), current_schema(), current_user")) {
                    rs.next();
                    if (rs.getString(3) == null) {
                        problems.put(
                                JdbcSinkConfig.CONNECTION_URL,
                                "No current schema: the search_path names no " + "existing schema");
                    } else if (needsCreate && !rs.getBoolean(1)) {
                        problems.put(
                                JdbcSinkConfig.CONNECTION_USER,
                                "User " + rs.getString(4) + " may not CREATE in "
                                        + "schema " + rs.getString(3)
                                        + ", which auto.create/auto.evolve need: grant CREATE or "
                                        + "set both to false");
                    } else if (!rs.getBoolean(2)) {
                        problems.put(
                                JdbcSinkConfig.CONNECTION_USER,
                                "User " + rs.getString(4) + " may not create "
                                        + "temporary tables (the bulk stage): GRANT TEMPORARY ON DATABASE");
                    }
                }
            } else {
                try (ResultSet rs = st.executeQuery("SELECT DATABASE(), @@local_infile")) {
                    rs.next();
                    if (rs.getString(1) == null) {
                        problems.put(
                                JdbcSinkConfig.CONNECTION_URL,
                                "The URL names no database: use " + "jdbc:mariadb://host:3306/<database>");
                        return problems;
                    }
                    if (!rs.getBoolean(2)) {
                        problems.put(
                                JdbcSinkConfig.CONNECTION_URL,
                                "The server has local_infile=OFF; the bulk path "
                                        + "streams LOAD DATA LOCAL INFILE: SET GLOBAL local_infile=1");
                    }
                }
                try {
                    st.execute("CREATE TEMPORARY TABLE crm_validate_probe (a INT)");
                    st.execute("DROP TEMPORARY TABLE crm_validate_probe");
                } catch (SQLException e) {
                    problems.put(
                            JdbcSinkConfig.CONNECTION_USER,
                            "User may not create temporary tables (the bulk " + "stage): " + Dialect.describe(e));
                }
                if (needsCreate && !mayCreate(st)) {
                    problems.put(
                            JdbcSinkConfig.CONNECTION_USER,
                            "User may not CREATE tables in this database, "
                                    + "which auto.create/auto.evolve need: GRANT CREATE, ALTER, INDEX or set both to false");
                }
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            boolean auth = state.startsWith("28") || e.getErrorCode() == 1045 || e.getErrorCode() == 1044;
            problems.put(
                    auth ? JdbcSinkConfig.CONNECTION_USER : JdbcSinkConfig.CONNECTION_URL,
                    (auth ? "Login refused: " : "Cannot connect to " + Dialect.redactUrl(config.url()) + ": ")
                            + Dialect.describe(e));
        }
        return problems;
    }
}
