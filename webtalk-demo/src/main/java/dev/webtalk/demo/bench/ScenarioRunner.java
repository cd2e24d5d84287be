package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one scenario against one server, start to finish: tokens, connections, rooms, warmup, the
 * measured window, a drain that waits for in-flight messages, the delivery check and the teardown.
 * Prints a progress line each second and returns a {@link BenchReport}.
 *
 * <p>Latency is measured from the time a message was <em>due</em> to be sent by the fixed-rate pacer,
 * not when it actually left, so a stalled client or server shows up in the numbers instead of silently
 * lowering the send rate (coordinated omission). The due time travels in the message text; sender and
 * receivers are in this JVM, so one {@link System#nanoTime} clock serves both.
 */
final class ScenarioRunner implements BenchClient.Listener {
    private static final Duration DRAIN = Duration.ofSeconds(5);
    /** A ramp ends past the server's limit, with a backlog in flight: give it longer to arrive. */
    private static final Duration RAMP_DRAIN = Duration.ofSeconds(30);
    private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KEEPALIVE = Duration.ofSeconds(25);
    /** Unanswered requests per sender past which the fixed-rate pacer skips (and counts) a send. */
    static final int MAX_IN_FLIGHT_PER_SENDER = 1000;
    private static final int HISTORY_PAGE = 50;
    /**
     * reactions: the messages the storm goes through in turn. Each gets everyone's emoji, and on the next
     * pass over them loses it again, so the storm can go on at a steady rate without running into the
     * per-message emoji limit or a user's no-op repeats.
     */
    static final int REACTION_TARGETS = 10;
    /** reactions: the one emoji everyone uses, 👍. */
    static final String EMOJI = "\uD83D\uDC4D";
    /** reads: the shortest gap between two marks of one user, like a client that reads as messages arrive. */
    static final Duration READ_MARK_EVERY = Duration.ofSeconds(1);
    /** reads: how often marks held back by {@link #READ_MARK_EVERY} are looked at. */
    private static final Duration READ_MARK_TICK = Duration.ofMillis(100);

    private final BenchOptions options;
    private final String target;
    private final URI url;
    /** The nodes clients connect to, in turn: {@link #url}, and the other nodes of its cluster if given. */
    private final List<URI> nodes;
    private final ServerProbe probe;
    private final PrintStream progress;
    private final BenchStats stats = new BenchStats();
    private ClientProbe clientProbe;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastAckedSeq = new ConcurrentHashMap<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private final String padding;
    private BenchClient[] clients;
    private String[] roomIds = new String[0];
    private AtomicInteger[] inFlight;
    private volatile boolean sending;
    /** The fixed-rate pacer's gap between two sends; a ramp changes it between steps. */
    private volatile long sendInterval;
    private final List<Ramp.Step> rampSteps = new ArrayList<>();
    private int heldRate;
    private final Histogram latency = BenchStats.newHistogram();
    private final Histogram replyLatency = BenchStats.newHistogram();
    private final Histogram interactionLatency = BenchStats.newHistogram();
    /** The push type the scenario's own requests cause ({@code reactions}, {@code read}), counted per client; or null. */
    private final PushType pushType;
    /** reactions: the seqs of the messages reacted to, and how many reactions each user made (pacer thread only). */
    private long[] reactionTargets = new long[0];
    private long[] reactionsMade = new long[0];
    /** reads: when each user marks its room read; null for other scenarios. */
    private ReadPacer[] readPacers;
    /** reactions, reads: the pushes each client received in the measured window. */
    private long[] windowPushes;

    ScenarioRunner(BenchOptions options, String target, URI url, ServerProbe probe, PrintStream progress) {
        this.options = options;
        this.target = target;
        this.url = url;
        this.nodes = options.nodeUrls(url);
        this.probe = probe;
        this.progress = progress;
        this.padding = "x".repeat(options.messageChars());
        this.pushType = switch (options.scenario()) {
            case REACTIONS -> PushType.REACTIONS;
            case READS -> PushType.READ;
            default -> null;
        };
    }

    BenchReport run() throws Exception {
        int n = options.connections();
        clients = new BenchClient[n];
        inFlight = new AtomicInteger[Math.max(1, options.senders())];
        for (int i = 0; i < inFlight.length; i++) {
            inFlight[i] = new AtomicInteger();
        }
        ScheduledExecutorService keepalive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, Connector.THREAD_PREFIX + "keepalive");
            t.setDaemon(true);
            return t;
        });
        try (Connector connector = new Connector(options.effectiveClient(), options.clientThreads(),
                options.effectiveLocalAddresses(), options.firstAddress(), options.concurrency())) {
            clientProbe = new ClientProbe(connector.transport().ioThreads(), probe instanceof ServerProbe.InThisJvm);
            notes.add(connector.transport().description());
            notes.add(clientProbe.description());
            String[] tokens = fetchTokens(connector);
            Long heapBefore = options.scenario() == Scenario.IDLE ? probe.heapUsedAfterGc() : null;

            if (options.scenario() == Scenario.STORM) {
                probe.begin();
                clientProbe.begin();
            }
            long connectStart = System.nanoTime();
            Throwable connectFailure = forAll(n, options.concurrency(), "connect", i -> {
                BenchClient client = new BenchClient(i, this);
                clients[i] = client;
                long start = System.nanoTime();
                return connector.connect(client, Connector.withToken(nodes.get(i % nodes.size()), tokens[i]))
                        .thenCompose(opened -> client.welcome())
                        .orTimeout(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((welcome, failure) -> {
                            if (failure == null) {
                                stats.connected.increment();
                                stats.connectLatency.recordValue(BenchStats.micros(start, System.nanoTime()));
                            } else {
                                stats.connectFailures.increment();
                            }
                        });
            });
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            Histogram connectLatency = stats.connectLatency.getIntervalHistogram();
            if (connectFailure != null) {
                notes.add(stats.connectFailures.sum() + " connection(s) failed; first: " + message(connectFailure));
                closeAll();
                return report(connectSeconds, connectLatency, 0, BenchStats.Counts.NONE,
                        BenchReport.Order.NOT_CHECKED, new ServerProbe.Cpu(null, null), null, null, null);
            }
            keepalive.scheduleAtFixedRate(this::pingAll, KEEPALIVE.toMillis(), KEEPALIVE.toMillis(),
                    TimeUnit.MILLISECONDS);

            if (options.scenario() == Scenario.STORM) {
                notes.add("storm: connects/s = connections / time to open all, "
                        + options.concurrency() + " handshakes in flight");
                return finish(connectSeconds, connectLatency, connectSeconds,
                        BenchStats.Counts.NONE, probe.end(), clientProbe.end(), null);
            }
            Long heapPerConnection = null;
            Long heapAfter = options.scenario() == Scenario.IDLE && heapBefore != null ? probe.heapUsedAfterGc() : null;
            if (heapAfter != null) {
                heapPerConnection = (heapAfter - heapBefore) / n;
                notes.add("idle: heap per connection counts " + probe.heapCounts());
            }
            setUpRooms();
            if (readPacers != null) {
                keepalive.scheduleAtFixedRate(this::markDueReads, READ_MARK_TICK.toMillis(), READ_MARK_TICK.toMillis(),
                        TimeUnit.MILLISECONDS);
            }

            // Warmup, then the measured window; this thread prints and switches phases each second.
            sending = options.scenario() != Scenario.IDLE;
            Thread pacer = startLoad();
            tick("warmup", options.warmup(), null, null, null);
            Window window = options.ramp() == null ? measure("measure", options.duration()) : ramp(options.ramp());
            sending = false;
            if (pacer != null) {
                pacer.join(TimeUnit.SECONDS.toMillis(5));
            }
            drain(options.ramp() == null ? DRAIN : RAMP_DRAIN);
            if (options.ramp() == null) {
                // Deliveries that arrive while draining belong to the measured window's messages.
                window.latency().add(stats.deliveryLatency.getIntervalHistogram());
                window.replies().add(stats.replyLatency.getIntervalHistogram());
                window.interactions().add(stats.interactionLatency.getIntervalHistogram());
            }
            latency.add(window.latency());
            replyLatency.add(window.replies());
            interactionLatency.add(window.interactions());
            windowPushes = window.pushesPerClient();
            return finish(connectSeconds, connectLatency, window.seconds(), window.counts(), window.cpu(),
                    window.clientCpu(), heapPerConnection);
        } finally {
            sending = false;
            keepalive.shutdownNow();
        }
    }

    /**
     * What one measured stretch of load saw: counts, latencies (deliveries, acknowledgements of messages,
     * of reactions or read marks), the server's and the client's CPU, and the counted pushes each client
     * received.
     */
    private record Window(BenchStats.Counts counts, double seconds, Histogram latency, Histogram replies,
                          Histogram interactions, ServerProbe.Cpu cpu, ClientProbe.Cpu clientCpu,
                          long[] pushesPerClient) {
    }

    /** Keeps the load as it is for {@code length} and measures it. */
    private Window measure(String phase, Duration length) throws InterruptedException {
        BenchStats.Counts atStart = stats.counts();
        long[] pushesAtStart = pushesPerClient();
        Histogram deliveries = BenchStats.newHistogram();
        Histogram replies = BenchStats.newHistogram();
        Histogram interactions = BenchStats.newHistogram();
        probe.begin();
        clientProbe.begin();
        long start = System.nanoTime();
        tick(phase, length, deliveries, replies, interactions);
        double seconds = (System.nanoTime() - start) / 1e9;
        ServerProbe.Cpu cpu = probe.end();
        ClientProbe.Cpu clientCpu = clientProbe.end();
        long[] pushes = pushesPerClient();
        for (int i = 0; i < pushes.length; i++) {
            pushes[i] -= pushesAtStart[i];
        }
        return new Window(stats.counts().minus(atStart), seconds, deliveries, replies, interactions, cpu, clientCpu,
                pushes);
    }

    private long[] pushesPerClient() {
        long[] counts = new long[clients.length];
        for (int i = 0; i < clients.length; i++) {
            counts[i] = clients[i].counted();
        }
        return counts;
    }

    /**
     * Raises the rate step by step until a step breaks the ramp's limits; returns the last step that held
     * (or the first step, if none did). Every step is kept for the report.
     */
    private Window ramp(Ramp ramp) throws InterruptedException {
        Window held = null;
        Window first = null;
        int rate = options.rate();
        for (int step = 0; step < Ramp.MAX_STEPS; step++) {
            setRate(rate);
            Window w = measure(String.format(Locale.ROOT, "%d/s", rate), ramp.step());
            double acked = w.counts().acked() / w.seconds();
            double p99 = w.latency().getValueAtPercentile(99) / 1000.0;
            boolean ok = ramp.held(rate, options.senders(), acked, p99, w.counts().errors(), w.counts().skipped());
            rampSteps.add(new Ramp.Step(rate, acked, w.counts().delivered() / w.seconds(),
                    w.latency().getValueAtPercentile(50) / 1000.0, p99, w.counts().errors(), w.counts().skipped(), ok,
                    w.cpu().server() == null ? null : w.cpu().server() / w.seconds(), w.clientCpu().coresBusy(),
                    w.clientCpu().saturated()));
            first = first == null ? w : first;
            if (!ok) {
                break;
            }
            held = w;
            heldRate = rate;
            rate = Ramp.next(rate);
        }
        Ramp.Step last = rampSteps.get(rampSteps.size() - 1);
        if (held == null) {
            notes.add(String.format(Locale.ROOT, "ramp: the first step, %d/s, already broke the limits "
                    + "(p99 %.1f ms, limit %d ms): start lower with --rate", last.rate(), last.p99(),
                    ramp.p99Limit().toMillis()));
            return first;
        }
        notes.add(last.held()
                ? String.format(Locale.ROOT, "ramp: stopped after %d steps, still within the limits at %d/s",
                rampSteps.size(), last.rate())
                : String.format(Locale.ROOT, "ramp: held %d/s; at %d/s p99 %.1f ms (limit %d ms), %d errors, %d skipped, "
                        + "%.0f of %d/s acknowledged", heldRate, last.rate(), last.p99(), ramp.p99Limit().toMillis(),
                last.errors(), last.skipped(), last.messagesPerSecond(), last.rate()));
        notes.add("ramp: the figures above are the last step that held");
        return held;
    }

    private void setRate(int perSecond) {
        sendInterval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    private BenchReport finish(double connectSeconds, Histogram connectLatency, double measured,
                               BenchStats.Counts window, ServerProbe.Cpu cpu, ClientProbe.Cpu clientCpu,
                               Long heapPerConnection) {
        BenchReport.Order order = options.scenario().sendsMessages() ? orderCheck() : BenchReport.Order.NOT_CHECKED;
        Long heap = probe.heapUsedAfterGc();
        if (!errorCodes.isEmpty()) {
            Map<String, Long> sorted = new TreeMap<>();
            errorCodes.forEach((code, count) -> sorted.put(code, count.sum()));
            notes.add("errors by code: " + sorted);
        }
        closeAll();
        return report(connectSeconds, connectLatency, measured, window, order, cpu, clientCpu, heap,
                heapPerConnection);
    }

    private BenchReport report(double connectSeconds, Histogram connectLatency, double measured,
                               BenchStats.Counts window, BenchReport.Order order, ServerProbe.Cpu cpu,
                               ClientProbe.Cpu clientCpu, Long heap, Long heapPerConnection) {
        long unanswered = 0;
        for (BenchClient c : clients) {
            if (c != null) {
                unanswered += c.unanswered();
            }
        }
        if (options.scenario() == Scenario.HISTORY) {
            notes.add("history: messages/s in = pages read/s, deliveries/s = messages read/s, latency = page latency");
        }
        if (options.scenario() == Scenario.REACTIONS) {
            notes.add(String.format(Locale.ROOT, "reactions: %d users each react %.2f times a second with one emoji "
                            + "(U+1F44D) on %d messages in turn (on, then off on the next pass); all %d connections "
                            + "are in the room", options.senders(), (double) options.rate() / options.senders(),
                    REACTION_TARGETS, options.connections()));
        }
        if (options.scenario() == Scenario.READS) {
            notes.add("reads: each user marks its room read up to the newest message received, at most once every "
                    + READ_MARK_EVERY.toMillis() + " ms; server CPU per mark_read counts all the server did, "
                    + "messages included (compare --scenario rooms at the same load)");
        }
        notes.addAll(probe.notes());
        if (clientCpu != null && clientCpu.saturated()) {
            notes.add(saturationWarning(clientCpu));
        }
        double perSecond = measured > 0 ? 1 / measured : 0;
        BenchReport.Interaction interaction = pushType == null || windowPushes == null ? null
                : interaction(window, measured, cpu);
        return new BenchReport(target, url.toString(), options.scenario().wireName(), options.connections(),
                options.rooms(), options.senders(), rateLabel(), connectSeconds,
                connectSeconds > 0 ? stats.connected.sum() / connectSeconds : 0,
                BenchReport.Latency.of(connectLatency), stats.connectFailures.sum(), measured, window.sent(),
                window.acked(), window.delivered(), window.errors(), stats.disconnects.sum(), window.skipped(),
                unanswered, window.acked() * perSecond, window.delivered() * perSecond,
                BenchReport.Latency.of(latency), BenchReport.Latency.of(replyLatency), order, cpu.server(),
                cpu.process(), clientCpu == null ? null : BenchReport.Client.of(options.effectiveClient(), clientCpu), heap,
                heapPerConnection, rampSteps, interaction, notes);
    }

    /** Says that the figures are the client's ceiling, and why. */
    static String saturationWarning(ClientProbe.Cpu cpu) {
        Double busiest = cpu.busiestIoThreadShare();
        String why = busiest != null && busiest >= ClientProbe.SATURATED
                ? String.format(Locale.ROOT, "its busiest I/O thread used %.0f %% of a core", 100 * busiest)
                : String.format(Locale.ROOT, "it used %.2f of the %d core(s) it may use", cpu.coresBusy(), cpu.cores());
        return "WARNING: the bench client was saturated (" + why + "): the rates above are the client's ceiling, "
                + "not the server's. Give it more cores or --client-threads, or run it apart from the server";
    }

    /** The reactions or read marks of the measured window, and the pushes they caused. */
    private BenchReport.Interaction interaction(BenchStats.Counts window, double measured, ServerProbe.Cpu cpu) {
        double perSecond = measured > 0 ? 1 / measured : 0;
        long busiest = 0;
        for (long p : windowPushes) {
            busiest = Math.max(busiest, p);
        }
        // A reaction concerns everyone in the room (all connections here); a read mark only its user.
        int receivers = options.scenario() == Scenario.REACTIONS ? options.connections() : 1;
        long acked = window.interactionsAcked();
        Double requestsPerPush = window.pushes() == 0 ? null : (double) acked * receivers / window.pushes();
        Double cpuPerRequest = cpu.server() == null || acked == 0 ? null : cpu.server() * 1000 / acked;
        return new BenchReport.Interaction(options.scenario() == Scenario.REACTIONS ? "react" : "mark_read",
                pushType.name().toLowerCase(Locale.ROOT),
                window.interactionsSent(), acked, window.interactionsSent() * perSecond, acked * perSecond,
                BenchReport.Latency.of(interactionLatency), window.pushes(),
                window.pushes() * perSecond / clients.length, busiest * perSecond, requestsPerPush, window.frames(),
                window.bytes(), cpuPerRequest);
    }

    private String rateLabel() {
        if (options.scenario() == Scenario.IDLE || options.scenario() == Scenario.STORM) {
            return "n/a";
        }
        if (options.ramp() != null) {
            return heldRate > 0 ? "ramp, held " + heldRate + "/s" : "ramp from " + options.rate() + "/s, none held";
        }
        return options.closedLoop() ? "max (window " + options.window() + ")" : options.rate() + "/s";
    }

    private String[] fetchTokens(Connector connector) throws InterruptedException {
        String[] tokens = new String[options.connections()];
        if (options.noAuth()) {
            return tokens;
        }
        URI tokenUrl = options.guestTokenUrl(url);
        Throwable failure = forAll(tokens.length, options.concurrency(), "tokens",
                i -> connector.guestToken(tokenUrl, "bench-" + i).thenAccept(token -> tokens[i] = token));
        if (failure != null) {
            throw new IllegalStateException("cannot get guest tokens from " + tokenUrl + " (use --no-auth or "
                    + "--token-url for other hosts): " + message(failure));
        }
        return tokens;
    }

    private void setUpRooms() throws InterruptedException {
        int rooms = options.rooms();
        if (rooms == 0) {
            return;
        }
        roomIds = new String[rooms];
        // Connection r is the first member of room r (i % rooms == r), so it creates it.
        Throwable failure = forAll(rooms, options.concurrency(), "create rooms", r -> clients[r]
                .request(BenchClient.frame("create_room").put("name", "bench " + runId + " " + r))
                .thenAccept(result -> {
                    roomIds[r] = result.path("room").path("id").asText();
                    lastAckedSeq.put(roomIds[r], new AtomicLong());
                }));
        requireNoFailure(failure, "create rooms");
        if (options.scenario() == Scenario.HISTORY) {
            prefill(options.historyMessages(), "history");
        }
        if (options.scenario() == Scenario.REACTIONS) {
            reactionTargets = prefill(REACTION_TARGETS, "reaction targets");
            reactionsMade = new long[options.senders()];
        }
        if (options.scenario() == Scenario.READS) {
            readPacers = new ReadPacer[options.connections()];
        }
        failure = forAll(options.connections(), options.concurrency(), "join", i -> {
            String room = roomIds[i % rooms];
            return clients[i].request(BenchClient.frame("join").put("room", room)).thenAccept(result -> {
                JsonNode history = result.path("history");
                long last = history.size() == 0 ? 0 : history.get(history.size() - 1).path("seq").asLong();
                if (options.scenario().sendsMessages()) {
                    clients[i].track(room, last);
                }
                if (readPacers != null) {
                    readPacers[i] = new ReadPacer(READ_MARK_EVERY, last); // a member starts with all read
                }
            });
        });
        requireNoFailure(failure, "join");
    }

    /** Has the creator of the first room post {@code count} messages before the run; returns their seqs. */
    private long[] prefill(int count, String what) throws InterruptedException {
        String room = roomIds[0];
        // The creator is a member but must be present (joined) to send.
        requireNoFailure(forAll(1, 1, "join", i -> clients[0].request(BenchClient.frame("join").put("room", room))),
                "join");
        long[] seqs = new long[count];
        Throwable failure = forAll(count, 16, "fill " + what, k -> clients[0]
                .request(BenchClient.frame("send").put("room", room).put("text", what + " " + k + " " + padding))
                .thenAccept(result -> seqs[k] = result.path("message").path("seq").asLong()));
        requireNoFailure(failure, "fill " + what);
        return seqs;
    }

    private static void requireNoFailure(Throwable failure, String phase) {
        if (failure != null) {
            throw new IllegalStateException(phase + " failed: " + message(failure));
        }
    }

    /** Starts the senders (or history readers); returns the pacer thread, or null for closed loop / idle. */
    private Thread startLoad() {
        if (!sending) {
            return null;
        }
        int senders = options.senders();
        if (options.closedLoop()) {
            for (int s = 0; s < senders; s++) {
                for (int w = 0; w < options.window(); w++) {
                    chain(s);
                }
            }
            return null;
        }
        setRate(options.rate());
        Thread pacer = new Thread(() -> {
            long next = System.nanoTime();
            long k = 0;
            while (sending) {
                long now = System.nanoTime();
                while (next <= now && sending) {
                    int s = (int) (k++ % senders);
                    if (inFlight[s].get() >= MAX_IN_FLIGHT_PER_SENDER) {
                        stats.skipped.increment();
                    } else {
                        operation(s, next);
                    }
                    next += sendInterval;
                }
                // Sleep until the next send is due, but wake at least every 10 ms to see a stop or a new
                // rate: a 1 ms cap cost the client about a thousand idle wake-ups a second at low rates.
                LockSupport.parkNanos(Math.min(Math.max(next - System.nanoTime(), 0), 10_000_000));
            }
        }, Connector.THREAD_PREFIX + "pacer");
        pacer.setDaemon(true);
        pacer.start();
        return pacer;
    }

    private void chain(int sender) {
        if (!sending || !clients[sender].isOpen()) {
            return;
        }
        operation(sender, System.nanoTime()).whenComplete((ok, failure) -> chain(sender));
    }

    private CompletableFuture<?> operation(int sender, long due) {
        return switch (options.scenario()) {
            case HISTORY -> readHistory(sender, due);
            case REACTIONS -> react(sender, due);
            default -> sendMessage(sender, due);
        };
    }

    private CompletableFuture<?> sendMessage(int sender, long due) {
        String room = roomIds[sender % roomIds.length];
        stats.sent.increment();
        inFlight[sender].incrementAndGet();
        return clients[sender].request(BenchClient.frame("send").put("room", room)
                        .put("text", due + " " + padding.substring(Long.toString(due).length() + 1)))
                .whenComplete((result, failure) -> {
                    inFlight[sender].decrementAndGet();
                    if (failure == null) {
                        stats.acked.increment();
                        stats.replyLatency.recordValue(BenchStats.micros(due, System.nanoTime()));
                        long seq = result.path("message").path("seq").asLong();
                        lastAckedSeq.get(room).accumulateAndGet(seq, Math::max);
                    } else {
                        countError(failure);
                    }
                });
    }

    private CompletableFuture<?> readHistory(int reader, long due) {
        long newest = options.historyMessages();
        long before = 2 + ThreadLocalRandom.current().nextLong(newest);
        long expected = Math.min(HISTORY_PAGE, before - 1);
        stats.sent.increment();
        inFlight[reader].incrementAndGet();
        return clients[reader].request(BenchClient.frame("history").put("room", roomIds[0])
                        .put("before", before).put("limit", HISTORY_PAGE))
                .whenComplete((result, failure) -> {
                    inFlight[reader].decrementAndGet();
                    if (failure != null) {
                        countError(failure);
                        return;
                    }
                    long micros = BenchStats.micros(due, System.nanoTime());
                    stats.replyLatency.recordValue(micros);
                    stats.deliveryLatency.recordValue(micros);
                    JsonNode messages = result.path("messages");
                    boolean dense = messages.size() == expected;
                    for (int m = 0; dense && m < messages.size(); m++) {
                        dense = messages.get(m).path("seq").asLong() == before - expected + m;
                    }
                    if (dense) {
                        stats.acked.increment();
                        stats.delivered.add(messages.size());
                    } else {
                        stats.errors.increment();
                        errorCodes.computeIfAbsent("bad_history_page", k -> new LongAdder()).increment();
                    }
                });
    }

    /**
     * One reaction of user {@code reactor}, due at {@code due}. Its n-th reaction goes to target message
     * {@code n % REACTION_TARGETS}, put on in even passes over the targets and taken off in odd ones. The
     * pacer takes the users in turn, so all of them react to one message within about users ÷ rate
     * seconds, then move on to the next: the burst the server gathers into a few pushes. Counted as
     * acknowledged only if the reply shows the user's emoji on (or off) the message as asked.
     */
    private CompletableFuture<?> react(int reactor, long due) {
        long n = reactionsMade[reactor]++;
        long seq = reactionTargets[(int) (n % reactionTargets.length)];
        boolean add = n / reactionTargets.length % 2 == 0;
        stats.interactionsSent.increment();
        inFlight[reactor].incrementAndGet();
        return clients[reactor].request(BenchClient.frame("react").put("room", roomIds[0]).put("seq", seq)
                        .put("emoji", EMOJI).put("add", add))
                .whenComplete((result, failure) -> {
                    inFlight[reactor].decrementAndGet();
                    if (failure != null) {
                        countError(failure);
                    } else if (mine(result.path("message").path("reactions")) != add) {
                        stats.errors.increment();
                        errorCodes.computeIfAbsent("reaction_not_applied", k -> new LongAdder()).increment();
                    } else {
                        stats.interactionsAcked.increment();
                        stats.interactionLatency.recordValue(BenchStats.micros(due, System.nanoTime()));
                    }
                });
    }

    /** Whether a message's {@code reactions} hold {@link #EMOJI} as the reader's own. */
    private static boolean mine(JsonNode reactions) {
        for (JsonNode r : reactions) {
            if (EMOJI.equals(r.path("emoji").asText()) && r.path("mine").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks {@code room} read up to {@code seq} for {@code client}'s user; acknowledged if the marker the
     * server reports is at least there (it only moves forward, and {@code seq} was received).
     */
    private void markRead(BenchClient client, String room, long seq) {
        stats.interactionsSent.increment();
        long start = System.nanoTime();
        client.request(BenchClient.frame("mark_read").put("room", room).put("seq", seq))
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        countError(failure);
                    } else if (result.path("seq").asLong() < seq) {
                        stats.errors.increment();
                        errorCodes.computeIfAbsent("read_marker_behind", k -> new LongAdder()).increment();
                    } else {
                        stats.interactionsAcked.increment();
                        stats.interactionLatency.recordValue(BenchStats.micros(start, System.nanoTime()));
                    }
                });
    }

    /** reads: sends the marks that waited for {@link #READ_MARK_EVERY} to pass. */
    private void markDueReads() {
        if (!sending) {
            return;
        }
        long now = System.nanoTime();
        for (BenchClient c : clients) {
            ReadPacer pacer = readPacers[c.index];
            long seq = pacer == null ? 0 : pacer.due(now);
            if (seq > 0) {
                markRead(c, roomIds[c.index % roomIds.length], seq);
            }
        }
    }

    private void countError(Throwable failure) {
        stats.errors.increment();
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String code = cause instanceof BenchClient.ServerError e ? e.code : cause.getClass().getSimpleName();
        errorCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    @Override
    public void onMessage(BenchClient client, BenchClient.TrackedRoom room, long seq, long due, long arrivedNanos) {
        stats.delivered.increment();
        if (due != Long.MIN_VALUE) { // else not one of ours (a history fill or another user): counted, not timed
            stats.deliveryLatency.recordValue(BenchStats.micros(due, arrivedNanos));
        }
        if (room == null) {
            return;
        }
        room.tracker().onMessage(seq);
        ReadPacer pacer = readPacers == null ? null : readPacers[client.index];
        if (pacer != null && sending) {
            long mark = pacer.onMessage(seq, arrivedNanos);
            if (mark > 0) {
                markRead(client, room.id(), mark);
            }
        }
    }

    @Override
    public void onFrame(BenchClient client, PushType type, int bytes) {
        stats.frames.increment();
        stats.bytes.add(bytes);
        if (type == pushType) {
            stats.pushes.increment();
            client.count();
        }
    }

    @Override
    public void onUnsolicitedError(BenchClient client, String code) {
        stats.errors.increment();
        errorCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    @Override
    public void onClosed(BenchClient client, int code, String reason) {
        closed.incrementAndGet();
        if (!client.closing()) {
            stats.disconnects.increment();
            errorCodes.computeIfAbsent("close_" + code, k -> new LongAdder()).increment();
        }
    }

    private void pingAll() {
        for (BenchClient c : clients) {
            if (c != null && c.isOpen()) {
                c.send(BenchClient.frame("ping"));
            }
        }
    }

    /**
     * Prints a line each second for {@code length}; adds the latencies seen to {@code deliveries},
     * {@code replies} and {@code interactions}, or drops them if those are null.
     */
    private void tick(String phase, Duration length, Histogram deliveries, Histogram replies, Histogram interactions)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        BenchStats.Counts previous = stats.counts();
        long previousAt = start;
        long second = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long nextTick = start + TimeUnit.SECONDS.toNanos(++second);
            TimeUnit.NANOSECONDS.sleep(Math.min(nextTick, end) - now);
            now = System.nanoTime();
            Histogram interval = stats.deliveryLatency.getIntervalHistogram();
            Histogram answered = stats.replyLatency.getIntervalHistogram();
            Histogram marked = stats.interactionLatency.getIntervalHistogram();
            if (deliveries != null) {
                deliveries.add(interval);
                replies.add(answered);
                interactions.add(marked);
            }
            BenchStats.Counts current = stats.counts();
            BenchStats.Counts delta = current.minus(previous);
            double seconds = (now - previousAt) / 1e9;
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(now - start + 500_000_000L);
            if (options.scenario() == Scenario.REACTIONS) {
                // No messages flow: show the reactions, their pushes and their acknowledgements instead.
                progress.printf(Locale.ROOT, "[%s %s] %-7s %3ds  react %8.1f/s  pushes %7.0f/s  ack p50 %7.2f ms"
                                + "  p99 %7.2f ms  errors %d  disconnects %d%n", target, options.scenario().wireName(),
                        phase, elapsed, delta.interactionsAcked() / seconds, delta.pushes() / seconds,
                        marked.getValueAtPercentile(50) / 1000.0, marked.getValueAtPercentile(99) / 1000.0,
                        current.errors(), current.disconnects());
            } else {
                progress.printf(Locale.ROOT, "[%s %s] %-7s %3ds  in %8.1f/s  out %9.0f/s  p50 %7.2f ms  p99 %7.2f ms"
                                + "%s  errors %d  disconnects %d%n", target, options.scenario().wireName(), phase,
                        elapsed, delta.acked() / seconds, delta.delivered() / seconds,
                        interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
                        pushType == null ? "" : String.format(Locale.ROOT, "  mark_read %7.1f/s",
                                delta.interactionsAcked() / seconds),
                        current.errors(), current.disconnects());
            }
            previous = current;
            previousAt = now;
        }
        if (deliveries == null) {
            stats.deliveryLatency.reset();
            stats.replyLatency.reset();
            stats.interactionLatency.reset();
        }
    }

    /** Waits until every answer is in and every receiver has every acknowledged message, up to {@code limit}. */
    private void drain(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && !drained()) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private boolean drained() {
        for (BenchClient c : clients) {
            if (c.unanswered() > 0) {
                return false;
            }
            for (BenchClient.TrackedRoom t : c.tracked()) {
                if (t.tracker().last() < lastAckedSeq.get(t.id()).get()) {
                    return false;
                }
            }
        }
        return true;
    }

    private BenchReport.Order orderCheck() {
        long streams = 0;
        long gaps = 0;
        long duplicates = 0;
        long late = 0;
        long missing = 0;
        for (BenchClient c : clients) {
            for (BenchClient.TrackedRoom t : c.tracked()) {
                SeqTracker tracker = t.tracker();
                streams++;
                gaps += tracker.gaps();
                duplicates += tracker.duplicates();
                late += tracker.outOfOrder();
                missing += tracker.missingTail(lastAckedSeq.get(t.id()).get());
            }
        }
        return new BenchReport.Order(streams, gaps, duplicates, late, missing);
    }

    private void closeAll() {
        int open = 0;
        for (BenchClient c : clients) {
            if (c != null && c.isOpen()) {
                c.close();
                open++;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (closed.get() < open && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
    }

    /**
     * Runs {@code op(0..count-1)} with at most {@code concurrency} unfinished at once, printing progress
     * each second; returns the first failure (after all finished), or null.
     */
    private Throwable forAll(int count, int concurrency, String phase, IntFunction<CompletableFuture<?>> op)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Thread launcher = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                permits.acquireUninterruptibly();
                CompletableFuture<?> f;
                try {
                    f = op.apply(i).orTimeout(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        firstFailure.compareAndSet(null, failure);
                    }
                    permits.release();
                    done.countDown();
                });
            }
        }, Connector.THREAD_PREFIX + "launcher");
        launcher.setDaemon(true);
        launcher.start();
        long start = System.nanoTime();
        while (!done.await(1, TimeUnit.SECONDS)) {
            progress.printf(Locale.ROOT, "[%s %s] %-7s %3ds  %d/%d%n", target, options.scenario().wireName(), phase,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), count - done.getCount(), count);
        }
        return firstFailure.get();
    }

    private static String message(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
