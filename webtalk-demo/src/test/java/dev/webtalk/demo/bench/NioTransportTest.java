package dev.webtalk.demo.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tool's own WebSocket client against a hand-written server on a real socket, which sends what a
 * server may: frames cut across reads, a message in fragments, a ping, a frame larger than the client's
 * read buffer, a close with a code. Checks what the client makes of them and what it answers.
 */
class NioTransportTest {
    private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

    private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    private NioTransport transport;

    NioTransportTest() throws IOException {
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        if (transport != null) {
            transport.close();
        }
    }

    /** What the client saw, recorded from its I/O thread. */
    private static final class Recorder implements BenchClient.Listener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<Long> dues = new CopyOnWriteArrayList<>();
        final List<PushType> types = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onFrame(BenchClient client, PushType type, int bytes) {
            types.add(type);
        }

        @Override
        public void onMessage(BenchClient client, BenchClient.TrackedRoom room, long seq, long due, long arrivedNanos) {
            seqs.add(seq);
            dues.add(due);
            if (room != null) {
                room.tracker().onMessage(seq);
            }
        }

        @Override
        public void onUnsolicitedError(BenchClient client, String code) {
            types.add(PushType.ERROR);
        }

        @Override
        public void onClosed(BenchClient client, int code, String reason) {
            closed.complete(code + " " + reason);
        }
    }

    private static byte[] text(String json) {
        return WebSocketFramesTest.serverFrame(WebSocketFrames.TEXT, true, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(long seq, String text) {
        return "{\"type\":\"message\",\"room\":\"r1\",\"pos\":" + seq + ",\"message\":{\"room\":\"r1\",\"seq\":" + seq
                + ",\"author\":{\"id\":\"u\",\"name\":\"A\"},\"kind\":\"text\",\"text\":\"" + text + "\"}}";
    }

    /** A frame from the client: unmasked payload, opcode first. */
    private record ClientFrame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static ClientFrame readClientFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(0x80, b1 & 0x80, "a client frame is masked");
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] key = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) length);
        for (int k = 0; k < payload.length; k++) {
            payload[k] ^= key[k & 3];
        }
        assertEquals(0x80, b0 & 0x80, "whole frames only");
        return new ClientFrame(b0 & 0x0F, payload);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client hung up during its request");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void readsWhatAServerMaySendAndAnswersPingsAndCloses() throws Exception {
        String big = "3 " + "x".repeat(NioLoop.READ_BUFFER_BYTES + 50_000);
        byte[] cut = text(message(1, "111 first"));
        int half = cut.length / 2;
        CompletableFuture<List<ClientFrame>> answers = new CompletableFuture<>();
        CompletableFuture<String> request = new CompletableFuture<>();
        Thread serverThread = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String head = readHead(in);
                request.complete(head);
                Matcher key = KEY.matcher(head);
                assertTrue(key.find(), head);
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                first.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + Handshake.acceptFor(key.group(1)) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                first.writeBytes(text("{\"type\":\"welcome\",\"protocol\":2}"));
                first.write(cut, 0, half); // the client reads the welcome with half a frame
                out.write(first.toByteArray());
                out.flush();
                DataInputStream frames = new DataInputStream(in);
                ClientFrame go = readClientFrame(frames); // sent once the welcome was read
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                rest.write(cut, half, cut.length - half);
                byte[] fragmented = message(2, "222 in three pieces").getBytes(StandardCharsets.UTF_8);
                rest.writeBytes(WebSocketFramesTest.serverFrame(WebSocketFrames.TEXT, false,
                        java.util.Arrays.copyOfRange(fragmented, 0, 10)));
                rest.writeBytes(WebSocketFramesTest.serverFrame(WebSocketFrames.PING, true,
                        "p!".getBytes(StandardCharsets.UTF_8))); // a control frame between fragments
                rest.writeBytes(WebSocketFramesTest.serverFrame(WebSocketFrames.CONTINUATION, false,
                        java.util.Arrays.copyOfRange(fragmented, 10, 30)));
                rest.writeBytes(WebSocketFramesTest.serverFrame(WebSocketFrames.CONTINUATION, true,
                        java.util.Arrays.copyOfRange(fragmented, 30, fragmented.length)));
                rest.writeBytes(text(message(3, big)));
                rest.writeBytes(WebSocketFramesTest.serverFrame(WebSocketFrames.CLOSE, true,
                        WebSocketFrames.closePayload(4003, "slow consumer")));
                out.write(rest.toByteArray());
                out.flush();
                ClientFrame pong = readClientFrame(frames);
                ClientFrame close = readClientFrame(frames);
                answers.complete(List.of(go, pong, close));
            } catch (Throwable e) {
                answers.completeExceptionally(e);
            }
        }, "test-server");
        serverThread.setDaemon(true);
        serverThread.start();

        transport = new NioTransport(1, 1, 1);
        Recorder seen = new Recorder();
        BenchClient client = new BenchClient(0, seen);
        client.track("r1", 0);
        transport.connect(client, URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws?token=t"))
                .get(10, TimeUnit.SECONDS);
        client.welcome().get(10, TimeUnit.SECONDS);
        assertTrue(request.get().startsWith("GET /ws?token=t HTTP/1.1\r\n"), request.get());
        client.send(BenchClient.frame("go")).get(10, TimeUnit.SECONDS);

        List<ClientFrame> replies = answers.get(15, TimeUnit.SECONDS);
        assertEquals("{\"type\":\"go\"}", replies.get(0).text());
        assertEquals(WebSocketFrames.PONG, replies.get(1).opcode());
        assertArrayEquals("p!".getBytes(StandardCharsets.UTF_8), replies.get(1).payload(), "the ping's payload");
        assertEquals(WebSocketFrames.CLOSE, replies.get(2).opcode());
        assertEquals(4003, ((replies.get(2).payload()[0] & 0xFF) << 8) | (replies.get(2).payload()[1] & 0xFF),
                "the close echoed with the server's code");

        assertEquals("4003 slow consumer", seen.closed.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1L, 2L, 3L), seen.seqs, "the cut, the fragmented and the big message, in order");
        assertEquals(List.of(111L, 222L, 3L), seen.dues);
        assertEquals(List.of(PushType.WELCOME, PushType.MESSAGE, PushType.MESSAGE, PushType.MESSAGE), seen.types);
        SeqTracker order = client.tracked().get(0).tracker();
        assertEquals(3, order.received());
        assertEquals(0, order.gaps() + order.duplicates() + order.outOfOrder());
        assertTrue(!client.isOpen());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aRefusedHandshakeFailsTheConnectWithTheServersAnswer() throws Exception {
        Thread serverThread = new Thread(() -> {
            try (Socket s = server.accept()) {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getInputStream().read(); // until the client hangs up
            } catch (IOException ignored) {
                // the test fails on the client's side if this did not work
            }
        }, "test-server");
        serverThread.setDaemon(true);
        serverThread.start();
        transport = new NioTransport(1, 1, 1);
        Recorder seen = new Recorder();
        CompletableFuture<Void> connect = transport.connect(new BenchClient(0, seen),
                URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws"));

        Throwable failure = connect.handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
        assertTrue(failure != null && failure.getMessage().contains("401 Unauthorized"), String.valueOf(failure));
        assertTrue(!seen.closed.isDone(), "a connection that never opened is no disconnect");
    }

    @Test
    void theNioClientSpeaksPlainWebSocketOnly() throws Exception {
        transport = new NioTransport(1, 1, 1);
        CountDownLatch failed = new CountDownLatch(1);
        transport.connect(new BenchClient(0, new Recorder()), URI.create("wss://127.0.0.1:1/ws"))
                .whenComplete((ok, e) -> {
                    if (e != null && e.getMessage().contains("ws:// only")) {
                        failed.countDown();
                    }
                });
        assertTrue(failed.await(5, TimeUnit.SECONDS));
    }
}
