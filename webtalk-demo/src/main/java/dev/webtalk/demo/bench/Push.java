package dev.webtalk.demo.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The few fields of a server frame the tool measures, read in one streaming pass: the frame's
 * {@code type}, and for a {@code message} push its {@code room}, {@code message.seq} and
 * {@code message.text}. Everything else is skipped unread. When {@code type} comes first, as the server
 * writes it, a frame that is not a {@code message} stops being read right there.
 *
 * @param type the frame's type; empty if it has none
 * @param room {@code message} pushes: the room id; otherwise null
 * @param seq  {@code message} pushes: the message's seq; otherwise 0
 * @param text {@code message} pushes: the message's text (empty if none); otherwise null
 */
record Push(String type, String room, long seq, String text) {

    /** Reads {@code utf8}, one JSON object. */
    static Push read(JsonFactory json, byte[] utf8) throws IOException {
        try (JsonParser p = json.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame must be a JSON object");
            }
            String type = null;
            String room = null;
            long seq = 0;
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> {
                        type = value == JsonToken.VALUE_STRING ? p.getText() : "";
                        if (!type.equals("message")) {
                            return new Push(type, null, 0, null);
                        }
                    }
                    case "room" -> room = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "message" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken innerValue = p.nextToken();
                            if (inner.equals("seq") && innerValue.isNumeric()) {
                                seq = p.getLongValue();
                            } else if (inner.equals("text") && innerValue == JsonToken.VALUE_STRING) {
                                text = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (type == null) {
                return new Push("", null, 0, null);
            }
            return type.equals("message") ? new Push(type, room, seq, text == null ? "" : text)
                    : new Push(type, null, 0, null);
        }
    }
}
