package dev.webtalk.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.Limits;
import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.TestClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Hostile input, generated: random text, mutated frames and random requests never make the codec or
 * the engine throw, every request that carries an id gets exactly one reply, and a bystander in the
 * attacked room keeps chatting. CI runs {@code jqwik.tries.default} tries (set in
 * src/test/resources/junit-platform.properties); a long run:
 * {@code mvn -pl webtalk-core test -Dtest=HostileFramePropertiesTest -Djqwik.tries.default=5000}.
 */
class HostileFramePropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = List.of("list_rooms", "create_room", "join", "leave", "send",
            "delete_message", "history", "typing", "delete_room", "ping", "hello", "", "SEND");
    private static final List<String> FIELDS = List.of("room", "name", "password", "text", "clientMsgId",
            "seq", "before", "limit", "since", "type", "id");

    private final ProtocolCodec codec = new ProtocolCodec(Limits.defaults());

    @Property
    void decodingAnyTextNeverThrows(@ForAll("hostileText") String text) {
        assertNotNull(codec.decode(text));
    }

    @Property
    void everyRequestWithAnIdGetsExactlyOneReplyAndBystandersAreUnaffected(
            @ForAll("requests") List<String> attack) {
        // Errors do not close the attacker here, so every frame is answered; 4001 has its own test.
        Limits limits = Limits.builder().maxConsecutiveErrors(100_000).build();
        try (WebTalk chat = WebTalk.builder().store(new InMemoryChatStore()).limits(limits)
                .roomThreads(2).passwordIterations(1_000).build()) {
            TestClient owner = TestClient.connect(chat, Principal.user("u-owner", "Owner"));
            String room = owner.ok("create_room", "name", "Target").path("room").path("id").asText();
            owner.ok("join", "room", room);
            TestClient attacker = TestClient.connect(chat, Principal.user("u-mal", "Mallory"));

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < attack.size(); i++) {
                String frame = attack.get(i).replace("\"$ROOM\"", "\"" + room + "\"");
                String id = "f" + i;
                if (frame.contains("\"$ID\"")) {
                    frame = frame.replace("\"$ID\"", "\"" + id + "\"");
                    ids.add(id);
                }
                attacker.sendText(frame); // must not throw
            }
            for (String id : ids) {
                attacker.connection().awaitReply(id);
            }
            attacker.connection().awaitReply(attacker.fire("ping")); // everything before it settled
            for (String id : ids) {
                long replies = attacker.connection().frames().stream()
                        .filter(f -> id.equals(f.path("id").asText(null))).count();
                assertEquals(1, replies, "replies to " + id);
            }
            assertFalse(attacker.connection().isClosed());

            String text = "still here " + attack.size();
            owner.ok("send", "room", room, "text", text);
            owner.connection().awaitFrame(f -> f.path("type").asText().equals("message")
                    && f.path("message").path("text").asText().equals(text));
        }
    }

    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> mutated = validFrame().flatMap(frame -> mutate(frame));
        Arbitrary<String> deep = Arbitraries.integers().between(1, 3000)
                .map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> deepObject = Arbitraries.integers().between(1, 3000)
                .map(n -> "{\"type\":\"send\",\"text\":" + "{\"a\":".repeat(n) + "1" + "}".repeat(n) + "}");
        return Arbitraries.oneOf(anyText, mutated, deep, deepObject);
    }

    @Provide
    Arbitrary<List<String>> requests() {
        Arbitrary<String> withId = validFrame();
        Arbitrary<String> garbage = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(50),
                validFrame().flatMap(this::mutate).map(f -> f.replace("\"$ID\"", "\"x\"")));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, withId),
                        net.jqwik.api.Tuple.of(1, garbage))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** A JSON object frame with a (maybe unknown) type, random fields and the placeholder id {@code $ID}. */
    private Arbitrary<String> validFrame() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(JSON.getNodeFactory()::textNode),
                Arbitraries.just(JSON.getNodeFactory().textNode("$ROOM")),
                Arbitraries.longs().map(JSON.getNodeFactory()::numberNode),
                Arbitraries.integers().between(-2, 200).map(JSON.getNodeFactory()::numberNode),
                Arbitraries.just(JSON.getNodeFactory().nullNode()),
                Arbitraries.of(true, false).map(JSON.getNodeFactory()::booleanNode),
                Arbitraries.just(JSON.createObjectNode().put("nested", 1)),
                Arbitraries.just(JSON.createArrayNode().add(1).add("two")));
        Arbitrary<List<String>> fieldNames = Arbitraries.of(FIELDS).list().ofMaxSize(5);
        return Combinators.combine(Arbitraries.of(TYPES), fieldNames, value.list().ofSize(5))
                .as((type, names, values) -> {
                    ObjectNode frame = JSON.createObjectNode();
                    frame.put("type", type);
                    for (int i = 0; i < names.size(); i++) {
                        if (!names.get(i).equals("id")) {
                            frame.set(names.get(i), values.get(i));
                        }
                    }
                    frame.put("id", "$ID");
                    return frame.toString();
                });
    }

    /** Cuts, duplicates or corrupts one place of {@code frame}. */
    private Arbitrary<String> mutate(String frame) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, frame.length());
        return Arbitraries.oneOf(
                at.map(i -> frame.substring(0, i)),
                at.map(i -> frame.substring(0, i) + frame.substring(i) + frame.substring(i)),
                Combinators.combine(at, Arbitraries.chars()).as((i, c) -> frame.substring(0, i) + c + frame.substring(i)),
                Arbitraries.just(frame + " trailing"),
                Arbitraries.just(frame.replace("\"", "'")));
    }
}
