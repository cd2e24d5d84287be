package dev.webtalk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards a local port to a service (Redis, PostgreSQL), for tests that need the service to go away for
 * some clients only: while {@linkplain #down() down} it cuts every connection and closes each new one at
 * once, as a service that restarts or a network that fails would look to the client.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean up = true;

    /** Forwards to Redis at {@code redis}. */
    public TcpProxy(URI redis) throws IOException {
        this(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    }

    /** Forwards to {@code host:port}. */
    public TcpProxy(String host, int port) throws IOException {
        target = new InetSocketAddress(host, port);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The local port to connect to instead of the service's. */
    public int port() {
        return server.getLocalPort();
    }

    /** The address to give a Redis client instead of Redis'. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + server.getLocalPort());
    }

    /** Cuts every connection and refuses new ones until {@link #up()}. */
    public void down() {
        up = false;
        sockets.forEach(TcpProxy::closeQuietly);
    }

    public void up() {
        up = true;
    }

    /** Connections closed at once because the proxy was down. */
    public int refused() {
        return refused.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!up) {
                    refused.incrementAndGet();
                    closeQuietly(client);
                    continue;
                }
                Socket redis = new Socket();
                redis.connect(target, 2000);
                sockets.add(client);
                sockets.add(redis);
                pump(client, redis);
                pump(redis, client);
            } catch (IOException e) {
                // the server socket closed, or Redis refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException e) {
                // cut: the other direction sees it too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
