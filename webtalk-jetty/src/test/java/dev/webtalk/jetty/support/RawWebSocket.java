package dev.webtalk.jetty.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client written by hand over a plain socket, for tests that need a client that does not
 * read: it completes the handshake, writes masked text frames, and reads only when asked. Its receive
 * buffer is kept small so the server's queue fills quickly.
 */
public final class RawWebSocket implements AutoCloseable {
    /** A frame the server sent: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Opens {@code path} (with its query) on the local port; fails unless the answer is {@code 101}. */
    public static RawWebSocket open(int port, String path, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString("raw-websocket-k!".getBytes(StandardCharsets.US_ASCII))
                + "\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + head);
        }
        return ws;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes one masked text frame, as RFC 6455 requires of a client. */
    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one masked, final frame with the given opcode (0x1 text, 0x9 ping, 0xA pong, ...). */
    public void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode); // FIN + opcode
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            throw new IllegalArgumentException("frame too large for this test client");
        }
        byte[] mask = {0x37, 0x5a, 0x11, (byte) 0xc3};
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next frame the server sent (servers do not mask). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Reads frames up to and including the server's close frame. */
    public List<Frame> readUntilClose() throws IOException {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            Frame f = read();
            frames.add(f);
            if (f.opcode() == 0x8) {
                return frames;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The raw input, for tests that want to check the stream ended. */
    public InputStream input() {
        return in;
    }
}
