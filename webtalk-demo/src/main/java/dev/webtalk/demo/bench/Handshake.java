package dev.webtalk.demo.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 §4.1): the HTTP/1.1 upgrade request, and
 * the check of the server's answer (status 101, {@code Upgrade: websocket}, {@code Connection: Upgrade},
 * the {@code Sec-WebSocket-Accept} derived from this request's key). No extension or subprotocol is
 * offered, so none may be accepted. Like a non-browser client, it sends no {@code Origin}.
 */
final class Handshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** An answer's head may not be longer: the server's 101 is a few hundred bytes. */
    static final int MAX_RESPONSE_HEAD = 16 * 1024;

    private final String key;
    private final byte[] request;

    /** A handshake for {@code url} ({@code ws://host[:port]/path[?query]}) with a fresh random key. */
    Handshake(URI url) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
        this.request = ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The request to write. */
    byte[] request() {
        return request;
    }

    /** The {@code Sec-WebSocket-Accept} value the server must answer for {@code key}. */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    String key() {
        return key;
    }

    /**
     * The length of the answer's head in {@code buf[0..length)} (up to and including the blank line), or -1
     * while it is not complete.
     *
     * @throws Refused if the head is longer than {@link #MAX_RESPONSE_HEAD}
     */
    static int headLength(byte[] buf, int length) throws Refused {
        for (int k = 3; k < length; k++) {
            if (buf[k] == '\n' && buf[k - 1] == '\r' && buf[k - 2] == '\n' && buf[k - 3] == '\r') {
                return k + 1;
            }
        }
        if (length >= MAX_RESPONSE_HEAD) {
            throw new Refused("the handshake answer's head is longer than " + MAX_RESPONSE_HEAD + " bytes");
        }
        return -1;
    }

    /** Checks the server's answer head (status line and headers, ISO-8859-1 as HTTP/1.1 says). */
    void verify(byte[] buf, int headLength) throws Refused {
        String[] lines = new String(buf, 0, headLength, StandardCharsets.ISO_8859_1).split("\r\n");
        String status = lines[0];
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new Refused("not an HTTP answer: " + status);
        }
        if (!parts[1].equals("101")) {
            throw new Refused("the server answered " + status.substring(parts[0].length() + 1) + " instead of 101");
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[k].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-extensions" -> throw new Refused("the server accepted an extension not offered: " + value);
                case "sec-websocket-protocol" -> throw new Refused("the server chose a subprotocol not offered: " + value);
                default -> {
                }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            throw new Refused("101 without Upgrade: websocket");
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new Refused("101 without Connection: Upgrade");
        }
        if (!acceptFor(key).equals(accept)) {
            throw new Refused("wrong Sec-WebSocket-Accept: " + accept);
        }
    }

    /** The server did not accept the upgrade, or answered it wrongly. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
