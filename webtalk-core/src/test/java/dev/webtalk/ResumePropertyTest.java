package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webtalk.store.sqlite.SqliteChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.TestClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The room event stream's promise, tried at random: three users post, edit and delete messages while
 * their clients drop off and resume at random points, across restarts of the engine on the same SQLite
 * file. Each client keeps its copy the way docs/PROTOCOL.md says (apply a join result, then the pushes
 * after its position) and must end equal to the server, message by message.
 */
class ResumePropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Principal> USERS = List.of(
            Principal.user("u-ana", "Ana"), Principal.user("u-bo", "Bo"), Principal.user("u-cy", "Cy"));

    enum Kind { POST, EDIT, DELETE, DISCONNECT, RESUME, RESTART }

    /** One step: what, by whom ({@code user}), on which of the candidate messages ({@code pick}). */
    record Step(Kind kind, int user, int pick) {
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, Kind.POST), net.jqwik.api.Tuple.of(3, Kind.EDIT),
                net.jqwik.api.Tuple.of(2, Kind.DELETE), net.jqwik.api.Tuple.of(2, Kind.DISCONNECT),
                net.jqwik.api.Tuple.of(2, Kind.RESUME), net.jqwik.api.Tuple.of(1, Kind.RESTART));
        Arbitrary<Step> step = Combinators.combine(kind, Arbitraries.integers().between(0, USERS.size() - 1),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 60)
    void everyClientEndsEqualToTheServer(@ForAll("runs") List<Step> run) throws Exception {
        Path dir = Files.createTempDirectory("webtalk-resume");
        Path db = dir.resolve("chat.db");
        Limits limits = Limits.defaults().withJoinHistory(100).withMaxResumeEvents(1000)
                .withMessageRate(new RateLimit(1_000_000, java.time.Duration.ofNanos(1)))
                .withRequestRate(new RateLimit(1_000_000, java.time.Duration.ofNanos(1)))
                .withJoinRate(new RateLimit(1_000_000, java.time.Duration.ofNanos(1)));
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
                switch (step.kind()) {
                    case POST -> {
                        if (actor.online()) {
                            actor.client.ok("send", "room", room, "text", "m" + (++texts));
                        }
                    }
                    case EDIT -> {
                        Message m = pick(chat, room, step.pick(), msg -> msg.authorId().equals(actor.principal.id()));
                        if (actor.online() && m != null) {
                            actor.client.ok("edit_message", "room", room, "seq", m.seq(), "text", "e" + (++texts));
                        }
                    }
                    case DELETE -> {
                        // Authors delete their own; Ana, the owner, deletes anyone's.
                        Message m = pick(chat, room, step.pick(),
                                msg -> step.user() == 0 || msg.authorId().equals(actor.principal.id()));
                        if (actor.online() && m != null) {
                            actor.client.ok("delete_message", "room", room, "seq", m.seq());
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
            Map<Long, JsonNode> server = serverCopy(chat, room);
            for (ClientCopy c : clients) {
                if (!c.online()) {
                    c.connectAndJoin(chat, room);
                }
                try {
                    Await.until(c.principal.displayName() + "'s copy equals the server's", () -> {
                        c.catchUp();
                        return c.messages.equals(server);
                    });
                } catch (AssertionError e) {
                    assertEquals(server, c.messages, c.principal.displayName() + " at " + c.pos + ", frames "
                            + c.client.connection().frames());
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

    /** The {@code pick}-th (modulo) live message that {@code eligible} accepts, or null. */
    private static Message pick(WebTalk chat, String room, int pick, java.util.function.Predicate<Message> eligible) {
        List<Message> live = chat.history(USERS.get(0), RoomId.of(room), null, 100).messages().stream()
                .filter(m -> !m.isDeleted() && m.kind() == MessageKind.TEXT && eligible.test(m)).toList();
        return live.isEmpty() ? null : live.get(pick % live.size());
    }

    private static Map<Long, JsonNode> serverCopy(WebTalk chat, String room) throws IOException {
        Map<Long, JsonNode> copy = new TreeMap<>();
        for (Message m : chat.history(USERS.get(0), RoomId.of(room), null, 100).messages()) {
            // Through text, as a client reads it: a tree built in memory types its numbers differently.
            copy.put(m.seq(), JSON.readTree(chat.codec().write(chat.codec().message(m))));
        }
        return copy;
    }

    /** A client's copy of the room, kept by the rules of docs/PROTOCOL.md, and its current connection. */
    private static final class ClientCopy {
        final Principal principal;
        final Map<Long, JsonNode> messages = new TreeMap<>();
        long pos = -1; // never joined
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
                } else if (f.has("pos") && f.path("pos").asLong() > pos) {
                    applyPush(type, f);
                }
            }
        }

        private void applyJoin(JsonNode result) {
            if (!result.has("missed")) {
                messages.clear(); // a fresh join or a resync: the newest page replaces the copy
                result.path("history").forEach(m -> messages.put(m.path("seq").asLong(), m));
            } else {
                result.path("missed").forEach(m -> messages.put(m.path("seq").asLong(), m));
            }
            pos = result.path("pos").asLong();
        }

        private void applyPush(String type, JsonNode push) {
            switch (type) {
                case "message", "message_edited", "message_deleted" ->
                        messages.put(push.path("message").path("seq").asLong(), push.path("message"));
                default -> {
                }
            }
            pos = push.path("pos").asLong();
        }
    }

}
