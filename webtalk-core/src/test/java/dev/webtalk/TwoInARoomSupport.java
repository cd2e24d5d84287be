package dev.webtalk;

import dev.webtalk.testing.TestClient;

/** {@link ChatTestSupport} with the usual cast: Ana owns a room and Bo, a plain member, is in it too. */
abstract class TwoInARoomSupport extends ChatTestSupport {
    protected TestClient ana;
    protected TestClient bo;
    protected String room;

    /** Connects Ana and Bo, has Ana create "General", and both join it (present). */
    protected void twoInARoom() {
        ana = connect("u-ana", "Ana");
        bo = connect("u-bo", "Bo");
        room = createRoom(ana, "General");
        ana.ok("join", "room", room);
        bo.ok("join", "room", room);
    }
}
