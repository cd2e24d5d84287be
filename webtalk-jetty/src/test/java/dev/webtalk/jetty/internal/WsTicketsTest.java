package dev.webtalk.jetty.internal;

import dev.webtalk.Principal;
import dev.webtalk.RateLimitedException;
import dev.webtalk.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WsTicketsTest {
    private final MutableClock clock = MutableClock.create();
    private final WsTickets tickets = new WsTickets(clock);
    private final Principal ana = Principal.user("u-ana", "Ana");
    private final Principal bo = Principal.user("u-bo", "Bo");

    @Test
    void aTicketIsRedeemedOnceForThePrincipalItWasIssuedTo() {
        WsTickets.Ticket ticket = tickets.issue(ana);
        assertEquals(30, ticket.expiresInSeconds());
        assertTrue(ticket.value().matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe: " + ticket.value());
        assertEquals(Optional.of(ana), tickets.redeem(ticket.value()));
        assertEquals(Optional.empty(), tickets.redeem(ticket.value()), "single use");
        assertEquals(0, tickets.outstanding());
    }

    @Test
    void forgedOrMissingTicketsAreRefused() {
        String real = tickets.issue(ana).value();
        assertEquals(Optional.empty(), tickets.redeem(null));
        assertEquals(Optional.empty(), tickets.redeem(""));
        assertEquals(Optional.empty(), tickets.redeem(real.substring(1) + "A"));
        assertEquals(Optional.empty(), tickets.redeem("u-ana:Ana"));
        assertEquals(Optional.of(ana), tickets.redeem(real), "guesses do not burn the real one");
    }

    @Test
    void aTicketExpiresThirtySecondsAfterIssue() {
        String early = tickets.issue(ana).value();
        clock.advance(Duration.ofSeconds(29));
        String late = tickets.issue(bo).value();
        assertEquals(Optional.of(ana), tickets.redeem(early));
        String stale = tickets.issue(ana).value();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), tickets.redeem(stale), "expired");
        assertEquals(Optional.empty(), tickets.redeem(late), "expired");
        assertEquals(0, tickets.outstanding(), "expired tickets are dropped, not kept");
    }

    @Test
    void ticketsAreUniqueAndOneUserCannotHoardThem() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < WsTickets.MAX_OUTSTANDING_PER_USER; i++) {
            assertTrue(seen.add(tickets.issue(ana).value()));
            clock.advance(Duration.ofSeconds(1));
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> tickets.issue(ana));
        assertEquals(Duration.ofSeconds(10).toMillis(), refused.details().get("retryAfterMs"),
                "until the oldest expires");
        assertNotEquals(null, tickets.issue(bo), "other users are not affected");
        String one = seen.iterator().next();
        tickets.redeem(one);
        tickets.issue(ana); // redeeming frees a place
        clock.advance(Duration.ofSeconds(30));
        tickets.issue(ana); // and so does expiry
    }
}
