package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest {
    @Test
    void theAcceptValueIsTheOneRfc6455Gives() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void theRequestUpgradesThePathAndQueryWithAFreshKey() {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1:18080/ws?token=a%2Bb"));
        String request = new String(h.request(), StandardCharsets.US_ASCII);

        assertTrue(request.startsWith("GET /ws?token=a%2Bb HTTP/1.1\r\n"), request);
        assertTrue(request.contains("\r\nHost: 127.0.0.1:18080\r\n"), request);
        assertTrue(request.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Key: " + h.key() + "\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"), request);
        assertTrue(request.endsWith("\r\n\r\n"), request);
        assertEquals(24, h.key().length(), "16 random bytes in base64");
        assertTrue(!h.key().equals(new Handshake(URI.create("ws://h/")).key()), "a key per connection");
    }

    private static byte[] answer(String head) {
        return (head + "\r\n\r\n{\"type\":").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void acceptsAProper101AndFindsWhereTheFramesStart() throws Exception {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1/ws"));
        String head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Handshake.acceptFor(h.key());
        byte[] buf = answer(head);

        assertEquals(-1, Handshake.headLength(buf, head.length() + 2), "not complete yet");
        int length = Handshake.headLength(buf, buf.length);
        assertEquals(head.length() + 4, length);
        h.verify(buf, length);
    }

    @Test
    void refusesAnythingElse() {
        Handshake h = new Handshake(URI.create("ws://127.0.0.1/ws"));
        String accept = "Sec-WebSocket-Accept: " + Handshake.acceptFor(h.key());
        String ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        String[][] cases = {
                {"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0", "answered 401 Unauthorized instead of 101"},
                {"SSH-2.0-OpenSSH", "not an HTTP answer"},
                {"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n" + accept, "Upgrade: websocket"},
                {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" + accept, "Connection: Upgrade"},
                {ok + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "wrong Sec-WebSocket-Accept"},
                {ok + accept + "\r\nSec-WebSocket-Extensions: permessage-deflate", "extension"},
        };
        for (String[] c : cases) {
            byte[] buf = answer(c[0]);
            Handshake.Refused e = assertThrows(Handshake.Refused.class,
                    () -> h.verify(buf, Handshake.headLength(buf, buf.length)), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        assertThrows(Handshake.Refused.class, () -> Handshake.headLength(new byte[Handshake.MAX_RESPONSE_HEAD],
                Handshake.MAX_RESPONSE_HEAD), "an endless head");
    }
}
