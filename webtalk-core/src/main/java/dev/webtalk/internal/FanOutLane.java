package dev.webtalk.internal;

import dev.webtalk.spi.OutboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One queue of deliveries for the connections bound to it, drained by one thread at a time, in the
 * order handed over. Each turn takes what is waiting (up to {@link #ITEMS_PER_TURN}); when that is more
 * than one delivery, the frames are first gathered per connection, so a connection with several waiting
 * frames gets them in one {@link dev.webtalk.spi.Connection#send(List)} call. When the queue runs dry the
 * turn ends at once: nothing waits for company.
 */
final class FanOutLane {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutLane.class);
    /** Deliveries per turn: bounds the frames gathered at once and lets other lanes' turns interleave. */
    static final int ITEMS_PER_TURN = 256;

    /** What a lane carries: a frame for many connections, a frame for one, or a close after the frames. */
    sealed interface Item permits ToMany, ToOne, Close {
    }

    record ToMany(OutboundFrame frame, List<Outbox> targets) implements Item {
    }

    record ToOne(OutboundFrame frame, Outbox target) implements Item {
    }

    record Close(Outbox target, int code, String reason) implements Item {
    }

    private final int index;
    private final Executor thread;
    private final Queue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong queued = new AtomicLong();
    // Touched only by the thread draining this lane (handed over through the scheduled flag).
    private final List<Item> taken = new ArrayList<>(ITEMS_PER_TURN);
    private final List<Outbox> gathered = new ArrayList<>();

    FanOutLane(int index, Executor thread) {
        this.index = index;
        this.thread = thread;
    }

    int index() {
        return index;
    }

    long queued() {
        return queued.get();
    }

    /** Queues a delivery; never blocks. Once the lane's threads have stopped, delivers on the caller. */
    void submit(Item item) {
        queued.incrementAndGet();
        queue.add(item);
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain(); // shutting down: deliver here rather than lose a close or a last frame
            }
        }
    }

    private void drain() {
        while (true) {
            turn();
            scheduled.set(false);
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return; // idle, or a concurrent submit() has scheduled the next turn
            }
        }
    }

    private void turn() {
        Item item;
        while (taken.size() < ITEMS_PER_TURN && (item = queue.poll()) != null) {
            taken.add(item);
        }
        if (taken.isEmpty()) {
            return;
        }
        queued.addAndGet(-taken.size());
        try {
            if (taken.size() == 1) {
                deliverAlone(taken.get(0));
            } else {
                deliverGathered();
            }
        } catch (RuntimeException e) {
            LOG.error("Fan-out delivery failed", e);
        } finally {
            taken.clear();
            gathered.clear();
        }
    }

    /** The quiet case: one delivery waiting, nothing to gather. */
    private static void deliverAlone(Item item) {
        if (item instanceof ToMany many) {
            for (Outbox target : many.targets()) {
                target.write(many.frame());
            }
        } else if (item instanceof ToOne one) {
            one.target().write(one.frame());
        } else if (item instanceof Close close) {
            close.target().writeClose(close.code(), close.reason());
        }
    }

    private void deliverGathered() {
        for (Item item : taken) {
            if (item instanceof ToMany many) {
                for (Outbox target : many.targets()) {
                    gather(target, many.frame());
                }
            } else if (item instanceof ToOne one) {
                gather(one.target(), one.frame());
            } else if (item instanceof Close close) {
                Outbox target = close.target();
                if (!target.hasGathered()) {
                    gathered.add(target);
                }
                target.gatherClose(close.code(), close.reason());
            }
        }
        for (Outbox target : gathered) {
            target.flushGathered();
        }
    }

    private void gather(Outbox target, OutboundFrame frame) {
        if (!target.hasGathered()) {
            gathered.add(target);
        }
        target.gather(frame);
    }
}
