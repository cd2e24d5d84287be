package dev.webtalk.store.postgres;

import dev.webtalk.testing.Services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh schemas in the test database, one per test, dropped afterwards: tests share one PostgreSQL
 * without seeing each other's data. Skips the test (see {@link Services#postgres()}) when PostgreSQL is
 * not running.
 */
final class TestSchemas implements AutoCloseable {
    private final String url = Services.postgres();
    private final List<String> created = new ArrayList<>();

    /** A new schema name (the store creates the schema); dropped by {@link #close()}. */
    String newSchema() {
        String name = "wt_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        created.add(name);
        return name;
    }

    /** Options for a small pool on {@code schema}. */
    PostgresDatabase.Options options(String schema) {
        return PostgresDatabase.Options.of(url).withSchema(schema).withPoolSize(3);
    }

    String url() {
        return url;
    }

    /** The URL without its {@code user} parameter, to log in as another user. */
    String urlWithoutUser() {
        return url.replaceAll("([?&])user=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }

    /** A plain connection to the test database, outside any store. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Runs statements as the test database's administrator. */
    void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        for (String name : created) {
            exec("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
        created.clear();
    }
}
