package dev.webtalk.demo.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket connection of the {@link NioTransport}: a non-blocking socket served by one
 * {@link NioLoop}, which connects it, does the opening handshake and reads and decodes its frames (all
 * on the loop's thread). Text frames go to the {@link BenchClient} straight out of the loop's read
 * buffer; only the tail of a frame cut by a read is copied, into this socket's own small buffer.
 * Any thread may send: a frame is written at once if the socket takes it, else queued and written by
 * the loop when the socket is writable again.
 */
final class NioSocket implements ClientSocket, WebSocketFrames.Sink {
    /** Largest frame accepted from the server (a join reply lists every member). */
    static final long MAX_PAYLOAD = 4L << 20;

    private enum State { CONNECTING, HANDSHAKE, OPEN, CLOSED }

    private final NioLoop loop;
    private final BenchClient client;
    private final Handshake handshake;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile State state = State.CONNECTING;
    private SocketChannel channel;
    private SelectionKey key;

    /** Bytes of an incomplete frame (or handshake answer), kept from one read to the next; loop thread only. */
    private byte[] carry = new byte[0];
    private int carryLength;
    /** The whole length of the incomplete frame in {@link #carry}, once its header is complete; else 0. */
    private long carryFrameLength;
    /** A text message split over several frames, until its last one; loop thread only. */
    private ByteArrayOutputStream fragments;
    private boolean binaryFragments;
    private long arrived;

    /** Frames not yet written, in order; guarded by {@code this}. */
    private final ArrayDeque<Pending> unwritten = new ArrayDeque<>();
    private boolean closeSent;
    private boolean closedReported;

    private record Pending(ByteBuffer bytes, CompletableFuture<Void> written) {
    }

    NioSocket(NioLoop loop, BenchClient client, URI url, InetSocketAddress remote, InetSocketAddress local) {
        this.loop = loop;
        this.client = client;
        this.handshake = new Handshake(url);
        this.remote = remote;
        this.local = local;
    }

    /** Starts connecting on the loop; completes when the handshake succeeded. */
    CompletableFuture<Void> open() {
        loop.execute(() -> {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                if (local != null) {
                    channel.bind(local);
                }
                boolean connected = channel.connect(remote);
                key = channel.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    startHandshake();
                }
            } catch (IOException | RuntimeException e) {
                abort(e);
            }
        });
        return opened;
    }

    void onConnectable() throws IOException {
        if (channel.finishConnect()) {
            startHandshake();
        }
    }

    private void startHandshake() {
        state = State.HANDSHAKE;
        key.interestOps(SelectionKey.OP_READ);
        write(handshake.request(), new CompletableFuture<>());
    }

    void onReadable() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        byte[] buf;
        int length;
        if (carryFrameLength > NioLoop.READ_BUFFER_BYTES) {
            // A frame bigger than the loop's buffer: read the rest of it into this socket's own.
            int n = channel.read(ByteBuffer.wrap(carry, carryLength, (int) carryFrameLength - carryLength));
            if (n < 0) {
                endOfStream();
                return;
            }
            carryLength += n;
            if (carryLength < carryFrameLength) {
                return;
            }
            buf = carry;
            length = carryLength;
        } else {
            ByteBuffer in = loop.readBuffer();
            in.clear();
            in.put(carry, 0, carryLength);
            int n = channel.read(in);
            if (n < 0) {
                endOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            buf = in.array();
            length = in.position();
        }
        carryLength = 0;
        carryFrameLength = 0;
        arrived = System.nanoTime(); // everything in this read arrived together
        int from = 0;
        if (state == State.HANDSHAKE) {
            from = handshakeAnswer(buf, length);
            if (from < 0) {
                return;
            }
        }
        try {
            int consumed = WebSocketFrames.decode(buf, from, length, MAX_PAYLOAD, this);
            if (state != State.CLOSED && consumed < length) {
                long whole = WebSocketFrames.frameLength(buf, consumed, length, MAX_PAYLOAD); // -1: header cut
                keep(buf, consumed, length, whole > NioLoop.READ_BUFFER_BYTES ? (int) whole : 0);
                carryFrameLength = Math.max(0, whole);
            }
        } catch (WebSocketFrames.ProtocolError e) {
            fail(e.closeCode, e.getMessage());
        }
    }

    /** Returns where the frames start after the answer's head, or -1 (head incomplete, or refused). */
    private int handshakeAnswer(byte[] buf, int length) {
        try {
            int head = Handshake.headLength(buf, length);
            if (head < 0) {
                keep(buf, 0, length, 0);
                return -1;
            }
            handshake.verify(buf, head);
            state = State.OPEN;
            client.onOpen(this);
            opened.complete(null);
            return head;
        } catch (Handshake.Refused e) {
            abort(new IOException("handshake with " + remote + ": " + e.getMessage()));
            return -1;
        }
    }

    /** Keeps {@code buf[from..to)} for the next read, in a buffer of at least {@code capacity} bytes. */
    private void keep(byte[] buf, int from, int to, int capacity) {
        int n = to - from;
        if (carry.length < Math.max(n, capacity)) {
            carry = new byte[Math.max(Math.max(n, capacity), Math.min(2 * carry.length, NioLoop.READ_BUFFER_BYTES))];
        }
        System.arraycopy(buf, from, carry, 0, n);
        carryLength = n;
    }

    @Override
    public void onFrame(int opcode, boolean fin, byte[] buf, int from, int length) {
        if (state != State.OPEN) {
            return; // after a close: the rest is not read
        }
        switch (opcode) {
            case WebSocketFrames.TEXT, WebSocketFrames.BINARY -> {
                if (fragments != null) {
                    fail(1002, "a new message inside a fragmented one");
                } else if (fin) {
                    if (opcode == WebSocketFrames.TEXT) {
                        client.onText(buf, from, length, arrived);
                    }
                } else {
                    fragments = new ByteArrayOutputStream();
                    binaryFragments = opcode == WebSocketFrames.BINARY;
                    fragments.write(buf, from, length);
                }
            }
            case WebSocketFrames.CONTINUATION -> {
                if (fragments == null) {
                    fail(1002, "a continuation frame without a message to continue");
                    return;
                }
                fragments.write(buf, from, length);
                if (fragments.size() > MAX_PAYLOAD) {
                    fail(1009, "a message of more than " + MAX_PAYLOAD + " bytes");
                } else if (fin) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    if (!binaryFragments) {
                        client.onText(whole, 0, whole.length, arrived);
                    }
                }
            }
            case WebSocketFrames.PING -> write(WebSocketFrames.encode(WebSocketFrames.PONG, buf, from, length,
                    ThreadLocalRandom.current().nextInt()), new CompletableFuture<>());
            case WebSocketFrames.CLOSE -> {
                int code = length >= 2 ? ((buf[from] & 0xFF) << 8) | (buf[from + 1] & 0xFF) : 1005;
                String reason = length > 2 ? new String(buf, from + 2, length - 2, StandardCharsets.UTF_8) : "";
                sendClose(code == 1005 ? 1000 : code, "");
                closeNow(code, reason);
            }
            default -> {
                // PONG: nothing to do
            }
        }
    }

    @Override
    public CompletableFuture<Void> sendText(byte[] utf8) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        synchronized (this) {
            if (state != State.OPEN || closeSent) {
                written.completeExceptionally(new IOException("connection " + client.index + " is not open"));
                return written;
            }
        }
        write(WebSocketFrames.encode(WebSocketFrames.TEXT, utf8, 0, utf8.length, ThreadLocalRandom.current().nextInt()),
                written);
        return written;
    }

    @Override
    public void close(int code, String reason) {
        sendClose(code, reason);
    }

    @Override
    public boolean isOpen() {
        synchronized (this) {
            return state == State.OPEN && !closeSent;
        }
    }

    private void sendClose(int code, String reason) {
        byte[] payload = WebSocketFrames.closePayload(code, reason);
        synchronized (this) {
            if (closeSent || state != State.OPEN) {
                return;
            }
            closeSent = true;
        }
        write(WebSocketFrames.encode(WebSocketFrames.CLOSE, payload, 0, payload.length,
                ThreadLocalRandom.current().nextInt()), new CompletableFuture<>());
    }

    /** Writes {@code frame} now if the socket takes it all, else queues it for the loop. */
    private void write(byte[] frame, CompletableFuture<Void> written) {
        ByteBuffer bytes = ByteBuffer.wrap(frame);
        try {
            synchronized (this) {
                if (state == State.CLOSED) {
                    throw new IOException("connection " + client.index + " is closed");
                }
                if (unwritten.isEmpty()) {
                    channel.write(bytes);
                    if (!bytes.hasRemaining()) {
                        written.complete(null);
                        return;
                    }
                }
                unwritten.add(new Pending(bytes, written));
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            if (!loop.inLoop()) {
                loop.wakeup();
            }
        } catch (IOException | RuntimeException e) {
            written.completeExceptionally(e);
            loop.execute(() -> abort(e));
        }
    }

    void onWritable() throws IOException {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            while (!unwritten.isEmpty()) {
                Pending next = unwritten.peek();
                channel.write(next.bytes());
                if (next.bytes().hasRemaining()) {
                    break;
                }
                unwritten.poll();
                done.add(next.written());
            }
            if (unwritten.isEmpty() && key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        done.forEach(f -> f.complete(null));
    }

    private void endOfStream() {
        closeNow(1006, "the server closed the connection without a close frame");
    }

    /** Fails the connection: a close frame with {@code code}, then the socket is closed. */
    private void fail(int code, String reason) {
        sendClose(code, reason);
        closeNow(code, reason);
    }

    /** On an I/O error, a refused handshake or the loop's end: closes without a close frame. */
    void abort(Throwable cause) {
        opened.completeExceptionally(cause);
        closeNow(1006, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    private void closeNow(int code, String reason) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        boolean report;
        synchronized (this) {
            boolean wasOpen = state == State.OPEN;
            state = State.CLOSED;
            for (Pending p : unwritten) {
                failed.add(p.written());
            }
            unwritten.clear();
            report = wasOpen && !closedReported;
            closedReported |= wasOpen;
        }
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closed anyway
        }
        IOException cause = new IOException("connection " + client.index + " closed: " + code + " " + reason);
        failed.forEach(f -> f.completeExceptionally(cause));
        opened.completeExceptionally(cause);
        if (report) {
            client.onClosed(code, reason);
        }
    }
}
