package dev.webtalk.demo.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a bench run does with its connections once they are open. */
public enum Scenario {
    /** One room holding every connection; a few senders; measures fan-out to many receivers. */
    FANOUT("one big room, every connection a receiver, a few senders"),
    /** Many small rooms, each with a sender; every message stored; measures aggregate throughput. */
    ROOMS("many small rooms, one sender each, every message stored"),
    /** Connections that only stay open; measures what an idle connection costs. */
    IDLE("idle connections held open; heap per connection when embedded"),
    /** Readers paging through a pre-filled room's history. */
    HISTORY("history page reads from a pre-filled room"),
    /** Connections opened as fast as the concurrency allows; measures connects per second. */
    STORM("connection storm: connects per second"),
    /**
     * One room holding every connection, all reacting with the same emoji to one message after another;
     * shows how the server's 100 ms gathering of reaction changes bounds the pushes each member gets.
     */
    REACTIONS("reaction storm: everyone reacts to the same message, pushes per member"),
    /**
     * Like {@link #ROOMS}, and every user also marks its room read up to the newest message it has, at
     * most once a second; measures what read markers cost and whether they slow delivery.
     */
    READS("read-mark traffic: small rooms, senders post, every user marks read");

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    /** One line for the usage text. */
    public String description() {
        return description;
    }

    /** The name on the command line, e.g. {@code fanout}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this scenario sends chat messages (and so checks their order). */
    boolean sendsMessages() {
        return this == FANOUT || this == ROOMS || this == READS;
    }

    /** Parses a command-line name; the message lists the valid ones. */
    static Scenario parse(String raw) {
        for (Scenario s : values()) {
            if (s.wireName().equals(raw)) {
                return s;
            }
        }
        throw new BenchOptions.UsageException("unknown scenario '" + raw + "'; one of "
                + Arrays.stream(values()).map(Scenario::wireName).collect(Collectors.joining(", ")));
    }
}
