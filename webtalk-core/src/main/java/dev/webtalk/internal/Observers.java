package dev.webtalk.internal;

import dev.webtalk.protocol.ErrorCode;
import dev.webtalk.spi.EngineObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;

/**
 * The engine's observers as one: an immutable array, replaced whole when one is added or removed, so the
 * hot paths read one volatile field and loop without a lock. An observer that throws is logged, at most
 * once per observer, and never disturbs the engine or the other observers.
 */
final class Observers implements EngineObserver {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private final Entry[] entries;

    private static final class Entry {
        final EngineObserver observer;
        volatile boolean failed;

        Entry(EngineObserver observer) {
            this.observer = observer;
        }
    }

    private Observers(Entry[] entries) {
        this.entries = entries;
    }

    static final Observers NONE = new Observers(new Entry[0]);

    Observers with(EngineObserver observer) {
        Objects.requireNonNull(observer, "observer");
        Entry[] next = Arrays.copyOf(entries, entries.length + 1);
        next[entries.length] = new Entry(observer);
        return new Observers(next);
    }

    Observers without(EngineObserver observer) {
        return new Observers(Arrays.stream(entries).filter(e -> e.observer != observer).toArray(Entry[]::new));
    }

    private static void failed(Entry entry, RuntimeException e) {
        if (!entry.failed) {
            entry.failed = true;
            LOG.warn("Engine observer {} failed; its further failures are not logged", entry.observer, e);
        }
    }

    @Override
    public void connectionOpened() {
        for (Entry e : entries) {
            try {
                e.observer.connectionOpened();
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void connectionDropped(int closeCode) {
        for (Entry e : entries) {
            try {
                e.observer.connectionDropped(closeCode);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void messageReceived() {
        for (Entry e : entries) {
            try {
                e.observer.messageReceived();
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void frameSent(boolean reply) {
        for (Entry e : entries) {
            try {
                e.observer.frameSent(reply);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void pushesSent(int count) {
        for (Entry e : entries) {
            try {
                e.observer.pushesSent(count);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void storeBatchCommitted(int groups, int writes, long nanos) {
        for (Entry e : entries) {
            try {
                e.observer.storeBatchCommitted(groups, writes, nanos);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void rateLimited(Limit limit) {
        for (Entry e : entries) {
            try {
                e.observer.rateLimited(limit);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }

    @Override
    public void errorSent(ErrorCode code) {
        for (Entry e : entries) {
            try {
                e.observer.errorSent(code);
            } catch (RuntimeException x) {
                failed(e, x);
            }
        }
    }
}
