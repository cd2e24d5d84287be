package dev.webtalk.store.postgres;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The JDBC URL as the command-line tools take it; the store itself is tested through the demo's admin. */
class PostgresMaintenanceTest {
    private static PostgresMaintenance.Libpq libpq(String jdbcUrl) {
        return PostgresMaintenance.libpq(PostgresDatabase.Options.of(jdbcUrl));
    }

    @Test
    void keepsHostsDatabaseUserAndSslAndMovesThePasswordOutOfTheUrl() {
        PostgresMaintenance.Libpq l = libpq("jdbc:postgresql://db1:5433,db2/chat?user=web&password=p%40ss&"
                + "currentSchema=wt_a&sslmode=require&reWriteBatchedInserts=true");
        assertEquals("postgresql://db1:5433,db2/chat?user=web&sslmode=require", l.url());
        assertEquals("p@ss", l.password());
        assertFalse(l.toString().contains("p@ss"));
    }

    @Test
    void aUrlWithoutHostMeansLocalhostOverTcpAndSslTrueMeansVerifyFull() {
        assertEquals("postgresql://localhost/test", libpq("jdbc:postgresql:test").url());
        assertEquals("postgresql://[::1]:5432/test?user=u%20v&sslmode=verify-full",
                PostgresMaintenance.libpq(PostgresDatabase.Options.of("jdbc:postgresql://[::1]:5432/test?ssl=true")
                        .withCredentials("u v", "pw")).url());
        assertNull(libpq("jdbc:postgresql://h/d").password());
    }
}
