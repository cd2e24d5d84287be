package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.TestClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The room event stream's promise, tried at random: three users post (some replies), edit, delete,
 * react, pin and mark read while their clients drop off and resume at random points, across restarts
 * of the engine on the same SQLite file. Each client keeps its copy by the rules of docs/PROTOCOL.md
 * (apply a join result, then the pushes after its position) and must end equal, message by message, to
 * what the server shows that user on a fresh connection, its read marker included.
 */
class ResumePropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Principal> USERS = List.of(
            Principal.user("u-ana", "Ana"), Principal.user("u-bo", "Bo"), Principal.user("u-cy", "Cy"));
    private static final List<String> EMOJI = List.of("👍", "🎉", "❤️");
    private static final RateLimit UNLIMITED = new RateLimit(1_000_000, Duration.ofNanos(1));

    enum Kind { POST, REPLY, EDIT, DELETE, REACT, PIN, READ, DISCONNECT, RESUME, RESTART }

    /** One step: what, by whom ({@code user}), on which of the candidate messages or emoji ({@code pick}). */
    record Step(Kind kind, int user, int pick) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(6, Kind.POST), Tuple.of(2, Kind.REPLY), Tuple.of(3, Kind.EDIT), Tuple.of(2, Kind.DELETE),
                Tuple.of(4, Kind.REACT), Tuple.of(1, Kind.PIN), Tuple.of(2, Kind.READ), Tuple.of(2, Kind.DISCONNECT),
                Tuple.of(2, Kind.RESUME), Tuple.of(1, Kind.RESTART));
        Arbitrary<Step> step = Combinators.combine(kind, Arbitraries.integers().between(0, USERS.size() - 1),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(50);
    }

    @Property(tries = 60)
    void everyClientEndsEqualToTheServer(@ForAll("runs") List<Step> run) throws Exception {
        Path dir = Files.createTempDirectory("webtalk-resume");
        Path db = dir.resolve("chat.db");
        Limits limits = Limits.builder().joinHistory(100).maxResumeEvents(1000)
                .messageRate(UNLIMITED).requestRate(UNLIMITED).joinRate(UNLIMITED).reactionRate(UNLIMITED).build();
        WebTalk chat = start(db, limits);
        try {
            List<ClientCopy> clients = new ArrayList<>();
            for (Principal p : USERS) {
                clients.add(new ClientCopy(p));
            }
            String room = clients.get(0).connect(chat).ok("create_room", "name", "Random").path("room").path("id").asText();
            for (ClientCopy c : clients) {
                c.connectAndJoin(chat, room);
            }
            int texts = 0;
            for (Step step : run) {
                ClientCopy actor = clients.get(step.user());
                UserId me = actor.principal.id();
                boolean owner = step.user() == 0;
                switch (step.kind()) {
                    case POST -> {
                        if (actor.online()) {
                            actor.client.ok("send", "room", room, "text", "m" + (++texts) + (texts % 3 == 0 ? " @Bo" : ""));
                        }
                    }
                    case REPLY -> {
                        Message m = pick(chat, room, step.pick(), msg -> true);
                        if (actor.online() && m != null) {
                            actor.client.ok("send", "room", room, "text", "re " + (++texts), "replyTo", m.seq());
                        }
                    }
                    case EDIT -> {
                        Message m = pick(chat, room, step.pick(), msg -> msg.authorId().equals(me));
                        if (actor.online() && m != null) {
                            actor.client.ok("edit_message", "room", room, "seq", m.seq(), "text", "e" + (++texts) + " @Cy");
                        }
                    }
                    case DELETE -> {
                        Message m = pick(chat, room, step.pick(), msg -> owner || msg.authorId().equals(me));
                        if (actor.online() && m != null) {
                            actor.client.ok("delete_message", "room", room, "seq", m.seq());
                        }
                    }
                    case REACT -> {
                        Message m = pick(chat, room, step.pick(), msg -> true);
                        if (actor.online() && m != null) {
                            actor.client.ok("react", "room", room, "seq", m.seq(), "emoji", EMOJI.get(step.pick() % EMOJI.size()),
                                    "add", step.pick() % 4 != 0);
                        }
                    }
                    case PIN -> {
                        Message m = pick(chat, room, step.pick(), msg -> true);
                        if (clients.get(0).online() && m != null) {
                            clients.get(0).client.ok(step.pick() % 3 == 0 ? "unpin" : "pin", "room", room, "seq", m.seq());
                        }
                    }
                    case READ -> {
                        if (actor.online()) {
                            actor.catchUp();
                            long newest = actor.messages.isEmpty() ? 0 : ((TreeMap<Long, ObjectNode>) actor.messages).lastKey();
                            actor.client.ok("mark_read", "room", room, "seq", Math.max(0, newest - step.pick() % 3));
                        }
                    }
                    case DISCONNECT -> actor.disconnect();
                    case RESUME -> {
                        if (!actor.online()) {
                            actor.connectAndJoin(chat, room);
                        }
                    }
                    case RESTART -> {
                        clients.forEach(ClientCopy::disconnect);
                        chat.close();
                        chat = start(db, limits);
                    }
                }
            }
            for (ClientCopy c : clients) {
                if (!c.online()) {
                    c.connectAndJoin(chat, room);
                }
                JsonNode truth = TestClient.connect(chat, c.principal).ok("join", "room", room); // a second tab
                Map<Long, ObjectNode> server = new TreeMap<>();
                truth.path("history").forEach(m -> server.put(m.path("seq").asLong(), normalized(m)));
                try {
                    Await.until(c.principal.displayName() + "'s copy equals the server's", () -> {
                        c.catchUp();
                        return normalized(c.messages).equals(server) && c.readSeq == truth.path("readSeq").asLong();
                    });
                } catch (AssertionError e) {
                    assertEquals(server, normalized(c.messages), c.principal.displayName() + " at " + c.pos);
                    assertEquals(truth.path("readSeq").asLong(), c.readSeq, c.principal.displayName() + "'s read marker");
                }
            }
        } finally {
            chat.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static WebTalk start(Path db, Limits limits) {
        return WebTalk.builder().store(SqliteChatStore.open(db)).limits(limits).roomThreads(2)
                .passwordIterations(1000).build();
    }

    /** The {@code pick}-th (modulo) live text message that {@code eligible} accepts, or null. */
    private static Message pick(WebTalk chat, String room, int pick, Predicate<Message> eligible) {
        List<Message> live = chat.history(USERS.get(0), RoomId.of(room), null, 100).messages().stream()
                .filter(m -> !m.isDeleted() && m.kind() == MessageKind.TEXT && eligible.test(m)).toList();
        return live.isEmpty() ? null : live.get(pick % live.size());
    }

    /**
     * A reply's preview of what it answers is read when the reply is sent out; a client that holds the
     * answered message shows it from its own copy (docs/PROTOCOL.md), so only the seq is compared.
     */
    private static ObjectNode normalized(JsonNode message) {
        ObjectNode copy = message.deepCopy();
        if (copy.has("replyTo")) {
            copy.set("replyTo", JSON.createObjectNode().put("seq", copy.path("replyTo").path("seq").asLong()));
        }
        return copy;
    }

    private static Map<Long, ObjectNode> normalized(Map<Long, ObjectNode> messages) {
        Map<Long, ObjectNode> out = new TreeMap<>();
        messages.forEach((seq, m) -> out.put(seq, normalized(m)));
        return out;
    }

    /** A client's copy of the room, kept by the rules of docs/PROTOCOL.md, and its current connection. */
    private static final class ClientCopy {
        final Principal principal;
        final Map<Long, ObjectNode> messages = new TreeMap<>();
        long pos = -1; // never joined
        long readSeq;
        TestClient client;
        int seen; // frames of the current connection already applied
        String joinId;

        ClientCopy(Principal principal) {
            this.principal = principal;
        }

        boolean online() {
            return client != null;
        }

        TestClient connect(WebTalk chat) {
            client = TestClient.connect(chat, principal);
            seen = 0;
            return client;
        }

        void connectAndJoin(WebTalk chat, String room) {
            connect(chat);
            joinId = pos < 0 ? client.fire("join", "room", room) : client.fire("join", "room", room, "since", pos);
            client.connection().awaitReply(joinId);
            catchUp();
        }

        void disconnect() {
            if (client != null) {
                catchUp();
                client.disconnect();
                client = null;
            }
        }

        /** Applies the frames that arrived since the last call, in arrival order. */
        void catchUp() {
            List<JsonNode> frames = client.connection().frames();
            for (; seen < frames.size(); seen++) {
                JsonNode f = frames.get(seen);
                String type = f.path("type").asText();
                if (type.equals("result") && f.path("id").asText().equals(joinId)) {
                    applyJoin(f.path("result"));
                } else if (type.equals("error")) {
                    throw new AssertionError(principal.displayName() + " got " + f);
                } else if (type.equals("read")) {
                    readSeq = Math.max(readSeq, f.path("seq").asLong());
                } else if (f.has("pos") && f.path("pos").asLong() > pos) {
                    applyPush(type, f);
                }
            }
        }

        private void applyJoin(JsonNode result) {
            if (!result.has("missed")) {
                messages.clear(); // a fresh join or a resync: the newest page replaces the copy
                result.path("history").forEach(m -> messages.put(m.path("seq").asLong(), (ObjectNode) m));
            } else {
                result.path("missed").forEach(m -> messages.put(m.path("seq").asLong(), (ObjectNode) m));
            }
            pos = result.path("pos").asLong();
            readSeq = result.path("readSeq").asLong();
        }

        private void applyPush(String type, JsonNode push) {
            long seq = push.path("seq").asLong(push.path("message").path("seq").asLong());
            ObjectNode held = messages.get(seq);
            switch (type) {
                case "message" -> {
                    ObjectNode m = (ObjectNode) push.path("message");
                    messages.put(seq, m);
                    if (m.path("author").path("id").asText().equals(principal.id().value())) {
                        readSeq = Math.max(readSeq, seq); // one has read what one wrote
                    }
                }
                case "message_deleted" -> messages.put(seq, (ObjectNode) push.path("message"));
                case "message_edited" -> {
                    // An edit changes the text; reactions and the pin stay as held.
                    ObjectNode m = ((ObjectNode) push.path("message")).deepCopy();
                    if (held != null) {
                        for (String keep : List.of("reactions", "pinned")) {
                            if (held.has(keep)) {
                                m.set(keep, held.get(keep));
                            }
                        }
                    }
                    messages.put(seq, m);
                }
                case "reactions" -> {
                    if (held != null) {
                        held.set("reactions", merged(held.path("reactions"), push.path("reactions")));
                        if (held.path("reactions").isEmpty()) {
                            held.remove("reactions");
                        }
                    }
                }
                case "pinned" -> {
                    if (held != null) {
                        if (push.path("pinned").asBoolean()) {
                            held.put("pinned", true);
                        } else {
                            held.remove("pinned");
                        }
                    }
                }
                default -> {
                }
            }
            pos = push.path("pos").asLong();
        }

        /** New counts; whether I am among them comes with them, or (a push shared by all) from what I held. */
        private static ArrayNode merged(JsonNode held, JsonNode pushed) {
            Map<String, Boolean> mine = new HashMap<>();
            held.forEach(r -> mine.put(r.path("emoji").asText(), r.path("mine").asBoolean()));
            ArrayNode out = JSON.createArrayNode();
            for (JsonNode r : pushed) {
                ObjectNode o = out.addObject();
                o.put("emoji", r.path("emoji").asText());
                o.put("count", r.path("count").asInt());
                o.put("mine", r.has("mine") ? r.path("mine").asBoolean() : mine.getOrDefault(r.path("emoji").asText(), false));
            }
            return out;
        }
    }

}
