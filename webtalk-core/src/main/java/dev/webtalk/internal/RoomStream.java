package dev.webtalk.internal;

import dev.webtalk.RoomEvent;
import dev.webtalk.spi.StoreWrite;

import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Puts one room's stream events into position order on this node, when other nodes write the room too.
 * Events arrive from this node's store writer (in order among themselves) and from other nodes through
 * the broker (in order per node, possibly lost); each is applied once, in position order: early arrivals
 * are held back, and a hole that is not filled within {@link #HOLD_BACK} is read from the store, which
 * has every position below one that arrived. So local connections see every position once, in order,
 * whatever the broker lost.
 *
 * <p>Ordering is only kept while the room is {@linkplain #track tracked} (someone is present here and
 * other nodes exist); otherwise this node's own events are applied as they commit and other nodes'
 * events are not received. Confined to the room's lane, like the rest of the actor.
 */
final class RoomStream {
    /** How long an early arrival waits for the positions before it before they are read from the store. */
    static final Duration HOLD_BACK = Duration.ofMillis(100);
    /** Events read from the store at a time when filling. */
    private static final int FILL_PAGE = 256;
    private static final long UNTRACKED = -1;

    /** What the stream drives: the room's actor. Every call is on the room's lane. */
    interface Target {
        /**
         * Applies this node's committed change: completes its future (running what waits on it) and
         * publishes it. {@code alreadyApplied}: the position was filled from the store before the
         * writer's confirmation arrived, so its pushes must not go out here again.
         */
        void applyLocal(List<StoreWrite> writes, CompletableFuture<List<StoreWrite>> done, boolean alreadyApplied);

        /** Applies another node's event, received or read from the store. */
        void applyRelayed(Relayed relayed);

        /** The store's events after {@code pos}, oldest first. */
        List<RoomEvent> storedAfter(long pos, int limit);

        /** The store's newest position. */
        long storedLastPos();

        /** What another node would have relayed for {@code event}, built from the store. */
        Relayed render(RoomEvent event);

        /** Runs {@code task} on the room's lane after {@code delay}. */
        void later(Duration delay, Runnable task);
    }

    private sealed interface Arrival permits Local, Remote {
    }

    private record Local(List<StoreWrite> writes, CompletableFuture<List<StoreWrite>> done) implements Arrival {
    }

    private record Remote(Relayed relayed) implements Arrival {
    }

    private final Target target;
    /** Every position up to this one has been applied; {@link #UNTRACKED} when not ordering. */
    private long applied = UNTRACKED;
    private final TreeMap<Long, Arrival> held = new TreeMap<>();
    private boolean fillScheduled;

    RoomStream(Target target) {
        this.target = target;
    }

    /** Starts ordering: positions up to {@code appliedUpTo} count as applied (a join read them as state). */
    void track(long appliedUpTo) {
        if (applied == UNTRACKED) {
            applied = appliedUpTo;
        }
    }

    /**
     * Stops ordering: held changes of this node are applied now (their writers wait for them), held
     * events of other nodes are dropped (nobody here needs them any more).
     */
    void untrack() {
        applied = UNTRACKED;
        List<Arrival> waiting = List.copyOf(held.values());
        held.clear();
        for (Arrival a : waiting) {
            if (a instanceof Local l) {
                target.applyLocal(l.writes(), l.done(), false);
            }
        }
    }

    boolean isTracking() {
        return applied != UNTRACKED;
    }

    /** The newest position applied here, or -1 when not tracking. For tests and stats. */
    long applied() {
        return applied;
    }

    /** This node committed a change at {@code pos}. */
    void local(long pos, List<StoreWrite> writes, CompletableFuture<List<StoreWrite>> done) {
        if (applied == UNTRACKED) {
            target.applyLocal(writes, done, false);
        } else if (pos <= applied) {
            target.applyLocal(writes, done, true);
        } else {
            offer(pos, new Local(writes, done));
        }
    }

    /** Another node committed {@code relayed}; a repeat or a position already applied is ignored. */
    void remote(Relayed relayed) {
        long pos = relayed.event().pos();
        if (applied == UNTRACKED || pos <= applied || held.containsKey(pos)) {
            return;
        }
        offer(pos, new Remote(relayed));
    }

    private void offer(long pos, Arrival arrival) {
        held.put(pos, arrival);
        drain();
        if (!held.isEmpty()) {
            scheduleFill();
        }
    }

    /** Applies the held arrivals that are next in line. */
    private void drain() {
        while (applied != UNTRACKED && !held.isEmpty() && held.firstKey() == applied + 1) {
            Arrival next = held.pollFirstEntry().getValue();
            applied++;
            apply(next);
        }
    }

    private void apply(Arrival arrival) {
        if (arrival instanceof Local l) {
            target.applyLocal(l.writes(), l.done(), false);
        } else {
            target.applyRelayed(((Remote) arrival).relayed());
        }
    }

    private void scheduleFill() {
        if (!fillScheduled) {
            fillScheduled = true;
            target.later(HOLD_BACK, () -> {
                fillScheduled = false;
                fill(false);
            });
        }
    }

    /**
     * Reads from the store what did not arrive: the holes below the held arrivals, and with
     * {@code toTail} everything up to the store's newest position too (after the broker may have lost
     * publications, or to catch a lost publication in a room that went quiet).
     */
    void fill(boolean toTail) {
        if (applied == UNTRACKED) {
            return;
        }
        long upTo = held.isEmpty() ? applied : held.lastKey();
        if (toTail) {
            upTo = Math.max(upTo, target.storedLastPos());
        }
        while (applied != UNTRACKED && applied < upTo) {
            drain();
            if (applied >= upTo || applied == UNTRACKED) {
                break;
            }
            List<RoomEvent> events = target.storedAfter(applied, FILL_PAGE);
            if (events.isEmpty() || events.get(0).pos() != applied + 1) {
                break; // the store does not have it (yet): try again later
            }
            for (RoomEvent event : events) {
                if (applied == UNTRACKED || event.pos() != applied + 1 || event.pos() > upTo) {
                    break;
                }
                Arrival arrived = held.remove(event.pos());
                applied++;
                if (arrived != null) {
                    apply(arrived);
                } else {
                    target.applyRelayed(target.render(event));
                }
            }
        }
        if (!held.isEmpty()) {
            scheduleFill();
        }
    }
}
