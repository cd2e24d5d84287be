package dev.webtalk.internal;

import dev.webtalk.spi.OutboundFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes frames to connections on a few fan-out threads, so that one busy room's pushes use every core
 * instead of only the thread that runs the room.
 *
 * <p>Each connection's {@link Outbox} is bound to one {@link FanOutLane} for its whole life, and a lane
 * runs on one thread at a time, so a connection still receives its frames in the order they were
 * handed over. A room hands a push over once per lane, with the recipients on that lane
 * ({@link #broadcast}), not once per recipient. A lane that finds several frames waiting for one
 * connection passes them to the transport together ({@link dev.webtalk.spi.Connection#send(List)}),
 * which can write them at once; at low rates every frame goes out on its own as soon as it arrives.
 *
 * <p>Transports never block in {@code send} (the {@link dev.webtalk.spi.Connection} contract), so a
 * client that reads slowly never holds up a lane: its transport queues, and closes it past its bounds.
 */
final class FanOut implements AutoCloseable {
    private final FanOutLane[] lanes;
    private final ExecutorService threads;
    private final AtomicInteger nextLane = new AtomicInteger();

    /** @param threads fan-out threads, and as many lanes */
    FanOut(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("fan-out threads must be >= 1, was " + threads);
        }
        this.threads = Executors.newFixedThreadPool(threads, daemonThreads());
        this.lanes = new FanOutLane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new FanOutLane(i, this.threads);
        }
    }

    /** Binds a new connection's outbox to a lane, round robin. */
    FanOutLane assign() {
        return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
    }

    int lanes() {
        return lanes.length;
    }

    /** Frames handed over and not yet passed to their transports, over all lanes. */
    long queued() {
        long queued = 0;
        for (FanOutLane lane : lanes) {
            queued += lane.queued();
        }
        return queued;
    }

    /**
     * Starts a push of one frame to many connections. The caller adds the recipients and then calls
     * {@link Broadcast#send()}; a broadcast is used by one thread and once.
     *
     * @param expected how many recipients are likely, to size the per-lane lists
     */
    Broadcast broadcast(OutboundFrame frame, int expected) {
        return new Broadcast(frame, expected);
    }

    /**
     * Lets the lanes pass on what they hold, then stops their threads. Outboxes used afterwards deliver
     * on the caller's thread.
     */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One frame on its way to many connections, split by lane. */
    final class Broadcast {
        private final OutboundFrame frame;
        private final int perLane;
        private final List<List<Outbox>> byLane = new ArrayList<>(java.util.Collections.nCopies(lanes.length, null));

        private Broadcast(OutboundFrame frame, int expected) {
            this.frame = frame;
            this.perLane = expected / lanes.length + 1;
        }

        /** Adds a recipient; a connection already closed is skipped. */
        Broadcast add(Outbox outbox) {
            if (outbox.isOpen()) {
                int lane = outbox.lane().index();
                List<Outbox> list = byLane.get(lane);
                if (list == null) {
                    list = new ArrayList<>(perLane);
                    byLane.set(lane, list);
                }
                list.add(outbox);
            }
            return this;
        }

        /** Hands the frame to each lane that has recipients; returns how many recipients there are. */
        int send() {
            int recipients = 0;
            for (int i = 0; i < byLane.size(); i++) {
                List<Outbox> targets = byLane.get(i);
                if (targets != null) {
                    recipients += targets.size();
                    lanes[i].submit(new FanOutLane.ToMany(frame, targets));
                }
            }
            return recipients;
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "webtalk-fanout-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
