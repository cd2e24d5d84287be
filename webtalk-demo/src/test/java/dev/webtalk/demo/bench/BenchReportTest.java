package dev.webtalk.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {
    private static BenchReport report(String target, double deliveriesPerSecond, double p99, BenchReport.Order order,
                                      Double cpu) {
        BenchReport.Latency latency = new BenchReport.Latency(100, 1, 2, p99, p99, p99, 1.5);
        return new BenchReport(target, "ws://127.0.0.1:1/ws", "fanout", 10, 1, 2, "100/s", 0.5, 20,
                latency, 0, 10, 1000, 1000, 10_000, 0, 0, 0, 0, 100, deliveriesPerSecond, latency, latency,
                order, cpu, cpu, null, null, null, List.of(), null, List.of("a note"));
    }

    @Test
    void latencyComesFromMicrosecondHistogramsInMilliseconds() {
        Histogram h = BenchStats.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10L);
        }
        BenchReport.Latency l = BenchReport.Latency.of(h);
        assertEquals(1000, l.count());
        assertEquals(5.0, l.p50(), 0.01);
        assertEquals(9.9, l.p99(), 0.01);
        assertEquals(10.0, l.max(), 0.01);
        assertEquals(BenchReport.Latency.NONE, BenchReport.Latency.of(BenchStats.newHistogram()));
    }

    @Test
    void aRunPassesOnlyWithACleanOrderCheck() {
        assertTrue(report("webtalk", 1, 1, new BenchReport.Order(10, 0, 0, 0, 0), null).passed());
        assertFalse(report("webtalk", 1, 1, new BenchReport.Order(10, 1, 0, 0, 0), null).passed());
        assertFalse(report("webtalk", 1, 1, new BenchReport.Order(10, 0, 0, 0, 3), null).passed());
    }

    @Test
    void theTableShowsRatiosAgainstTheBaselineAndNaWhereUnknown() {
        String table = BenchReport.table(report("webtalk", 5000, 4, new BenchReport.Order(10, 0, 0, 0, 0), null),
                report("baseline", 10_000, 2, new BenchReport.Order(10, 0, 0, 0, 0), 1.0));
        assertTrue(table.contains("deliveries/s out"), table);
        assertTrue(table.contains("0.50x"), "throughput ratio: " + table);
        assertTrue(table.contains("2.00x"), "latency ratio: " + table);
        assertTrue(table.matches("(?s).*server CPU \\(s\\)\\s+n/a\\s+1\\.00.*"), table);
        assertTrue(table.contains("ok (10)"), table);
        assertTrue(table.contains("PASS"), table);
        assertTrue(table.contains("note: a note"), table);
    }

    @Test
    void theEfficiencyFigureIsDeliveriesPerServerCpuSecond() throws Exception {
        BenchReport measured = report("baseline", 10_000, 2, new BenchReport.Order(10, 0, 0, 0, 0), 2.0);
        assertEquals(5000.0, measured.deliveriesPerServerCpuSecond(), 1e-9, "10,000 delivered in 2 CPU-seconds");
        assertEquals(null, report("webtalk", 1, 1, new BenchReport.Order(1, 0, 0, 0, 0), null)
                .deliveriesPerServerCpuSecond(), "unknown without the server's CPU");
        assertTrue(BenchReport.table(measured, null).matches("(?s).*deliveries/server CPU-s\\s+5000\n.*"),
                BenchReport.table(measured, null));
        assertEquals(5000.0, new ObjectMapper().readTree(measured.toJson()).path("deliveriesPerServerCpuSecond")
                .asDouble(), 1e-9);
    }

    @Test
    void theClientsOwnCpuStandsNextToTheServersAndSaysWhenItWasTheLimit() throws Exception {
        BenchReport.Latency latency = new BenchReport.Latency(100, 1, 2, 3, 3, 3, 1.5);
        BenchReport.Client client = BenchReport.Client.of(ClientKind.NIO, new ClientProbe.Cpu(9.7, 9.5, 1, 1, 10));
        BenchReport saturated = new BenchReport("webtalk", "ws://127.0.0.1:1/ws", "fanout", 100, 1, 4, "max", 0.5, 200,
                latency, 0, 10, 1000, 1000, 5_000_000, 0, 0, 0, 0, 100, 500_000, latency, latency,
                new BenchReport.Order(100, 0, 0, 0, 0), 4.0, null, client, null, null, List.of(), null, List.of());

        assertEquals(1.94, saturated.clientCpuMicrosPerDelivery(), 1e-9, "9.7 s for 5,000,000 deliveries");
        assertEquals(0.8, saturated.serverCpuMicrosPerDelivery(), 1e-9);
        String table = BenchReport.table(saturated, null);
        assertTrue(table.matches("(?s).*client \\(I/O threads\\)\\s+nio \\(1\\)\n.*"), table);
        assertTrue(table.matches("(?s).*client CPU \\(s\\)\\s+9\\.70\n.*"), table);
        assertTrue(table.matches("(?s).*client CPU/delivery \\(us\\)\\s+1\\.94\n.*"), table);
        assertTrue(table.matches("(?s).*server CPU/delivery \\(us\\)\\s+0\\.80\n.*"), table);
        assertTrue(table.matches("(?s).*busiest client thread \\(%\\)\\s+95\n.*"), table);
        assertTrue(table.matches("(?s).*client saturated\\s+YES\n.*"), table);
        JsonNode json = new ObjectMapper().readTree(saturated.toJson());
        assertEquals("nio", json.path("client").path("kind").asText());
        assertTrue(json.path("client").path("saturated").asBoolean());
        assertEquals(0.95, json.path("client").path("busiestIoThreadShare").asDouble(), 1e-9);
        assertEquals(1.94, json.path("clientCpuMicrosPerDelivery").asDouble(), 1e-9);

        String unknown = BenchReport.table(report("webtalk", 1, 1, new BenchReport.Order(1, 0, 0, 0, 0), null), null);
        assertTrue(unknown.matches("(?s).*client CPU \\(s\\)\\s+n/a\n.*"), unknown);
    }

    @Test
    void aRampListsEveryStepAfterTheTable() throws Exception {
        BenchReport.Latency latency = new BenchReport.Latency(100, 1, 2, 3, 4, 5, 1.5);
        List<Ramp.Step> steps = List.of(new Ramp.Step(100, 100, 10_000, 1.5, 20, 0, 0, true, 0.5, 0.25, false),
                new Ramp.Step(125, 101, 10_100, 90, 400, 3, 0, false, null, 0.95, true));
        BenchReport ramped = new BenchReport("webtalk", "ws://127.0.0.1:1/ws", "fanout", 100, 1, 4, "ramp, held 100/s",
                0.5, 200, latency, 0, 5, 500, 500, 50_000, 0, 0, 0, 0, 100, 10_000, latency, latency,
                new BenchReport.Order(100, 0, 0, 0, 0), 1.0, 2.0, null, null, null, steps, null, List.of());
        String table = BenchReport.table(ramped, null);
        assertTrue(table.contains("ramp (webtalk)"), table);
        assertTrue(table.matches("(?s).*\\s100\\s+100\\.0\\s+10000\\s+1\\.50\\s+20\\.00\\s+0\\s+0\\s+0\\.50\\s+0\\.25\\s+yes\n.*"),
                table);
        assertTrue(table.matches("(?s).*\\s125\\s+101\\.0\\s+10100\\s+90\\.00\\s+400\\.00\\s+3\\s+0\\s+n/a\\s+0\\.95\\s+no "
                + "\\(client saturated\\)\n.*"), table);
        JsonNode json = new ObjectMapper().readTree(ramped.toJson());
        assertEquals(2, json.path("ramp").size());
        assertFalse(json.path("ramp").get(1).path("held").asBoolean());
        assertEquals(125, json.path("ramp").get(1).path("rate").asInt());
        assertTrue(json.path("ramp").get(1).path("clientSaturated").asBoolean());
        assertEquals(0.5, json.path("ramp").get(0).path("serverCores").asDouble(), 1e-9);
        assertFalse(BenchReport.table(report("webtalk", 1, 1, new BenchReport.Order(1, 0, 0, 0, 0), null), null)
                .contains("ramp ("), "no ramp section without a ramp");
    }

    @Test
    void aReactionStormShowsItsReactionsAndPushesInsteadOfMessageFigures() throws Exception {
        BenchReport.Latency ack = new BenchReport.Latency(1000, 1.25, 2, 7.5, 9, 10, 1.5);
        BenchReport.Interaction reactions = new BenchReport.Interaction("react", "reactions", 1000, 1000, 100, 100,
                ack, 2000, 10, 11, 50.0, 2100, 1048576, 0.25);
        BenchReport storm = new BenchReport("webtalk", "ws://127.0.0.1:1/ws", "reactions", 100, 1, 100, "100/s",
                0.5, 200, ack, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, BenchReport.Latency.NONE, BenchReport.Latency.NONE,
                BenchReport.Order.NOT_CHECKED, 0.25, 1.0, null, null, null, List.of(), reactions, List.of());
        String table = BenchReport.table(storm, null);
        assertFalse(table.contains("messages/s in"), "no messages in the window: " + table);
        assertFalse(table.contains("latency p50"), table);
        assertTrue(table.matches("(?s).*react acked/s\\s+100\\.0\n.*"), table);
        assertTrue(table.matches("(?s).*react ack p99 \\(ms\\)\\s+7\\.50\n.*"), table);
        assertTrue(table.matches("(?s).*reactions pushes/client/s\\s+10\\.00\n.*"), table);
        assertTrue(table.matches("(?s).*requests per push\\s+50\\.0\n.*"), table);
        assertTrue(table.matches("(?s).*MiB received \\(payloads\\)\\s+1\\.00\n.*"), table);
        assertTrue(table.matches("(?s).*server CPU/react \\(ms\\)\\s+0\\.250\n.*"), table);
        assertTrue(table.contains("PASS"), table);
        JsonNode json = new ObjectMapper().readTree(storm.toJson());
        assertEquals(2000, json.path("interaction").path("pushes").asLong());
        assertEquals(7.5, json.path("interaction").path("ackLatency").path("p99").asDouble());
        assertTrue(new ObjectMapper().readTree(report("webtalk", 1, 1, new BenchReport.Order(1, 0, 0, 0, 0), null)
                .toJson()).path("interaction").isNull(), "other scenarios have none");
        assertTrue(BenchReport.table(report("webtalk", 1, 1, new BenchReport.Order(1, 0, 0, 0, 0), null), null)
                .contains("messages/s in"), "other scenarios keep their message rows");
    }

    @Test
    void theJsonCarriesEveryFieldAndTheVerdict() throws Exception {
        JsonNode json = new ObjectMapper().readTree(
                report("webtalk", 5000, 4, new BenchReport.Order(10, 0, 2, 0, 0), null).toJson());
        assertEquals(5000, json.path("deliveriesPerSecond").asDouble());
        assertEquals(4, json.path("latency").path("p99").asDouble());
        assertEquals(2, json.path("order").path("duplicates").asLong());
        assertFalse(json.path("order").path("ok").asBoolean());
        assertFalse(json.path("passed").asBoolean());
        assertTrue(json.path("serverCpuSeconds").isNull());

        JsonNode both = new ObjectMapper().readTree(BenchReport.toJson(
                report("webtalk", 5000, 4, new BenchReport.Order(1, 0, 0, 0, 0), null),
                report("baseline", 10_000, 2, new BenchReport.Order(1, 0, 0, 0, 0), null)));
        assertEquals(0.5, both.path("ratio").path("deliveriesPerSecond").asDouble(), 1e-9);
        assertEquals("baseline", both.path("baseline").path("target").asText());
    }
}
