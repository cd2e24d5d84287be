package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import dev.webtalk.store.sqlite.SqliteChatStore;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {
    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args);
    }

    private static String refusal(String... args) {
        return assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(args)).getMessage();
    }

    @Test
    void defaultsForAFanoutAgainstAUrl() {
        BenchOptions o = parse("--url", "ws://127.0.0.1:8080/ws");
        assertEquals(URI.create("ws://127.0.0.1:8080/ws"), o.url());
        assertFalse(o.embedded());
        assertEquals(Scenario.FANOUT, o.scenario());
        assertEquals(100, o.connections());
        assertEquals(1, o.rooms());
        assertEquals(4, o.senders());
        assertEquals(100, o.rate());
        assertEquals(Duration.ofSeconds(2), o.warmup());
        assertEquals(Duration.ofSeconds(10), o.duration());
        assertEquals(1, o.effectiveLocalAddresses());
        assertEquals(URI.create("http://127.0.0.1:8080/api/guest"), o.guestTokenUrl(o.url()));
    }

    @Test
    void furtherUrlsAreNodesOfTheSameClusterThatClientsAreSpreadOver() {
        BenchOptions one = parse("--url", "ws://127.0.0.1:8081/ws");
        assertEquals(java.util.List.of(java.net.URI.create("ws://127.0.0.1:8081/ws")), one.nodeUrls(one.url()));
        BenchOptions three = parse("--url", "ws://127.0.0.1:8081/ws", "--url", "ws://127.0.0.1:8082/ws",
                "--url=ws://127.0.0.1:8083/ws");
        assertEquals(java.net.URI.create("ws://127.0.0.1:8081/ws"), three.url(), "the first is the run's target");
        assertEquals(java.util.List.of("ws://127.0.0.1:8081/ws", "ws://127.0.0.1:8082/ws", "ws://127.0.0.1:8083/ws"),
                three.nodeUrls(three.url()).stream().map(Object::toString).toList());
        java.net.URI baseline = java.net.URI.create("ws://127.0.0.1:9999/ws");
        assertEquals(java.util.List.of(baseline), three.nodeUrls(baseline), "the baseline server is one node");
        assertTrue(refusal("--url", "ws://127.0.0.1:8081/ws", "--url", "http://x/ws").contains("ws://"));
    }

    @Test
    void defaultsFollowTheScenario() {
        BenchOptions rooms = parse("--embedded", "--scenario", "rooms", "--connections", "200");
        assertEquals(20, rooms.rooms());
        assertEquals(20, rooms.senders(), "one sender per room");
        assertEquals(500, rooms.rate());
        BenchOptions history = parse("--embedded", "--scenario=history", "--connections=30");
        assertEquals(1, history.rooms());
        assertEquals(30, history.senders(), "every connection reads");
        BenchOptions idle = parse("--embedded", "--scenario", "idle");
        assertEquals(0, idle.rooms());
        assertEquals(0, idle.senders());
    }

    @Test
    void aReactionStormPutsEveryoneInOneRoomReactingOnceASecond() {
        BenchOptions o = parse("--embedded", "--scenario", "reactions", "--connections", "200");
        assertEquals(Scenario.REACTIONS, o.scenario());
        assertEquals(1, o.rooms());
        assertEquals(200, o.senders(), "every connection reacts");
        assertEquals(200, o.rate(), "one reaction per user and second");
        assertFalse(o.scenario().sendsMessages(), "no message order to check");
        BenchOptions few = parse("--embedded", "--scenario", "reactions", "--connections", "200", "--senders", "5");
        assertEquals(5, few.rate(), "the default follows the reacting users");
        assertEquals(2000, parse("--url", "ws://127.0.0.1:8080/ws", "--scenario", "reactions", "--connections",
                "200", "--rate", "2000").rate(), "10 per user is the server's default limit: allowed");
    }

    @Test
    void aReactionStormKeepsEachUserWithinThePerUserReactionLimit() {
        assertEquals(10, BenchOptions.REACTIONS_PER_USER_PER_SECOND, "Limits.defaults().reactionRate(): 10 a second");
        assertEquals("--rate for reactions must be at most 10 per reacting connection (the server's per-user "
                        + "reaction limit): at most 2000 with 200 reacting, got 2001",
                refusal("--embedded", "--scenario", "reactions", "--connections", "200", "--rate", "2001"));
        assertEquals("--rate for reactions must be at most 10 per reacting connection (the server's per-user "
                        + "reaction limit): at most 50 with 5 reacting, got 100",
                refusal("--embedded", "--scenario", "reactions", "--connections", "200", "--senders", "5",
                        "--rate", "100"));
        assertTrue(refusal("--embedded", "--scenario", "reactions", "--rate", "max")
                .startsWith("--rate max does not apply to reactions"));
        assertEquals("--rooms must be 1 for reactions: everyone reacts in one room",
                refusal("--embedded", "--scenario", "reactions", "--rooms", "2"));
        assertEquals("--senders must be at least 1 for reactions",
                refusal("--embedded", "--scenario", "reactions", "--senders", "0"));
        assertTrue(refusal("--embedded", "--scenario", "reactions", "--ramp").contains("fanout or rooms"));
        assertEquals("--baseline works with --scenario fanout only",
                refusal("--embedded", "--scenario", "reactions", "--baseline"));
    }

    @Test
    void readMarkTrafficRunsInSmallRoomsWithASenderEach() {
        BenchOptions o = parse("--embedded", "--scenario", "reads", "--connections", "200");
        assertEquals(Scenario.READS, o.scenario());
        assertEquals(20, o.rooms());
        assertEquals(20, o.senders(), "one sender per room");
        assertEquals(100, o.rate());
        assertTrue(o.scenario().sendsMessages(), "delivery is checked alongside the read marks");
        assertTrue(parse("--embedded", "--scenario", "reads", "--rate", "max").closedLoop());
        assertEquals(3, parse("--embedded", "--scenario", "reads", "--connections", "30", "--rooms", "3", "--senders",
                "3").rooms());
        assertEquals("--rooms must be at least 1 for reads", refusal("--embedded", "--scenario", "reads", "--rooms", "0"));
        assertEquals("--senders must be at least 1 for reads",
                refusal("--embedded", "--scenario", "reads", "--senders", "0"));
        assertTrue(refusal("--embedded", "--scenario", "reads", "--ramp").contains("fanout or rooms"));
    }

    @Test
    void theUsageListsEveryScenario() {
        for (Scenario s : Scenario.values()) {
            assertTrue(BenchOptions.USAGE.contains("\n  " + s.wireName() + " "), s.wireName() + " in " + BenchOptions.USAGE);
        }
        assertTrue(BenchOptions.USAGE.contains("reactions | reads"));
    }

    @Test
    void parsesEveryOptionInBothSpellings() {
        BenchOptions o = parse("--url=wss://localhost:9443/chat/ws", "--scenario", "rooms", "--connections", "1_000",
                "--rooms", "50", "--senders=25", "--rate", "max", "--window", "4", "--message-chars", "64",
                "--warmup", "500ms", "--duration", "1m", "--history-messages", "10", "--concurrency", "8",
                "--local-addresses", "3", "--token-url", "https://localhost:9443/guest", "--allow-remote", "--json");
        assertEquals(1000, o.connections());
        assertEquals(50, o.rooms());
        assertEquals(25, o.senders());
        assertTrue(o.closedLoop());
        assertEquals(4, o.window());
        assertEquals(64, o.messageChars());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(Duration.ofMinutes(1), o.duration());
        assertEquals(3, o.effectiveLocalAddresses());
        assertEquals(URI.create("https://localhost:9443/guest"), o.guestTokenUrl(o.url()));
        assertTrue(o.allowRemote());
        assertTrue(o.json());
    }

    @Test
    void derivesAnHttpsTokenUrlFromWss() {
        BenchOptions o = parse("--url", "wss://localhost:9443/ws");
        assertEquals(URI.create("https://localhost:9443/api/guest"), o.guestTokenUrl(o.url()));
    }

    @Test
    void theServerPidGoesWithAUrl() {
        assertNull(parse("--url", "ws://127.0.0.1:8080/ws").serverPid(), "found from the port by default");
        assertEquals(4242L, parse("--url", "ws://127.0.0.1:8080/ws", "--server-pid", "4242").serverPid());
        assertEquals(4242L, parse("--url=ws://127.0.0.1:8080/ws", "--server-pid=4242").serverPid());
        assertEquals("--server-pid goes with --url (an embedded server is this process)",
                refusal("--embedded", "--server-pid", "4242"));
        assertEquals("--server-pid must be positive, got 0", refusal("--url", "ws://127.0.0.1:8080/ws", "--server-pid", "0"));
        assertEquals("--server-pid must be a whole number, got 'java'",
                refusal("--url", "ws://127.0.0.1:8080/ws", "--server-pid", "java"));
        assertEquals("--server-pid needs a value", refusal("--url", "ws://127.0.0.1:8080/ws", "--server-pid"));
        assertNull(parse("--url", "ws://127.0.0.1:8080/ws", "--baseline", "--server-pid", "4242")
                .withTarget(URI.create("ws://127.0.0.1:1234/ws")).serverPid(), "the baseline runs in this JVM");
    }

    @Test
    void spreadsLargeRunsOverLocalAddresses() {
        assertEquals(3, parse("--embedded", "--connections", "50000").effectiveLocalAddresses());
        assertEquals(1, parse("--embedded", "--connections", "20000").effectiveLocalAddresses());
    }

    @Test
    void severalProcessesCanTakeDisjointSourceAddresses() {
        BenchOptions o = parse("--embedded", "--connections", "6000", "--local-addresses", "60", "--first-address", "61");
        assertEquals(61, o.firstAddress());
        assertEquals(60, o.effectiveLocalAddresses());
        assertEquals(1, parse("--embedded").firstAddress());
        assertThrows(BenchOptions.UsageException.class,
                () -> parse("--embedded", "--local-addresses", "60", "--first-address", "200"),
                "200 + 60 addresses run past 127.0.0.254");
        assertEquals(195, parse("--embedded", "--local-addresses", "60", "--first-address", "195").firstAddress());
    }

    @Test
    void aRampStartsLowAndNeedsAFixedRateOfASendingScenario() {
        BenchOptions o = parse("--embedded", "--ramp");
        assertEquals(Ramp.DEFAULT_START, o.rate(), "a ramp starts low unless --rate says otherwise");
        assertEquals(new Ramp(Duration.ofSeconds(5), Duration.ofMillis(250)), o.ramp());
        BenchOptions tuned = parse("--embedded", "--scenario", "rooms", "--ramp", "--rate", "40", "--step", "2s",
                "--p99-limit", "100ms");
        assertEquals(40, tuned.rate());
        assertEquals(new Ramp(Duration.ofSeconds(2), Duration.ofMillis(100)), tuned.ramp());
        assertNull(parse("--embedded").ramp());

        assertTrue(refusal("--embedded", "--ramp", "--rate", "max").contains("--rate max"));
        assertTrue(refusal("--embedded", "--ramp", "--scenario", "idle").contains("fanout or rooms"));
        assertTrue(refusal("--embedded", "--step", "2s").contains("only apply with --ramp"));
        assertTrue(refusal("--embedded", "--ramp", "--step", "100ms").contains("--step"));
        assertTrue(refusal("--embedded", "--ramp", "--p99-limit", "0ms").contains("--p99-limit"));
    }

    @Test
    void theEmbeddedServerCanSyncEveryCommit() {
        assertEquals(SqliteChatStore.Synchronous.NORMAL, parse("--embedded").sqliteSync());
        assertEquals(SqliteChatStore.Synchronous.FULL, parse("--embedded", "--sqlite-sync", "FULL").sqliteSync());
        assertTrue(refusal("--embedded", "--sqlite-sync", "off").contains("normal or full"));
        assertTrue(refusal("--url", "ws://127.0.0.1:8080/ws", "--sqlite-sync", "full").contains("--embedded only"));
        assertEquals(SqliteChatStore.Synchronous.NORMAL,
                parse("--embedded", "--sqlite-sync", "full", "--baseline").withTarget(URI.create("ws://127.0.0.1:1/ws"))
                        .sqliteSync(), "the baseline has no store: its options must stay valid");
    }

    @Test
    void durationsTakeUnits() {
        assertEquals(Duration.ofSeconds(10), BenchOptions.duration("--duration", "10"));
        assertEquals(Duration.ofMillis(2500), BenchOptions.duration("--duration", "2.5s"));
        assertEquals(Duration.ofMillis(250), BenchOptions.duration("--duration", "250ms"));
        assertEquals(Duration.ofMinutes(2), BenchOptions.duration("--duration", "2m"));
    }

    @Test
    void refusesBadCommandLinesWithPreciseMessages() {
        assertEquals("give --url ws://HOST:PORT/ws or --embedded", refusal());
        assertEquals("give either --url or --embedded, not both", refusal("--embedded", "--url", "ws://127.0.0.1/ws"));
        assertTrue(refusal("--url", "http://127.0.0.1:8080/ws").startsWith("--url must start with ws://"));
        assertEquals("unknown option: --colour", refusal("--embedded", "--colour", "blue"));
        assertEquals("unexpected argument: fanout", refusal("--embedded", "fanout"));
        assertEquals("--connections needs a value", refusal("--embedded", "--connections"));
        assertEquals("--connections must be a whole number, got 'many'", refusal("--embedded", "--connections", "many"));
        assertTrue(refusal("--embedded", "--connections", "0").startsWith("--connections must be 1..100000"));
        assertTrue(refusal("--embedded", "--scenario", "chaos").startsWith("unknown scenario 'chaos'; one of fanout, rooms"));
        assertEquals("--rate must be positive, got 0", refusal("--embedded", "--rate", "0"));
        assertTrue(refusal("--embedded", "--senders", "101").startsWith("--senders must be 0..connections"));
        assertTrue(refusal("--embedded", "--duration", "2h").startsWith("--duration must be a time like"));
        assertTrue(refusal("--embedded", "--duration", "0").startsWith("--duration must be more than 0"));
        assertEquals("--baseline works with --scenario fanout only", refusal("--embedded", "--baseline", "--scenario", "rooms"));
        assertEquals("--no-auth and --token-url contradict each other",
                refusal("--embedded", "--no-auth", "--token-url", "http://127.0.0.1/g"));
        assertEquals("--rooms must be at least 1 for fanout", refusal("--embedded", "--rooms", "0"));
    }

    @Test
    void theClientIsTheToolsOwnForWsAndJettysForWss() {
        BenchOptions plain = parse("--url", "ws://127.0.0.1:8080/ws");
        assertEquals(ClientKind.NIO, plain.effectiveClient());
        assertEquals(1, plain.clientThreads());
        assertEquals(ClientKind.JETTY, parse("--url", "wss://localhost:9443/ws").effectiveClient());
        assertEquals(ClientKind.NIO, parse("--embedded").effectiveClient());
        BenchOptions chosen = parse("--embedded", "--client", "jetty");
        assertEquals(ClientKind.JETTY, chosen.effectiveClient());
        assertEquals(3, parse("--embedded", "--client=nio", "--client-threads=3").clientThreads());
        assertEquals(ClientKind.JETTY, parse("--embedded", "--client", "jetty", "--baseline")
                .withTarget(URI.create("ws://127.0.0.1:1/ws")).effectiveClient(), "the baseline run uses the same client");
        assertEquals(2, parse("--embedded", "--client-threads", "2", "--baseline")
                .withTarget(URI.create("ws://127.0.0.1:1/ws")).clientThreads());

        assertTrue(refusal("--url", "wss://localhost:9443/ws", "--client", "nio").contains("use --client jetty"));
        assertTrue(refusal("--embedded", "--client", "netty").contains("--client must be nio or jetty"));
        assertTrue(refusal("--embedded", "--client-threads", "0").contains("--client-threads must be 1..64"));
        assertTrue(refusal("--embedded", "--client", "jetty", "--client-threads", "2")
                .contains("applies to --client nio"));
        assertTrue(BenchOptions.USAGE.contains("--client-threads N"), BenchOptions.USAGE);
    }

    @Test
    void theBaselineTargetIsUnauthenticatedAndKeepsTheLoad() {
        BenchOptions o = parse("--embedded", "--baseline", "--connections", "20", "--rate", "50");
        BenchOptions baseline = o.withTarget(URI.create("ws://127.0.0.1:1234/ws"));
        assertNull(baseline.tokenUrl());
        assertTrue(baseline.noAuth());
        assertFalse(baseline.embedded());
        assertFalse(baseline.baseline());
        assertEquals(20, baseline.connections());
        assertEquals(50, baseline.rate());
    }

    @Test
    void onlyLoopbackTargetsUnlessAllowed() {
        Bench.requireLoopback(URI.create("ws://127.0.0.1:8080/ws"), false);
        Bench.requireLoopback(URI.create("ws://localhost:8080/ws"), false);
        Bench.requireLoopback(URI.create("ws://[::1]:8080/ws"), false);
        String refused = assertThrows(BenchOptions.UsageException.class,
                () -> Bench.requireLoopback(URI.create("ws://192.0.2.10:8080/ws"), false)).getMessage();
        assertTrue(refused.contains("not a loopback address") && refused.contains("--allow-remote"), refused);
        Bench.requireLoopback(URI.create("ws://192.0.2.10:8080/ws"), true);
    }
}
