package dev.webtalk.broker.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client over a plain socket, for tests: it observes Redis (subscriber counts, client
 * ids) and kills connections, independently of the Lettuce code under test and without threads of its own.
 */
final class RedisAdmin implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisAdmin(URI uri) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
            socket.setSoTimeout(5000);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            command("AUTH", userInfo.substring(userInfo.indexOf(':') + 1));
        }
    }

    /** How many connections are subscribed to {@code channel}. */
    long subscribers(byte[] channel) {
        List<?> reply = (List<?>) command("PUBSUB", "NUMSUB", new String(channel, StandardCharsets.UTF_8));
        return (Long) reply.get(1);
    }

    /** The id of the connection named {@code name} ({@code CLIENT SETNAME}), or -1 when there is none. */
    long clientId(String name) {
        for (String line : ((String) command("CLIENT", "LIST")).split("\n")) {
            long id = -1;
            boolean named = false;
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("id=")) {
                    id = Long.parseLong(field.substring(3));
                } else if (field.equals("name=" + name)) {
                    named = true;
                }
            }
            if (named) {
                return id;
            }
        }
        return -1;
    }

    /** Closes the connection with this id, as a network failure or a Redis restart would. */
    void kill(long clientId) {
        command("CLIENT", "KILL", "ID", Long.toString(clientId));
    }

    synchronized Object command(String... args) {
        try {
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("Redis: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>(Math.max(count, 0));
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new EOFException();
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test's admin connection cannot fail a test
        }
    }
}
