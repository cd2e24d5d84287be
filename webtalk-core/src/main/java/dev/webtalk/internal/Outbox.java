package dev.webtalk.internal;

import dev.webtalk.spi.Connection;
import dev.webtalk.spi.OutboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The way out to one connection: every frame and the final close pass through its {@link FanOutLane},
 * so they reach the transport in the order they were handed over, whichever thread handed them over.
 * The gathering state is touched only by the thread draining the lane.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Connection connection;
    private final FanOutLane lane;
    private volatile boolean open = true;
    // Lane-confined: the frames (and close) gathered for this connection during the lane's current turn.
    // Made on first use: most connections never have two frames waiting, and an idle one should be small.
    private List<OutboundFrame> frames;
    private int closeCode;
    private String closeReason;

    Outbox(Connection connection, FanOutLane lane) {
        this.connection = connection;
        this.lane = lane;
    }

    FanOutLane lane() {
        return lane;
    }

    /** False once {@link #close} was called: later frames are not queued. */
    boolean isOpen() {
        return open;
    }

    /** Queues a frame for this connection alone. */
    void send(OutboundFrame frame) {
        if (open) {
            lane.submit(new FanOutLane.ToOne(frame, this));
        }
    }

    /** Queues the close behind every frame queued so far; frames queued later are dropped. */
    void close(int code, String reason) {
        if (open) {
            open = false;
            lane.submit(new FanOutLane.Close(this, code, reason));
        }
    }

    /** Frames the transport holds for this client and has not written yet ({@link Connection#queuedFrames}). */
    int transportQueuedFrames() {
        return connection.queuedFrames();
    }

    /** The client is gone: nothing more is queued, and nothing needs closing. */
    void discard() {
        open = false;
    }

    // ---- on the lane's thread ----

    void write(OutboundFrame frame) {
        try {
            connection.send(frame);
        } catch (RuntimeException e) {
            LOG.warn("Transport failed to queue a frame for {}", connection, e);
        }
    }

    void writeClose(int code, String reason) {
        try {
            connection.close(code, reason);
        } catch (RuntimeException e) {
            LOG.warn("Transport failed to close {}", connection, e);
        }
    }

    boolean hasGathered() {
        return (frames != null && !frames.isEmpty()) || closeCode != 0;
    }

    void gather(OutboundFrame frame) {
        if (closeCode == 0) {
            if (frames == null) {
                frames = new ArrayList<>(4);
            }
            frames.add(frame);
        }
    }

    void gatherClose(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
    }

    /** Passes on what this turn gathered: the frames as one batch, then the close if one came. */
    void flushGathered() {
        try {
            int count = frames == null ? 0 : frames.size();
            if (count == 1) {
                write(frames.get(0));
            } else if (count > 1) {
                try {
                    connection.send(frames);
                } catch (RuntimeException e) {
                    LOG.warn("Transport failed to queue frames for {}", connection, e);
                }
            }
            if (closeCode != 0) {
                writeClose(closeCode, closeReason);
            }
        } finally {
            if (frames != null) {
                frames.clear();
            }
            closeCode = 0;
            closeReason = null;
        }
    }
}
