package io.crmconnect.testharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real database servers the harness gives tests: they start, isolate databases, survive a restart. */
class SqlServersIT {

    static Stream<SqlServer> servers() {
        return Stream.of(PostgresServer.shared(), MariaDbServer.shared());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void writesAndReadsARowInAFreshDatabase(SqlServer server) {
        String db = server.createDatabase("harness");
        server.update(db, "CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50))");
        assertThat(server.update(db, "INSERT INTO people VALUES (?, ?)", 7, "Ada"))
                .isEqualTo(1);

        List<Map<String, Object>> rows = server.query(db, "SELECT id, name FROM people");

        assertThat(rows).hasSize(1);
        assertThat(((Number) rows.get(0).get("id")).intValue()).isEqualTo(7);
        assertThat(rows.get(0).get("name")).isEqualTo("Ada");
        assertThat(server.jdbcUrl(db)).contains("127.0.0.1:" + server.port());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void databasesAreIsolated(SqlServer server) {
        String first = server.createDatabase("iso");
        String second = server.createDatabase("iso");
        assertThat(first).isNotEqualTo(second);
        server.update(first, "CREATE TABLE only_here (id INT)");
        assertThatThrownBy(() -> server.query(second, "SELECT * FROM only_here"))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void stopMakesTheServerUnreachableAndStartBringsTheDataBack(SqlServer server) {
        String db = server.createDatabase("outage");
        server.update(db, "CREATE TABLE kept (id INT PRIMARY KEY)");
        server.update(db, "INSERT INTO kept VALUES (1)");

        server.stop();
        try {
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> server.query(db, "SELECT id FROM kept")).isInstanceOf(IllegalStateException.class);
        } finally {
            server.start();
        }

        assertThat(server.isRunning()).isTrue();
        assertThat(server.query(db, "SELECT id FROM kept")).hasSize(1);
    }
}
