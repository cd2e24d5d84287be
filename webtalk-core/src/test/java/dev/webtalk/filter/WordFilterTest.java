package dev.webtalk.filter;

import dev.webtalk.Principal;
import dev.webtalk.RoomId;
import dev.webtalk.spi.MessageFilter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WordFilterTest {
    private static final Principal ANA = Principal.user("u-ana", "Ana");
    private static final RoomId ROOM = RoomId.of("room0001");

    private static MessageFilter.Verdict mask(String text, String... words) {
        return WordFilter.masking(List.of(words)).check(ANA, ROOM, text);
    }

    @Test
    void masksWholeWordsIgnoringCase() {
        assertEquals(MessageFilter.Verdict.rewrite("what the **** is this ****"), mask("what the HeCk is this heck", "heck"));
        assertEquals(MessageFilter.Verdict.rewrite("****, ****!"), mask("darn, DARN!", "darn"));
        assertEquals(MessageFilter.Verdict.rewrite("***** ist *****"), mask("ÄRGER ist ärger", "Ärger"));
    }

    @Test
    void leavesPartsOfLongerWordsAlone() {
        assertEquals(MessageFilter.Verdict.accept(), mask("a classic assessment", "ass"));
        assertEquals(MessageFilter.Verdict.accept(), mask("heckler heck_ 2heck", "heck"));
        assertEquals(MessageFilter.Verdict.rewrite("***-like"), mask("ass-like", "ass"));
    }

    @Test
    void anEmptyListAcceptsEverythingAndRegexCharactersAreLiteral() {
        assertEquals(MessageFilter.Verdict.accept(), mask("anything", " ", ""));
        assertEquals(MessageFilter.Verdict.accept(), mask("abc", "a.c"));
        assertEquals(MessageFilter.Verdict.rewrite("x *** y"), mask("x a.c y", "a.c"));
    }

    @Test
    void theRejectingFormRefuses() {
        assertEquals(MessageFilter.Verdict.reject("The message contains a blocked word"),
                WordFilter.rejecting(List.of("spam")).check(ANA, ROOM, "SPAM!"));
        assertEquals(List.of("spam", "eggs"), WordFilter.rejecting(List.of(" Spam ", "spam", "EGGS")).words());
    }
}
