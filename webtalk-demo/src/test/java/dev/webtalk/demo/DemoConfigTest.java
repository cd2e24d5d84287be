package dev.webtalk.demo;

import dev.webtalk.store.sqlite.SqliteChatStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoConfigTest {

    private static DemoConfig run(Map<String, String> env, String... args) {
        return assertInstanceOf(DemoConfig.Command.Run.class, DemoConfig.parse(args, env)).config();
    }

    @Test
    void defaultsServePort8080WithDataInTheWorkingDirectory() {
        assertEquals(new DemoConfig(8080, Path.of("data")), run(Map.of()));
    }

    @Test
    void environmentIsReadAndFlagsWinOverIt() {
        Map<String, String> env = Map.of("WEBTALK_PORT", "9000", "WEBTALK_DATA_DIR", "/var/lib/webtalk");
        assertEquals(new DemoConfig(9000, Path.of("/var/lib/webtalk")), run(env));
        assertEquals(new DemoConfig(9100, Path.of("here")), run(env, "--port", "9100", "--data-dir", "here"));
        assertEquals(new DemoConfig(0, Path.of("x")), run(env, "--port=0", "--data-dir=x"));
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertInstanceOf(DemoConfig.Command.Help.class, DemoConfig.parse(new String[]{"--port", "1", "--help"}, Map.of()));
        assertInstanceOf(DemoConfig.Command.Help.class, DemoConfig.parse(new String[]{"-h"}, Map.of()));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertEquals("unknown option: --prot",
                assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--prot", "1")).getMessage());
        assertEquals("--port needs a value",
                assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--port")).getMessage());
        assertEquals("port must be a number, got 'http'",
                assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--port", "http")).getMessage());
        assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--port", "70000"));
        assertThrows(DemoConfig.UsageException.class, () -> run(Map.of("WEBTALK_PORT", "-1")));
    }

    @Test
    void metricsTokenComesFromTheFlagOrTheEnvironmentAndIsNeverPrinted() {
        assertEquals(null, run(Map.of()).metricsToken());
        assertEquals("env-token-0123456789", run(Map.of("WEBTALK_METRICS_TOKEN", "env-token-0123456789")).metricsToken());
        DemoConfig flag = run(Map.of("WEBTALK_METRICS_TOKEN", "env-token-0123456789"), "--metrics-token", "flag-token-0123456789");
        assertEquals("flag-token-0123456789", flag.metricsToken());
        assertFalse(flag.toString().contains("flag-token-0123456789"), flag.toString());
        assertTrue(flag.toString().contains("metrics=token"), flag.toString());
        assertEquals(null, run(Map.of("WEBTALK_METRICS_TOKEN", "")).metricsToken(), "empty: no /metrics");
        assertEquals("the metrics token must have 16 to 1024 printable ASCII characters, no spaces",
                assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--metrics-token=short")).getMessage());
        assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--metrics-token", "with space 0123456789"));
    }

    @Test
    void adminPasswordComesFromTheFlagOrTheEnvironmentAndIsNeverPrinted() {
        assertEquals(null, run(Map.of()).adminPassword());
        assertEquals("from-env-123", run(Map.of("WEBTALK_ADMIN_PASSWORD", "from-env-123")).adminPassword());
        DemoConfig flag = run(Map.of("WEBTALK_ADMIN_PASSWORD", "from-env-123"), "--admin-password", "from-flag-123");
        assertEquals("from-flag-123", flag.adminPassword());
        assertFalse(flag.toString().contains("from-flag-123"));
        assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--admin-password=short"));
    }

    @Test
    void storeAndBrokerDefaultToOneNodeOnSqliteAndComeFromFlagsOrEnvironment() {
        assertEquals(null, run(Map.of()).store());
        assertEquals(null, run(Map.of()).broker());
        assertEquals(null, run(Map.of(), "--store", "sqlite", "--broker", "local").store());
        String pg = "jdbc:postgresql://127.0.0.1:5432/chat?user=webtalk&password=s3cret";
        DemoConfig env = run(Map.of("WEBTALK_STORE", pg, "WEBTALK_BROKER", "redis://127.0.0.1:6379"));
        assertEquals(pg, env.store());
        assertEquals(java.net.URI.create("redis://127.0.0.1:6379"), env.broker());
        assertFalse(env.toString().contains("s3cret"), "the store's password is never printed: " + env);
        DemoConfig flags = run(Map.of("WEBTALK_STORE", pg), "--store=jdbc:postgresql://db/other", "--broker", "redis://cache:6380");
        assertEquals("jdbc:postgresql://db/other", flags.store());
        assertEquals(6380, flags.broker().getPort());
    }

    @Test
    void aStoreOrBrokerTheDemoCannotUseIsRefusedAtOnce() {
        assertTrue(assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--store", "mysql://x"))
                .getMessage().contains("jdbc:postgresql://"));
        assertTrue(assertThrows(DemoConfig.UsageException.class,
                () -> run(Map.of(), "--store", "jdbc:postgresql://db/x", "--broker", "nats://x:4222"))
                .getMessage().contains("redis://"));
        assertTrue(assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--broker", "redis://x:6379"))
                .getMessage().contains("SQLite file belongs to one node"), "a broker needs a shared store");
    }

    @Test
    void sqliteDurabilityIsNormalUnlessFullIsAsked() {
        assertEquals(SqliteChatStore.Synchronous.NORMAL, run(Map.of()).synchronous());
        assertEquals(SqliteChatStore.Synchronous.FULL, run(Map.of("WEBTALK_SQLITE_SYNC", "FULL")).synchronous());
        assertEquals(SqliteChatStore.Synchronous.NORMAL,
                run(Map.of("WEBTALK_SQLITE_SYNC", "full"), "--sqlite-sync", "normal").synchronous());
        assertEquals(SqliteChatStore.Synchronous.FULL, run(Map.of(), "--sqlite-sync=full").synchronous());
        assertEquals("--sqlite-sync must be normal or full, got 'off'",
                assertThrows(DemoConfig.UsageException.class, () -> run(Map.of(), "--sqlite-sync", "off")).getMessage());
    }
}
