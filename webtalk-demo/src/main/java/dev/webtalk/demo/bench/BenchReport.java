package dev.webtalk.demo.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The outcome of one bench run against one server: immutable, printable as a table (optionally next
 * to a baseline run, with ratios) or as JSON. Rates are per second of the measured window and counted
 * at the clients; latencies are in milliseconds.
 *
 * @param target              {@code webtalk} or {@code baseline}
 * @param url                 the WebSocket URL measured
 * @param connectSeconds      wall time to open every connection (handshake to {@code welcome})
 * @param measuredSeconds     the measured window, after warmup
 * @param messagesPerSecond   messages acknowledged by the server (history: pages answered)
 * @param deliveriesPerSecond message pushes arriving at receivers (history: messages read)
 * @param latency             intended send time to arrival at a receiver (history: to the page)
 * @param replyLatency        intended send time to the sender's acknowledgement
 * @param order               the delivery check: every receiver, every message of its room, in order
 * @param serverCpuSeconds    CPU of the server in the window: its threads in this JVM, or the whole server
 *                            process on this machine; null when the server cannot be observed
 * @param processCpuSeconds   CPU of the whole JVM in the window; null unless in this JVM
 * @param client              the bench client and its own CPU in the window; null if it never got to measure
 * @param heapBytes           heap after GC at the end: this JVM (tool and server), or the server process
 *                            through {@code jcmd}; null when the server cannot be observed
 * @param heapPerConnection   idle only: heap growth per open connection (both ends when the server is in this JVM,
 *                            the server alone when it is another local process); null otherwise
 * @param ramp                with {@code --ramp}: every step, in order; empty otherwise
 * @param interaction         reactions, reads: the reactions or read marks and their pushes; null otherwise
 */
public record BenchReport(String target, String url, String scenario, int connections, int rooms, int senders,
                          String rate, double connectSeconds, double connectsPerSecond, Latency connectLatency,
                          long connectFailures, double measuredSeconds, long sent, long acked, long delivered,
                          long errors, long disconnects, long skipped, long unanswered, double messagesPerSecond,
                          double deliveriesPerSecond, Latency latency, Latency replyLatency, Order order,
                          Double serverCpuSeconds, Double processCpuSeconds, Client client, Long heapBytes,
                          Long heapPerConnection,
                          List<Ramp.Step> ramp, Interaction interaction, List<String> notes) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BenchReport {
        ramp = List.copyOf(ramp);
        notes = List.copyOf(notes);
    }

    /**
     * The efficiency figure: deliveries per CPU-second of the server, in the measured window; null when
     * the server's CPU is not known (or was zero).
     */
    @JsonProperty("deliveriesPerServerCpuSecond")
    public Double deliveriesPerServerCpuSecond() {
        return serverCpuSeconds == null || serverCpuSeconds <= 0 ? null : delivered / serverCpuSeconds;
    }

    /** The client's CPU per delivery in the window, in microseconds; null when unknown or nothing was delivered. */
    @JsonProperty("clientCpuMicrosPerDelivery")
    public Double clientCpuMicrosPerDelivery() {
        return client == null || delivered == 0 ? null : client.cpuSeconds * 1e6 / delivered;
    }

    /** The server's CPU per delivery in the window, in microseconds; null when unknown or nothing was delivered. */
    @JsonProperty("serverCpuMicrosPerDelivery")
    public Double serverCpuMicrosPerDelivery() {
        return serverCpuSeconds == null || delivered == 0 ? null : serverCpuSeconds * 1e6 / delivered;
    }

    /** Whether the run is sound: all connected, nothing lost, duplicated or reordered, no disconnects. */
    @JsonProperty("passed")
    public boolean passed() {
        return connectFailures == 0 && disconnects == 0 && order.ok();
    }

    /** Percentiles of one latency distribution, in milliseconds. */
    public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
        static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

        /** From a histogram of microseconds. */
        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return NONE;
            }
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), micros.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * The delivery check over every receiver and room.
     *
     * @param streams    (receiver, room) pairs checked
     * @param gaps       seqs skipped and never received
     * @param duplicates seqs received twice
     * @param outOfOrder seqs received after a higher one
     * @param missing    seqs up to the room's last acknowledged one that a receiver never got
     */
    public record Order(long streams, long gaps, long duplicates, long outOfOrder, long missing) {
        static final Order NOT_CHECKED = new Order(0, 0, 0, 0, 0);

        @JsonProperty("ok")
        public boolean ok() {
            return gaps == 0 && duplicates == 0 && outOfOrder == 0 && missing == 0;
        }
    }

    /**
     * The bench client in the measured window (see {@link ClientProbe}): which one, its CPU, and whether it
     * was itself the limit, in which case the throughput figures are its ceiling rather than the server's.
     *
     * @param kind                 {@code nio} or {@code jetty} ({@code --client})
     * @param ioThreads            its I/O threads ({@code --client-threads}); 0 for Jetty's shared pool
     * @param cores                processors the tool's JVM may use (fewer under {@code taskset})
     * @param cpuSeconds           its CPU in the window: the whole JVM when the server is elsewhere, the
     *                             tool's threads when they share it
     * @param busiestIoThreadShare the busiest I/O thread's CPU ÷ the window (1 = a full core); null for Jetty
     * @param saturated            an I/O thread at 90 % of a core or more, or the client at 90 % of its cores
     */
    public record Client(String kind, int ioThreads, int cores, double cpuSeconds, Double busiestIoThreadShare,
                         boolean saturated) {
        static Client of(ClientKind kind, ClientProbe.Cpu cpu) {
            return new Client(kind.wireName(), cpu.ioThreads(), cpu.cores(), cpu.seconds(), cpu.busiestIoThreadShare(),
                    cpu.saturated());
        }
    }

    /**
     * reactions, reads: the scenario's own requests besides messages, and the pushes they cause, in the
     * measured window, counted at the clients.
     *
     * @param request                     {@code react} or {@code mark_read}
     * @param push                        the push type they cause: {@code reactions} or {@code read}
     * @param sent                        requests sent
     * @param acked                       requests answered with a result that shows the change
     * @param sentPerSecond               requests sent per second (react: what the pacer asked for)
     * @param ackedPerSecond              requests acknowledged per second
     * @param ackLatency                  react: from the pacer's due time (as messages); mark_read: from the
     *                                    send, a reader that marks as messages arrive having no schedule
     * @param pushes                      pushes of that type received, all clients together
     * @param pushesPerClientPerSecond    the same per client and second, averaged over the clients
     * @param maxPushesPerClientPerSecond the client that received the most
     * @param requestsPerPush             acknowledged requests × clients each one concerns ÷ pushes: how many
     *                                    requests one push reports on average. 1 is a push per request and
     *                                    receiver; reactions gathered by the server give more. Null without pushes
     * @param frames                      frames of any type received by the clients
     * @param bytes                       their payload bytes
     * @param serverCpuMsPerRequest       the server's CPU in the window ÷ acknowledged requests, in ms; all the
     *                                    server did counts (reads: the messages too); null when unknown
     */
    public record Interaction(String request, String push, long sent, long acked, double sentPerSecond,
                              double ackedPerSecond, Latency ackLatency, long pushes, double pushesPerClientPerSecond,
                              double maxPushesPerClientPerSecond, Double requestsPerPush, long frames, long bytes,
                              Double serverCpuMsPerRequest) {
    }

    /** The report as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A WebTalk report and its baseline as one JSON object, with WebTalk ÷ baseline ratios. */
    public static String toJson(BenchReport webtalk, BenchReport baseline) {
        ObjectNode root = JSON.createObjectNode();
        root.set("webtalk", JSON.valueToTree(webtalk));
        root.set("baseline", JSON.valueToTree(baseline));
        ObjectNode ratio = root.putObject("ratio");
        for (Row row : rows()) {
            if (row.numeric != null) {
                Double r = ratio(row.numeric.apply(webtalk), row.numeric.apply(baseline));
                if (r != null) {
                    ratio.put(row.key, r);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A human-readable table; with a baseline, a column for it and one for WebTalk ÷ baseline. */
    public static String table(BenchReport report, BenchReport baseline) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nWebTalk bench: %s, %d connections, %d room(s), %d sender(s), rate %s, "
                        + "%.1f s measured%n  %s%n", report.scenario, report.connections, report.rooms, report.senders,
                report.rate, report.measuredSeconds, report.url));
        String format = baseline == null ? "  %-26s %14s%n" : "  %-26s %14s %14s %9s%n";
        out.append(String.format(Locale.ROOT, format, "", report.target, baseline == null ? "" : baseline.target,
                "ratio"));
        for (Row row : rows()) {
            if (row.messages && "reactions".equals(report.scenario)) {
                continue; // the scenario posts its messages before measuring: those rows would read 0
            }
            String mine = row.text.apply(report);
            if (baseline == null) {
                out.append(String.format(Locale.ROOT, format, row.label, mine));
            } else {
                Double r = row.numeric == null ? null
                        : ratio(row.numeric.apply(report), row.numeric.apply(baseline));
                out.append(String.format(Locale.ROOT, format, row.label, mine, row.text.apply(baseline),
                        r == null ? "" : String.format(Locale.ROOT, "%.2fx", r)));
            }
        }
        if (report.interaction != null) {
            for (Row row : interactionRows(report.interaction)) {
                out.append(String.format(Locale.ROOT, "  %-26s %14s%n", row.label, row.text.apply(report)));
            }
        }
        out.append(String.format(Locale.ROOT, "  %-26s %14s%n", "result",
                report.passed() ? "PASS" : "FAIL"));
        appendRamp(out, report);
        if (baseline != null) {
            appendRamp(out, baseline);
        }
        for (String note : report.notes) {
            out.append("  note: ").append(note).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static void appendRamp(StringBuilder out, BenchReport report) {
        if (report.ramp.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%n  ramp (%s)%n  %10s %12s %14s %10s %10s %7s %8s %12s %12s  %s%n",
                report.target, "rate/s", "messages/s", "deliveries/s", "p50 (ms)", "p99 (ms)", "errors", "skipped",
                "server cores", "client cores", "held"));
        for (Ramp.Step step : report.ramp) {
            out.append(String.format(Locale.ROOT, "  %10d %12.1f %14.0f %10.2f %10.2f %7d %8d %12s %12.2f  %s%s%n",
                    step.rate(), step.messagesPerSecond(), step.deliveriesPerSecond(), step.p50(), step.p99(),
                    step.errors(), step.skipped(), step.serverCores() == null ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", step.serverCores()), step.clientCores(),
                    step.held() ? "yes" : "no", step.clientSaturated() ? " (client saturated)" : ""));
        }
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    /** One line of the table; {@code messages}: a figure about chat messages, left out where none are sent. */
    private record Row(String key, String label, Function<BenchReport, String> text,
                       Function<BenchReport, Double> numeric, boolean messages) {
        Row(String key, String label, Function<BenchReport, String> text, Function<BenchReport, Double> numeric) {
            this(key, label, text, numeric, false);
        }

        Row aboutMessages() {
            return new Row(key, label, text, numeric, true);
        }
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(num("connectSeconds", "connect all (s)", r -> r.connectSeconds, "%.2f"));
        rows.add(num("connectsPerSecond", "connects/s", r -> r.connectsPerSecond, "%.0f"));
        rows.add(num("connectP99", "connect p99 (ms)", r -> r.connectLatency.p99, "%.1f"));
        rows.add(count("connectFailures", "connect failures", r -> r.connectFailures));
        rows.add(count("sent", "sent", r -> r.sent).aboutMessages());
        rows.add(count("acked", "acknowledged", r -> r.acked).aboutMessages());
        rows.add(count("delivered", "delivered", r -> r.delivered).aboutMessages());
        rows.add(count("errors", "errors", r -> r.errors));
        rows.add(count("disconnects", "disconnects", r -> r.disconnects));
        rows.add(count("skipped", "skipped (too many unacked)", r -> r.skipped));
        rows.add(num("messagesPerSecond", "messages/s in", r -> r.messagesPerSecond, "%.1f").aboutMessages());
        rows.add(num("deliveriesPerSecond", "deliveries/s out", r -> r.deliveriesPerSecond, "%.0f").aboutMessages());
        rows.add(num("latencyP50", "latency p50 (ms)", r -> r.latency.p50, "%.2f").aboutMessages());
        rows.add(num("latencyP90", "latency p90 (ms)", r -> r.latency.p90, "%.2f").aboutMessages());
        rows.add(num("latencyP99", "latency p99 (ms)", r -> r.latency.p99, "%.2f").aboutMessages());
        rows.add(num("latencyP999", "latency p99.9 (ms)", r -> r.latency.p999, "%.2f").aboutMessages());
        rows.add(num("latencyMax", "latency max (ms)", r -> r.latency.max, "%.2f").aboutMessages());
        rows.add(num("ackP99", "ack latency p99 (ms)", r -> r.replyLatency.p99, "%.2f").aboutMessages());
        rows.add(new Row("order", "order check", r -> r.order.streams == 0 ? "n/a"
                : r.order.ok() ? "ok (" + r.order.streams + ")"
                : String.format(Locale.ROOT, "gaps %d dup %d late %d missing %d", r.order.gaps,
                r.order.duplicates, r.order.outOfOrder, r.order.missing), null));
        rows.add(num("serverCpuSeconds", "server CPU (s)", r -> r.serverCpuSeconds, "%.2f"));
        rows.add(num("deliveriesPerServerCpuSecond", "deliveries/server CPU-s",
                BenchReport::deliveriesPerServerCpuSecond, "%.0f").aboutMessages());
        rows.add(num("serverCpuMicrosPerDelivery", "server CPU/delivery (us)", BenchReport::serverCpuMicrosPerDelivery,
                "%.2f").aboutMessages());
        rows.add(new Row("client", "client (I/O threads)", r -> r.client == null ? "n/a"
                : r.client.kind + " (" + (r.client.ioThreads == 0 ? "pool" : r.client.ioThreads) + ")", null));
        rows.add(num("clientCpuSeconds", "client CPU (s)", r -> r.client == null ? null : r.client.cpuSeconds, "%.2f"));
        rows.add(num("clientCpuMicrosPerDelivery", "client CPU/delivery (us)", BenchReport::clientCpuMicrosPerDelivery,
                "%.2f").aboutMessages());
        rows.add(num("clientBusiestThreadPercent", "busiest client thread (%)",
                r -> r.client == null || r.client.busiestIoThreadShare == null ? null
                        : 100 * r.client.busiestIoThreadShare, "%.0f"));
        rows.add(new Row("clientSaturated", "client saturated", r -> r.client == null ? "n/a"
                : r.client.saturated ? "YES" : "no", null));
        rows.add(num("processCpuSeconds", "JVM CPU, tool+server (s)", r -> r.processCpuSeconds, "%.2f"));
        rows.add(num("heapMiB", "heap after GC (MiB)",
                r -> r.heapBytes == null ? null : r.heapBytes / 1048576.0, "%.1f"));
        rows.add(num("heapPerConnectionKiB", "heap/connection (KiB)",
                r -> r.heapPerConnection == null ? null : r.heapPerConnection / 1024.0, "%.1f"));
        return rows;
    }

    /** The rows of the reactions or read marks, labelled with their request and push types. */
    private static List<Row> interactionRows(Interaction i) {
        String q = i.request;
        List<Row> rows = new ArrayList<>();
        rows.add(num("sentPerSecond", q + " sent/s", r -> i.sentPerSecond, "%.1f"));
        rows.add(num("ackedPerSecond", q + " acked/s", r -> i.ackedPerSecond, "%.1f"));
        rows.add(num("ackP50", q + " ack p50 (ms)", r -> i.ackLatency.p50, "%.2f"));
        rows.add(num("ackP99", q + " ack p99 (ms)", r -> i.ackLatency.p99, "%.2f"));
        rows.add(count("pushes", i.push + " pushes", r -> i.pushes));
        rows.add(num("pushesPerClientPerSecond", i.push + " pushes/client/s", r -> i.pushesPerClientPerSecond, "%.2f"));
        rows.add(num("maxPushesPerClientPerSecond", "busiest client, pushes/s", r -> i.maxPushesPerClientPerSecond,
                "%.2f"));
        rows.add(num("requestsPerPush", "requests per push", r -> i.requestsPerPush, "%.1f"));
        rows.add(count("frames", "frames received (all)", r -> i.frames));
        rows.add(num("mib", "MiB received (payloads)", r -> i.bytes / 1048576.0, "%.2f"));
        rows.add(num("serverCpuMsPerRequest", "server CPU/" + q + " (ms)", r -> i.serverCpuMsPerRequest, "%.3f"));
        return rows;
    }

    private static Row num(String key, String label, Function<BenchReport, Double> value, String format) {
        return new Row(key, label, r -> {
            Double v = value.apply(r);
            return v == null ? "n/a" : String.format(Locale.ROOT, format, v);
        }, value);
    }

    private static Row count(String key, String label, Function<BenchReport, Long> value) {
        return new Row(key, label, r -> Long.toString(value.apply(r)), null);
    }
}
