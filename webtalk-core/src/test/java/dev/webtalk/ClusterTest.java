package dev.webtalk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.webtalk.store.memory.InMemoryChatStore;
import dev.webtalk.testing.Await;
import dev.webtalk.testing.BrokerHub;
import dev.webtalk.testing.SharedChatStore;
import dev.webtalk.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several engines on one store, relaying through a broker, behave as one chat service: every client on
 * every node sees every change of a room once, in stream order, whatever the broker loses; moderation,
 * settings and room deletion made on one node hold on the others. (In-process store and broker; the
 * PostgreSQL and Redis versions of these tests run against the real services.)
 */
class ClusterTest {
    private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000, Duration.ofNanos(1));
    private static final Set<String> STREAM_PUSHES = Set.of("message", "message_edited", "message_deleted", "pinned",
            "moderation", "room_updated", "reactions");

    private static final Duration NODE_TIMEOUT = Duration.ofMillis(900);

    private final SharedChatStore shared = new SharedChatStore(new InMemoryChatStore());
    private final BrokerHub hub = new BrokerHub();
    private final List<WebTalk> nodes = new ArrayList<>();

    private WebTalk node() {
        return node(shared.view());
    }

    private WebTalk node(dev.webtalk.spi.ChatStore view) {
        Limits limits = Limits.builder().messageRate(UNTHROTTLED).joinRate(UNTHROTTLED)
                .requestRate(UNTHROTTLED).reactionRate(UNTHROTTLED).build();
        dev.webtalk.spi.Broker broker = hub.node();
        hubNodes.add(broker);
        WebTalk node = WebTalk.builder().store(view).broker(broker).limits(limits)
                .passwordIterations(1000).roomThreads(2).catchUpInterval(Duration.ofMillis(300))
                .nodeTimeout(NODE_TIMEOUT).build();
        nodes.add(node);
        return node;
    }

    @AfterEach
    void stop() {
        nodes.forEach(WebTalk::close);
        hub.close();
        shared.store().close();
    }

    private static TestClient connect(WebTalk node, String id, String name) {
        return TestClient.connect(node, Principal.user(id, name));
    }

    @Test
    void everyClientOnEveryNodeSeesEveryMessageOnceInStreamOrder() throws Exception {
        List<TestClient> clients = clientsOnThreeNodes();
        String room = clients.get(0).ok("create_room", "name", "General").path("room").path("id").asText();
        for (TestClient c : clients) {
            c.ok("join", "room", room);
        }
        int perClient = 30;
        sendConcurrently(clients, room, perClient);

        int total = clients.size() * perClient;
        assertEveryoneSawEveryMessageInOrder(clients, total);
        assertTrue(shared.conflicts() > 0, "the nodes did write the room at the same time");
    }

    @Test
    void publicationsTheBrokerLosesAreReadFromTheStore() throws Exception {
        List<TestClient> clients = clientsOnThreeNodes();
        String room = clients.get(0).ok("create_room", "name", "General").path("room").path("id").asText();
        for (TestClient c : clients) {
            c.ok("join", "room", room);
        }
        AtomicInteger seen = new AtomicInteger();
        hub.dropWhen(payload -> seen.incrementAndGet() % 3 == 0); // a third of all deliveries
        sendConcurrently(clients, room, 20);

        assertEveryoneSawEveryMessageInOrder(clients, clients.size() * 20);
        assertTrue(hub.dropped() > 0, "the broker did lose publications");
    }

    /** The fast path: a node passes on what another relayed without reading the room's stream from the store. */
    @Test
    void aMessageReachesAnotherNodeThroughTheBrokerWithoutAStoreRead() {
        AtomicInteger streamReads = new AtomicInteger();
        WebTalk one = node();
        WebTalk two = node(new dev.webtalk.testing.ForwardingChatStore(shared.view()) {
            @Override
            public List<RoomEvent> eventsAfter(RoomId roomId, long afterPos, int limit) {
                streamReads.incrementAndGet();
                return super.eventsAfter(roomId, afterPos, limit);
            }
        });
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        String room = general(ana, bo);
        int before = streamReads.get();

        ana.ok("send", "room", room, "text", "hi Bo");
        JsonNode push = bo.connection().awaitFrame(f -> "message".equals(f.path("type").asText()));
        assertEquals("hi Bo", push.path("message").path("text").asText());
        assertEquals(before, streamReads.get(), "node two read no stream events to deliver it");
    }

    @Test
    void aNodeCutOffFromTheBrokerCatchesUpWhenItComesBack() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        String room = general(ana, bo);

        hub.disconnect(brokerOf(1));
        for (int i = 1; i <= 5; i++) {
            ana.ok("send", "room", room, "text", "while away " + i);
        }
        hub.reconnect(brokerOf(1));
        List<JsonNode> got = bo.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), got.stream().map(f -> f.path("message").path("seq").asLong()).toList());
        assertStreamOrder(bo);
    }

    @Test
    void editsReactionsAndPinsReachTheOtherNodes() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        String room = general(ana, bo);
        long seq = ana.ok("send", "room", room, "text", "hello").path("message").path("seq").asLong();

        ana.ok("edit_message", "room", room, "seq", seq, "text", "hello, world");
        JsonNode edited = bo.connection().awaitFrame(f -> "message_edited".equals(f.path("type").asText()));
        assertEquals("hello, world", edited.path("message").path("text").asText());

        bo.ok("react", "room", room, "seq", seq, "emoji", "👍", "add", true);
        JsonNode reactions = ana.connection().awaitFrame(f -> "reactions".equals(f.path("type").asText()));
        assertEquals("👍", reactions.path("reactions").path(0).path("emoji").asText());
        assertEquals(1, reactions.path("reactions").path(0).path("count").asInt());

        ana.ok("pin", "room", room, "seq", seq);
        JsonNode pinned = bo.connection().awaitFrame(f -> "pinned".equals(f.path("type").asText()));
        assertEquals("Ana", pinned.path("by").path("name").asText());
        assertStreamOrder(ana);
        assertStreamOrder(bo);
    }

    @Test
    void moderationAndSettingsMadeOnOneNodeHoldOnTheOthers() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        TestClient cy = connect(two, "u-cy", "Cy");
        String room = general(ana, bo, cy);

        ana.ok("set_room", "room", room, "locked", true);
        JsonNode updated = bo.connection().awaitFrame(f -> "room_updated".equals(f.path("type").asText()));
        assertTrue(updated.path("settings").path("locked").asBoolean(), updated.toString());
        assertEquals("forbidden", bo.error("send", "room", room, "text", "hi"), "node two enforces the lock");
        ana.ok("set_room", "room", room, "locked", false);
        Await.until("node two lifted the lock", () -> "result".equals(
                bo.request("send", "room", room, "text", "hi").path("type").asText()));

        ana.ok("kick", "room", room, "user", "u-bo");
        JsonNode kick = bo.connection().awaitFrame(f -> "moderation".equals(f.path("type").asText())
                && "kick".equals(f.path("action").asText()));
        assertEquals("u-bo", kick.path("target").path("id").asText());
        JsonNode left = cy.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText()));
        assertEquals("kicked", left.path("reason").asText(), "Cy, on Bo's node, sees Bo go");
        assertEquals("not_member", bo.error("send", "room", room, "text", "still here?"));

        ana.ok("ban", "room", room, "user", "u-cy");
        cy.connection().awaitFrame(f -> "moderation".equals(f.path("type").asText()) && "ban".equals(f.path("action").asText()));
        assertEquals("banned", cy.error("join", "room", room));
        assertStreamOrder(bo);
        assertStreamOrder(cy);
    }

    @Test
    void aRoomDeletedOnOneNodeIsGoneOnTheOthers() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        String room = general(ana, bo);

        ana.ok("delete_room", "room", room);
        bo.connection().awaitFrame(f -> "room_deleted".equals(f.path("type").asText()));
        assertEquals("room_not_found", bo.error("send", "room", room, "text", "anyone?"));
    }

    @Test
    void aUserOnTwoNodesIsOnePresenceAndTypingCrossesNodes() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        String room = general(ana);
        TestClient boOnTwo = connect(two, "u-bo", "Bo");
        boOnTwo.ok("join", "room", room);

        JsonNode joined = ana.connection().awaitFrame(f -> "member_joined".equals(f.path("type").asText()));
        assertEquals("u-bo", joined.path("user").path("id").asText(), "Ana, on node one, sees Bo come on node two");
        Await.untilEquals("online in the room, seen from node one", 2, () -> online(ana, room));
        JsonNode anaSeenByBo = null;
        for (JsonNode m : boOnTwo.ok("join", "room", room).path("members")) {
            anaSeenByBo = "u-ana".equals(m.path("id").asText()) ? m : anaSeenByBo;
        }
        assertTrue(anaSeenByBo.path("online").asBoolean(), "Bo's join lists Ana, on node one, as online: " + anaSeenByBo);

        TestClient boOnOne = connect(one, "u-bo", "Bo");
        boOnOne.ok("join", "room", room);
        boOnTwo.disconnect();
        assertEquals(2, online(ana, room), "Bo is still in the room, on node one");

        TestClient cy = connect(two, "u-cy", "Cy");
        cy.ok("join", "room", room);
        ana.connection().awaitFrame(f -> "member_joined".equals(f.path("type").asText())
                && "u-cy".equals(f.path("user").path("id").asText()));
        cy.ok("typing", "room", room);
        JsonNode typing = ana.connection().awaitFrame(f -> "typing".equals(f.path("type").asText()));
        assertEquals("u-cy", typing.path("user").path("id").asText());

        boOnOne.disconnect();
        JsonNode left = cy.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText()));
        assertEquals("u-bo", left.path("user").path("id").asText(), "Bo left on his last node: Cy on node two hears it");
        assertEquals(1, ana.connection().framesOfType("member_joined").stream()
                .filter(f -> "u-bo".equals(f.path("user").path("id").asText())).count(), "Bo came once, for Ana");
        Await.untilEquals("online after Bo left", 2, () -> online(ana, room));
    }

    /** Heartbeats carry a digest of each node's presence, so a lost presence signal is repaired. */
    @Test
    void presenceSignalsTheBrokerLosesAreRepairedByTheNextHeartbeat() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        String room = general(ana);
        hub.dropBroadcastsWhen(payload -> payload.length > 1 && payload[1] == 2); // every "present" signal
        TestClient bo = connect(two, "u-bo", "Bo");
        bo.ok("join", "room", room);
        hub.dropBroadcastsWhen(payload -> false);

        JsonNode joined = ana.connection().awaitFrame(f -> "member_joined".equals(f.path("type").asText()));
        assertEquals("u-bo", joined.path("user").path("id").asText());
        Await.untilEquals("online, seen from node one", 2, () -> online(ana, room));
    }

    @Test
    void aDeadNodesUsersLeaveWithinTheNodeTimeoutAndStatisticsAreClusterWide() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        String room = general(ana);
        TestClient bo = connect(two, "u-bo", "Bo");
        bo.ok("join", "room", room);
        connect(two, "u-cy", "Cy");
        Await.untilEquals("connections, counted on node one", 3, () -> one.stats().connections());
        Await.untilEquals("online in the room", 2, () -> online(ana, room));

        hub.sever(brokerOf(1)); // node two's process "dies": it says nothing any more
        long cut = System.nanoTime();
        JsonNode left = ana.connection().awaitFrame(f -> "member_left".equals(f.path("type").asText()));
        long tookMs = (System.nanoTime() - cut) / 1_000_000;
        assertEquals("u-bo", left.path("user").path("id").asText());
        assertEquals("disconnected", left.path("reason").asText());
        assertTrue(tookMs >= NODE_TIMEOUT.toMillis() / 2, "not before the node could have been silent long: " + tookMs);
        assertEquals(1, online(ana, room));
        Await.untilEquals("connections once node two is gone", 1, () -> one.stats().connections());
    }

    @Test
    void serverSettingsStoredOnOneNodeHoldOnTheOthers() {
        WebTalk one = node();
        WebTalk two = node();
        one.updateSettings(one.settings().withMaxRooms(1));
        Await.untilEquals("node two's room limit", 1, () -> two.settings().maxRooms());
        TestClient bo = connect(two, "u-bo", "Bo");
        bo.ok("create_room", "name", "The one");
        assertEquals("conflict", bo.error("create_room", "name", "One too many"));
    }

    /** A room "General" that the first client creates and every client joins; its id. */
    @Test
    void theActivityFeedIsTheClusters() {
        WebTalk one = node();
        WebTalk two = node();
        TestClient ana = connect(one, "u-ana", "Ana");
        TestClient bo = connect(two, "u-bo", "Bo");
        String room = general(ana, bo);

        // Created on node one, joined on node two: node two's feed has both, newest first.
        Await.until("node two's feed has node one's activity", () -> two.stats().recentActivity().size() >= 2);
        List<ActivityEvent> feed = two.stats().recentActivity();
        assertEquals(List.of(ActivityEvent.Type.MEMBER_JOINED, ActivityEvent.Type.ROOM_CREATED),
                feed.stream().map(ActivityEvent::type).toList(), feed.toString());
        assertEquals(List.of("Bo", "Ana"), feed.stream().map(ActivityEvent::actorName).toList());
        assertEquals(RoomId.of(room), feed.get(1).roomId());
        Await.until("node one's feed has node two's join", () -> one.stats().recentActivity().size() == 2);
        assertEquals(feed, one.stats().recentActivity(), "both nodes show one feed");
    }

    private static String general(TestClient owner, TestClient... others) {
        String room = owner.ok("create_room", "name", "General").path("room").path("id").asText();
        owner.ok("join", "room", room);
        for (TestClient c : others) {
            c.ok("join", "room", room);
        }
        return room;
    }

    private static int online(TestClient client, String room) {
        for (JsonNode r : client.ok("list_rooms").path("rooms")) {
            if (room.equals(r.path("id").asText())) {
                return r.path("online").asInt();
            }
        }
        throw new AssertionError("no room " + room);
    }

    private List<TestClient> clientsOnThreeNodes() {
        List<WebTalk> three = List.of(node(), node(), node());
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(connect(three.get(i % 3), "u-" + i, "User " + i));
        }
        return clients;
    }

    /** Every client sends {@code perClient} messages, pipelined, all clients at once; waits for every result. */
    private static void sendConcurrently(List<TestClient> clients, String room, int perClient) throws InterruptedException {
        List<Thread> senders = new ArrayList<>();
        for (TestClient c : clients) {
            Thread t = new Thread(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    ids.add(c.fire("send", "room", room, "text", c.principal().id().value() + " #" + i));
                }
                for (String id : ids) {
                    JsonNode reply = c.connection().awaitReply(id);
                    if (!"result".equals(reply.path("type").asText())) {
                        throw new AssertionError("send failed: " + reply);
                    }
                }
            });
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join();
        }
    }

    private static void assertEveryoneSawEveryMessageInOrder(List<TestClient> clients, int total) {
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        List<Long> firstOrder = null;
        for (TestClient c : clients) {
            List<JsonNode> messages = c.connection().awaitFrames(f -> "message".equals(f.path("type").asText()), total,
                    Duration.ofSeconds(20));
            List<Long> seqs = messages.stream().map(f -> f.path("message").path("seq").asLong()).toList();
            assertEquals(expected, seqs.stream().sorted().toList(), c + " got every message once");
            assertEquals(total, c.connection().framesOfType("message").size(), c + ": no duplicate");
            assertStreamOrder(c);
            if (firstOrder == null) {
                firstOrder = seqs;
            }
            assertEquals(firstOrder, seqs, c + " saw the messages in the same order as the first client");
        }
    }

    /** The client's pushes of stream events carry strictly increasing positions: no repeat, no reordering. */
    private static void assertStreamOrder(TestClient client) {
        long last = 0;
        for (JsonNode f : client.connection().frames()) {
            if (STREAM_PUSHES.contains(f.path("type").asText()) && f.has("pos")) {
                long pos = f.path("pos").asLong();
                assertTrue(pos > last, client + ": position " + pos + " after " + last + " in " + client.connection().frames());
                last = pos;
            }
        }
    }

    private dev.webtalk.spi.Broker brokerOf(int node) {
        return hubNodes.get(node);
    }

    private final List<dev.webtalk.spi.Broker> hubNodes = new ArrayList<>();
}
