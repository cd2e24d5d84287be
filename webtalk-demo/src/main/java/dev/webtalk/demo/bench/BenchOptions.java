package dev.webtalk.demo.bench;

import dev.webtalk.Limits;
import dev.webtalk.store.sqlite.SqliteChatStore;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bench command line, validated: every value is checked when parsed and defaults depend on the
 * scenario (see {@link #USAGE}). Exactly one target: {@code --url} or {@code --embedded}.
 *
 * @param url              the server's WebSocket URL, e.g. {@code ws://127.0.0.1:8080/ws}; null with {@code --embedded}
 * @param moreUrls         further {@code --url}s: other nodes of the same cluster; clients are spread over
 *                         all of them in turn (client i connects to URL i mod n), and guest tokens come from
 *                         the first
 * @param embedded         start a demo server in this JVM on a random port with a temporary data directory
 * @param baseline         also measure the same fan-out against a minimal broadcast endpoint (no engine, no store)
 * @param scenario         what to do with the connections
 * @param connections      simulated users, one WebSocket each
 * @param rooms            rooms created for the run; connection {@code i} joins room {@code i % rooms}
 * @param senders          connections that send (connections {@code 0..senders-1}); readers for {@code history},
 *                         reacting users for {@code reactions}
 * @param rate             messages (history reads, reactions) per second over all senders; 0 means "max"
 *                         (closed loop)
 * @param window           with {@code --rate max}: requests each sender keeps unanswered
 * @param messageChars     length of each message text
 * @param warmup           time sending before measuring starts
 * @param duration         measured time
 * @param historyMessages  messages stored before a {@code history} run
 * @param concurrency      connection handshakes in flight at once
 * @param localAddresses   loopback source addresses (127.0.0.1, .2, …) to spread connections over; 0 = automatic
 * @param firstAddress     last byte of the first source address (default 1), so that several bench processes
 *                         can use disjoint addresses against one server's per-address limit
 * @param tokenUrl         where guest tokens come from; null = derived from {@code url} ({@code /api/guest})
 * @param noAuth           connect without a token (for hosts that do not authenticate)
 * @param allowRemote      permit a non-loopback target
 * @param json             print the final report as JSON (progress then goes to stderr)
 * @param sqliteSync       {@code --embedded}: how the embedded server's SQLite commits (default NORMAL)
 * @param ramp             search for the highest rate within a latency limit instead of one fixed rate;
 *                         null for a fixed-rate or closed-loop run
 * @param serverPid        with {@code --url}: the server's process id on this machine, for its CPU and heap;
 *                         null = the process listening on the URL's port, if any
 * @param client           the WebSocket client; null = {@code nio} for {@code ws://}, {@code jetty} for {@code wss://}
 * @param clientThreads    {@code nio}: its I/O threads, each serving {@code connections / clientThreads}
 *                         connections
 */
public record BenchOptions(URI url, boolean embedded, boolean baseline, Scenario scenario, int connections,
                           int rooms, int senders, int rate, int window, int messageChars, Duration warmup,
                           Duration duration, int historyMessages, int concurrency, int localAddresses,
                           int firstAddress,
                           URI tokenUrl, boolean noAuth, boolean allowRemote, boolean json, SqliteChatStore.Synchronous sqliteSync,
                           Ramp ramp, Long serverPid, ClientKind client, int clientThreads, List<URI> moreUrls) {

    /** Bounds that keep a run from exhausting the machine by a typo. */
    static final int MAX_CONNECTIONS = 100_000;
    static final Duration MAX_DURATION = Duration.ofHours(1);
    /** Ephemeral ports per source address we are willing to use (Linux gives about 28,000). */
    static final int CONNECTIONS_PER_LOCAL_ADDRESS = 20_000;
    static final int MAX_CLIENT_THREADS = 64;
    /**
     * Reactions one user may sustain per second on a server with the default limits
     * ({@link Limits#reactionRate()}): the {@code reactions} scenario keeps every user within it, as a
     * real client must, so that it runs the same against {@code --embedded} and a default {@code --url}.
     */
    static final int REACTIONS_PER_USER_PER_SECOND =
            (int) (TimeUnit.SECONDS.toNanos(1) / Limits.defaults().reactionRate().refill().toNanos());
    private static final Set<String> VALUE_FLAGS = Set.of("--url", "--token-url", "--scenario", "--connections",
            "--rooms", "--senders", "--rate", "--window", "--message-chars", "--history-messages", "--warmup",
            "--duration", "--concurrency", "--local-addresses",
            "--first-address", "--step", "--p99-limit", "--sqlite-sync", "--server-pid", "--client",
            "--client-threads");

    public static final String USAGE = """
            Usage: java -jar webtalk-demo.jar bench (--url ws://HOST:PORT/ws | --embedded) [options]

            Target:
              --url URL             a WebTalk server's WebSocket URL (loopback only unless --allow-remote);
                                    give it again for each further node of a cluster: clients are
                                    spread over the nodes in turn (server CPU is the first node's)
              --embedded            start a demo server in this JVM (random port, temporary data, deleted after)
              --baseline            fanout only: also run against a minimal Jetty broadcast endpoint
                                    (no engine, no store) and print WebTalk's figures as a ratio of it
              --token-url URL       where to get guest tokens (default: the --url host, POST /api/guest)
              --server-pid PID      the --url server's process on this machine, for its CPU and heap
                                    (default: the process listening on the URL's port, if any)
              --no-auth             connect without a token
              --allow-remote        permit a target that is not a loopback address
              --sqlite-sync M       --embedded: the server's SQLite commits, normal (default) or full
                                    (each batch synced to disk: survives a power loss)

            Load:
              --scenario NAME       fanout | rooms | idle | history | storm | reactions | reads
                                    (default fanout)
              --connections N       simulated users, one WebSocket each (default 100)
              --rooms R             rooms to create (default: fanout 1, rooms and reads connections/10,
                                    history 1, reactions 1 and no other)
              --senders S           sending connections (default: fanout 4, rooms and reads one per
                                    room, history every connection reads, reactions every connection
                                    reacts)
              --rate N|max          messages (history: reads, reactions: reactions) per second in total
                                    (default: fanout 100, rooms 500, history 200, reads 100, reactions
                                    one per reacting connection); max = closed loop, --window requests
                                    unanswered per sender (default 1); reactions: a fixed rate of at
                                    most 10 per reacting connection, the server's per-user limit
              --message-chars N     text length of each message (default 100)
              --history-messages N  messages stored before a history run (default 500)
              --warmup T            time before measuring (default 2s; T like 10, 10s, 500ms, 1m)
              --duration T          measured time (default 10s)
              --concurrency N       handshakes in flight at once (default 64)
              --local-addresses K   spread connections over 127.0.0.1..127.0.0.K (default: one per
                                    20,000 connections)
              --first-address F     start at 127.0.0.F instead (default 1): give each of several bench
                                    processes its own addresses

            Finding the highest rate (fanout, rooms):
              --ramp                start at --rate (default 10/s) and raise it by 25% every step until
                                    a step's delivery p99 passes the limit, a request fails or the
                                    senders fall behind; reports every step and the last one that held
              --step T              how long each rate is held (default 5s)
              --p99-limit T         the latency limit (default 250ms)

            Client:
              --client nio|jetty    the WebSocket client (default: nio for ws://, jetty for wss://).
                                    nio: the tool's own, a few threads each reading many connections;
                                    jetty: Jetty's core WebSocket client and its thread pool
              --client-threads N    nio: I/O threads (default 1). The report shows the client's CPU
                                    and warns when a thread or the client nears a full core

            Output:
              --json                final report as JSON on stdout (progress goes to stderr)
              --help                this text

            Also: bench baseline-server [--port N] [--burst F] runs the baseline alone, e.g. as a
            firehose that writes several frames at once, to measure this client's own ceiling
            (bench baseline-server --help)

            Scenarios:
            """ + scenarioLines();

    private static String scenarioLines() {
        StringBuilder lines = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            lines.append(String.format(Locale.ROOT, "  %-9s %s%n", s.wireName(), s.description()));
        }
        return lines.toString();
    }

    public BenchOptions {
        if (embedded == (url != null)) {
            throw new UsageException(embedded ? "give either --url or --embedded, not both"
                    : "give --url ws://HOST:PORT/ws or --embedded");
        }
        require(connections >= 1 && connections <= MAX_CONNECTIONS,
                "--connections must be 1.." + MAX_CONNECTIONS + ", got " + connections);
        require(rooms >= 0 && rooms <= connections, "--rooms must be 0..connections, got " + rooms);
        require(senders >= 0 && senders <= connections, "--senders must be 0..connections, got " + senders);
        require(rate >= 0, "--rate must be positive or max, got " + rate);
        require(window >= 1 && window <= 10_000, "--window must be 1..10000, got " + window);
        require(messageChars >= 32 && messageChars <= 2000, "--message-chars must be 32..2000, got " + messageChars);
        require(!warmup.isNegative() && warmup.compareTo(MAX_DURATION) <= 0, "--warmup must be 0.." + MAX_DURATION);
        require(!duration.isNegative() && !duration.isZero() && duration.compareTo(MAX_DURATION) <= 0,
                "--duration must be more than 0 and at most " + MAX_DURATION);
        require(historyMessages >= 1 && historyMessages <= 1_000_000,
                "--history-messages must be 1..1000000, got " + historyMessages);
        require(concurrency >= 1 && concurrency <= 10_000, "--concurrency must be 1..10000, got " + concurrency);
        require(localAddresses >= 0 && localAddresses <= 254, "--local-addresses must be 1..254, got " + localAddresses);
        int addresses = localAddresses(localAddresses, connections);
        require(firstAddress >= 1 && firstAddress + addresses - 1 <= 254,
                "--first-address plus --local-addresses must stay within 127.0.0.1..127.0.0.254, got first "
                        + firstAddress + " and " + addresses + " addresses");
        if (scenario == Scenario.FANOUT || scenario == Scenario.ROOMS || scenario == Scenario.HISTORY
                || scenario == Scenario.READS || scenario == Scenario.REACTIONS) {
            require(rooms >= 1, "--rooms must be at least 1 for " + scenario.wireName());
            require(senders >= 1, "--senders must be at least 1 for " + scenario.wireName());
        }
        if (scenario == Scenario.REACTIONS) {
            require(rooms == 1, "--rooms must be 1 for reactions: everyone reacts in one room");
            // A closed loop or a faster rate would only measure the server's refusals (rate_limited).
            require(rate > 0, "--rate max does not apply to reactions: each user may react at most "
                    + REACTIONS_PER_USER_PER_SECOND + " times a second; give a fixed rate");
            require((long) rate <= (long) senders * REACTIONS_PER_USER_PER_SECOND,
                    "--rate for reactions must be at most " + REACTIONS_PER_USER_PER_SECOND
                            + " per reacting connection (the server's per-user reaction limit): at most "
                            + (long) senders * REACTIONS_PER_USER_PER_SECOND + " with " + senders
                            + " reacting, got " + rate);
        }
        require(!baseline || scenario == Scenario.FANOUT, "--baseline works with --scenario fanout only");
        require(!(noAuth && tokenUrl != null), "--no-auth and --token-url contradict each other");
        require(embedded || sqliteSync == SqliteChatStore.Synchronous.NORMAL,
                "--sqlite-sync applies to --embedded only; a server you started has its own setting");
        require(ramp == null || scenario == Scenario.FANOUT || scenario == Scenario.ROOMS,
                "--ramp works with --scenario fanout or rooms");
        require(ramp == null || rate > 0, "--ramp raises a fixed rate: it cannot be combined with --rate max");
        require(serverPid == null || serverPid > 0, "--server-pid must be positive, got " + serverPid);
        require(serverPid == null || url != null, "--server-pid goes with --url (an embedded server is this process)");
        require(clientThreads >= 1 && clientThreads <= MAX_CLIENT_THREADS,
                "--client-threads must be 1.." + MAX_CLIENT_THREADS + ", got " + clientThreads);
        require(client != ClientKind.NIO || url == null || "ws".equals(url.getScheme()),
                "--client nio speaks ws:// only; use --client jetty for " + url);
        require(clientThreads == 1 || client != ClientKind.JETTY,
                "--client-threads applies to --client nio (Jetty's client sizes its own pool)");
    }

    /** Source addresses to use: as given, or enough for the connection count. */
    int effectiveLocalAddresses() {
        return localAddresses(localAddresses, connections);
    }

    private static int localAddresses(int given, int connections) {
        return given > 0 ? given : (connections + CONNECTIONS_PER_LOCAL_ADDRESS - 1) / CONNECTIONS_PER_LOCAL_ADDRESS;
    }

    /** The WebSocket client to use: as given, else {@code jetty} for {@code wss://} and {@code nio} otherwise. */
    ClientKind effectiveClient() {
        if (client != null) {
            return client;
        }
        return url != null && "wss".equals(url.getScheme()) ? ClientKind.JETTY : ClientKind.NIO;
    }

    /** Whether senders run closed-loop ({@code --rate max}). */
    boolean closedLoop() {
        return rate == 0;
    }

    /** The same options pointed at another server (the baseline), without authentication. */
    BenchOptions withTarget(URI otherUrl) {
        return new BenchOptions(otherUrl, false, false, scenario, connections, rooms, senders, rate, window,
                messageChars, warmup, duration, historyMessages, concurrency, localAddresses, firstAddress, null, true,
                allowRemote, json, SqliteChatStore.Synchronous.NORMAL, ramp, null, client, clientThreads, List.of());
    }

    /** The guest-token endpoint: {@code --token-url}, or {@code /api/guest} on the WebSocket URL's host. */
    URI guestTokenUrl(URI webSocketUrl) {
        if (tokenUrl != null) {
            return tokenUrl;
        }
        String scheme = "wss".equals(webSocketUrl.getScheme()) ? "https" : "http";
        try {
            return new URI(scheme, null, webSocketUrl.getHost(), webSocketUrl.getPort(), "/api/guest", null, null);
        } catch (URISyntaxException e) {
            throw new UsageException("cannot derive the token URL from " + webSocketUrl);
        }
    }

    /**
     * Parses the arguments that follow {@code bench}.
     *
     * @throws UsageException naming the bad option and what it needs
     */
    public static BenchOptions parse(String[] args) {
        URI url = null;
        List<URI> moreUrls = new ArrayList<>();
        URI tokenUrl = null;
        boolean embedded = false;
        boolean baseline = false;
        boolean noAuth = false;
        boolean allowRemote = false;
        boolean json = false;
        boolean ramp = false;
        Duration step = Duration.ofSeconds(5);
        Duration p99Limit = Duration.ofMillis(250);
        List<String> rampSettings = new ArrayList<>();
        SqliteChatStore.Synchronous sqliteSync = SqliteChatStore.Synchronous.NORMAL;
        Scenario scenario = Scenario.FANOUT;
        int connections = 100;
        Integer rooms = null;
        Integer senders = null;
        Integer rate = null;
        int window = 1;
        int messageChars = 100;
        int historyMessages = 500;
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        int concurrency = 64;
        int localAddresses = 0;
        int firstAddress = 1;
        Long serverPid = null;
        ClientKind client = null;
        int clientThreads = 1;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                inline = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            switch (flag) {
                case "--embedded" -> embedded = true;
                case "--baseline" -> baseline = true;
                case "--no-auth" -> noAuth = true;
                case "--allow-remote" -> allowRemote = true;
                case "--json" -> json = true;
                case "--ramp" -> ramp = true;
                default -> {
                    if (!VALUE_FLAGS.contains(flag)) {
                        throw new UsageException(flag.startsWith("--") ? "unknown option: " + flag
                                : "unexpected argument: " + flag);
                    }
                    String value = inline != null ? inline : value(args, ++i, flag);
                    switch (flag) {
                        case "--url" -> {
                            if (url == null) {
                                url = webSocketUrl(value);
                            } else {
                                moreUrls.add(webSocketUrl(value));
                            }
                        }
                        case "--token-url" -> tokenUrl = httpUrl(value);
                        case "--scenario" -> scenario = Scenario.parse(value);
                        case "--connections" -> connections = integer(flag, value);
                        case "--rooms" -> rooms = integer(flag, value);
                        case "--senders" -> senders = integer(flag, value);
                        case "--rate" -> rate = "max".equals(value) ? 0 : positive(flag, value);
                        case "--window" -> window = integer(flag, value);
                        case "--message-chars" -> messageChars = integer(flag, value);
                        case "--history-messages" -> historyMessages = integer(flag, value);
                        case "--warmup" -> warmup = duration(flag, value);
                        case "--duration" -> duration = duration(flag, value);
                        case "--concurrency" -> concurrency = integer(flag, value);
                        case "--local-addresses" -> localAddresses = positive(flag, value);
                        case "--first-address" -> firstAddress = positive(flag, value);
                        case "--sqlite-sync" -> sqliteSync = switch (value.toLowerCase(Locale.ROOT)) {
                            case "normal" -> SqliteChatStore.Synchronous.NORMAL;
                            case "full" -> SqliteChatStore.Synchronous.FULL;
                            default -> throw new UsageException("--sqlite-sync must be normal or full, got " + value);
                        };
                        case "--step" -> {
                            step = duration(flag, value);
                            rampSettings.add(flag);
                        }
                        case "--p99-limit" -> {
                            p99Limit = duration(flag, value);
                            rampSettings.add(flag);
                        }
                        case "--server-pid" -> serverPid = (long) positive(flag, value);
                        case "--client" -> client = ClientKind.parse(value);
                        case "--client-threads" -> clientThreads = integer(flag, value);
                        default -> throw new IllegalStateException("flag without a case: " + flag);
                    }
                }
            }
        }
        int defaultRooms = switch (scenario) {
            case FANOUT, HISTORY, REACTIONS -> 1;
            case ROOMS, READS -> Math.max(1, connections / 10);
            case IDLE, STORM -> 0;
        };
        int r = rooms != null ? rooms : defaultRooms;
        int defaultSenders = switch (scenario) {
            case FANOUT -> Math.min(connections, 4);
            case ROOMS, READS -> Math.min(connections, r);
            case HISTORY, REACTIONS -> connections;
            case IDLE, STORM -> 0;
        };
        int s = senders != null ? senders : defaultSenders;
        if (!ramp && !rampSettings.isEmpty()) {
            throw new UsageException(String.join(" and ", rampSettings) + " only apply with --ramp");
        }
        int defaultRate = ramp ? Ramp.DEFAULT_START : switch (scenario) {
            case FANOUT, READS -> 100;
            case ROOMS -> 500;
            case HISTORY -> 200;
            case REACTIONS -> Math.max(1, s); // each reacting user once a second
            case IDLE, STORM -> 1;
        };
        return new BenchOptions(url, embedded, baseline, scenario, connections, r,
                s, rate != null ? rate : defaultRate, window, messageChars,
                warmup, duration, historyMessages, concurrency, localAddresses, firstAddress, tokenUrl, noAuth, allowRemote,
                json, sqliteSync, ramp ? new Ramp(step, p99Limit) : null,
                serverPid, client, clientThreads, List.copyOf(moreUrls));
    }

    /** Every node's URL: {@code url} (the one this run targets) and, when it is the --url, the others given. */
    List<URI> nodeUrls(URI runUrl) {
        if (!runUrl.equals(url) || moreUrls.isEmpty()) {
            return List.of(runUrl);
        }
        List<URI> all = new ArrayList<>();
        all.add(url);
        all.addAll(moreUrls);
        return all;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[i];
    }

    private static int integer(String flag, String raw) {
        try {
            return Integer.parseInt(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a whole number, got '" + raw + "'");
        }
    }

    private static int positive(String flag, String raw) {
        int v = integer(flag, raw);
        require(v > 0, flag + " must be positive, got " + v);
        return v;
    }

    /** {@code 10} (seconds), {@code 10s}, {@code 500ms}, {@code 2m}. */
    static Duration duration(String flag, String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a time like 10, 10s, 500ms or 2m, got '" + raw + "'");
        }
    }

    private static URI webSocketUrl(String raw) {
        URI uri = uri("--url", raw);
        require("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme()),
                "--url must start with ws:// or wss://, got '" + raw + "'");
        require(uri.getHost() != null, "--url needs a host, got '" + raw + "'");
        return uri;
    }

    private static URI httpUrl(String raw) {
        URI uri = uri("--token-url", raw);
        require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                "--token-url must start with http:// or https://, got '" + raw + "'");
        require(uri.getHost() != null, "--token-url needs a host, got '" + raw + "'");
        return uri;
    }

    private static URI uri(String flag, String raw) {
        try {
            return new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new UsageException(flag + " is not a URL: " + e.getMessage());
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    /** A command line the tool cannot run with; the message says what to fix. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
