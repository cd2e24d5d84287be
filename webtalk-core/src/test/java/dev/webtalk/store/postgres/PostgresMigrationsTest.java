package dev.webtalk.store.postgres;

import dev.webtalk.Room;
import dev.webtalk.RoomId;
import dev.webtalk.StoreException;
import dev.webtalk.UserId;
import dev.webtalk.spi.StoreWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Migrations: several nodes opening an empty database at once end up on one schema; a newer or failing one changes nothing. */
class PostgresMigrationsTest {
    private static final Room LOBBY = new Room(RoomId.of("lobby001"), "Lobby", UserId.of("alice"), null,
            Instant.parse("2024-05-01T10:00:00Z"));

    private TestSchemas schemas;
    private String schema;

    @BeforeEach
    void newSchema() {
        schemas = new TestSchemas();
        schema = schemas.newSchema();
    }

    @AfterEach
    void dropSchema() throws Exception {
        schemas.close();
    }

    @Test
    void nodesOpeningAFreshSchemaAtOnceAllWorkOnOneSchema() throws Exception {
        int nodes = 6;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch start = new CountDownLatch(1);
        List<PostgresChatStore> stores = new ArrayList<>();
        try {
            List<Future<PostgresChatStore>> opening = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return PostgresChatStore.open(schemas.options(schema).withPoolSize(2));
                }));
            }
            start.countDown();
            for (Future<PostgresChatStore> f : opening) {
                stores.add(f.get(60, TimeUnit.SECONDS)); // none failed on "already exists"
            }

            stores.get(0).apply(List.of(new StoreWrite.CreateRoom(LOBBY)));
            for (PostgresChatStore s : stores) {
                assertEquals(Optional.of(LOBBY), s.room(LOBBY.id()), "every node sees the one schema");
            }
            assertEquals(IntStream.rangeClosed(1, Migrations.latestVersion()).boxed().toList(), versions(),
                    "each step ran exactly once");
        } finally {
            stores.forEach(PostgresChatStore::close);
            pool.shutdownNow();
        }
    }

    @Test
    void aSchemaFromANewerWebTalkIsRefusedAndLeftAlone() throws Exception {
        PostgresChatStore.open(schemas.options(schema)).close();
        schemas.exec("INSERT INTO " + schema + ".schema_version (version, description) VALUES ("
                + (Migrations.latestVersion() + 1) + ", 'from the future')");

        StoreException e = assertThrows(StoreException.class, () -> PostgresChatStore.open(schemas.options(schema)));

        assertTrue(e.getMessage().contains("newer than this WebTalk supports"), e.getMessage());
        assertEquals(Migrations.latestVersion() + 1, versions().size());
    }

    @Test
    void aFailingStepLeavesTheSchemaAtItsLastVersion() throws Exception {
        PostgresChatStore.open(schemas.options(schema)).close();
        List<Migrations.Step> withBadStep = new ArrayList<>(Migrations.STEPS);
        withBadStep.add(new Migrations.Step("a table and a typo", List.of(
                "CREATE TABLE added_by_the_bad_step (x int)", "CREATE TABLLE oops (x int)")));

        try (Connection c = schemas.connect()) {
            c.setSchema(schema);
            StoreException e = assertThrows(StoreException.class, () -> Migrations.migrate(c, schema, withBadStep));
            assertTrue(e.getMessage().contains("version " + withBadStep.size() + " (a table and a typo)"), e.getMessage());
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('added_by_the_bad_step') IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertTrue(rs.getBoolean(1), "the failed step's first statement was kept");
            }
        }
        assertEquals(Migrations.latestVersion(), versions().size());
    }

    private List<Integer> versions() throws Exception {
        try (Connection c = schemas.connect();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM " + schema + ".schema_version ORDER BY version");
             ResultSet rs = ps.executeQuery()) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions;
        }
    }
}
