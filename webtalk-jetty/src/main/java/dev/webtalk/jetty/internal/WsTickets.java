package dev.webtalk.jetty.internal;

import dev.webtalk.Principal;
import dev.webtalk.RateLimitedException;
import dev.webtalk.UserId;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Short-lived, single-use WebSocket tickets, so that a browser never puts its real credential in a
 * WebSocket URL (URLs end up in access logs, proxies and the console). An authenticated REST call
 * ({@code POST <api>/ws-ticket}) gets one; the handshake trades it for the principal it was issued to.
 * A ticket is 256 random bits, works once, and expires {@link #TTL} after it was issued.
 *
 * <p>Thread-safe. Tickets are kept in memory only: a ticket issued by one node works on that node only
 * (a client fetches one from the same server it then connects to), and a restart voids them all.
 */
public final class WsTickets {
    /** How long a ticket stays good: long enough for one connection attempt, short enough to be useless later. */
    public static final Duration TTL = Duration.ofSeconds(30);
    /** Tickets one user may hold unused at once; more are refused {@code rate_limited} until one expires. */
    public static final int MAX_OUTSTANDING_PER_USER = 20;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Unused tickets in the order issued, which is also the order they expire in. */
    private final LinkedHashMap<String, Issued> tickets = new LinkedHashMap<>();
    private final Map<UserId, Deque<Issued>> byUser = new HashMap<>();

    private record Issued(String value, Principal principal, Instant expiresAt) {
    }

    /** A ticket as handed out: its value and how many seconds it stays good. */
    public record Ticket(String value, long expiresInSeconds) {
    }

    public WsTickets(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues a ticket for {@code principal}.
     *
     * @throws RateLimitedException when the user already holds {@link #MAX_OUTSTANDING_PER_USER} unused ones
     */
    public synchronized Ticket issue(Principal principal) {
        Instant now = clock.instant();
        expire(now);
        Deque<Issued> mine = byUser.computeIfAbsent(principal.id(), id -> new ArrayDeque<>());
        if (mine.size() >= MAX_OUTSTANDING_PER_USER) {
            Duration wait = Duration.between(now, mine.peekFirst().expiresAt());
            throw new RateLimitedException("Too many unused WebSocket tickets", wait.isNegative() ? Duration.ZERO : wait);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Issued issued = new Issued(value, principal, now.plus(TTL));
        tickets.put(value, issued);
        mine.addLast(issued);
        return new Ticket(value, TTL.toSeconds());
    }

    /**
     * Trades a ticket for the principal it was issued to; the ticket is gone afterwards. Empty for a value
     * never issued, already used, or expired.
     */
    public synchronized Optional<Principal> redeem(String value) {
        Instant now = clock.instant();
        expire(now);
        Issued issued = value == null ? null : tickets.remove(value);
        if (issued == null) {
            return Optional.empty();
        }
        Deque<Issued> mine = byUser.get(issued.principal().id());
        if (mine != null) {
            mine.remove(issued);
            if (mine.isEmpty()) {
                byUser.remove(issued.principal().id());
            }
        }
        return Optional.of(issued.principal());
    }

    /** Unused tickets held now, expired ones not counted. */
    public synchronized int outstanding() {
        expire(clock.instant());
        return tickets.size();
    }

    /** Drops expired tickets: they sit at the head, as every ticket lives {@link #TTL}. */
    private void expire(Instant now) {
        Iterator<Issued> it = tickets.values().iterator();
        while (it.hasNext()) {
            Issued oldest = it.next();
            if (oldest.expiresAt().isAfter(now)) {
                return;
            }
            it.remove();
            Deque<Issued> mine = byUser.get(oldest.principal().id());
            if (mine != null) {
                mine.remove(oldest);
                if (mine.isEmpty()) {
                    byUser.remove(oldest.principal().id());
                }
            }
        }
    }
}
