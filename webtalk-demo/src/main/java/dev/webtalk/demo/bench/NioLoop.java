package dev.webtalk.demo.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One thread with one selector serving many {@link NioSocket}s: it connects them, reads what arrives
 * into one buffer shared by all its sockets and hands the frames to their clients, all on this thread.
 * Read interest stays on for good (level-triggered), so a busy socket costs a read per wake-up and
 * nothing else: no hand-off to another thread, no interest update, no allocation per frame.
 */
final class NioLoop implements Runnable {
    /** Most a read takes at once; a frame larger than this is read into its socket's own buffer. */
    static final int READ_BUFFER_BYTES = 256 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Heap, so that frames are scanned in place in its array; used by this loop's thread only. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private volatile boolean running = true;

    NioLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Makes the selector take changed interest sets into account now. */
    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                selector.select(onReady);
            }
        } catch (IOException | RuntimeException e) {
            for (SelectionKey key : selector.keys()) {
                ((NioSocket) key.attachment()).abort(e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                ((NioSocket) key.attachment()).abort(new IOException("the bench is closing its connections"));
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void onReady(SelectionKey key) {
        NioSocket socket = (NioSocket) key.attachment();
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                socket.onConnectable();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                socket.onWritable();
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                socket.onReadable();
            }
        } catch (IOException | RuntimeException e) {
            // A failure of this socket, or of the client code it called: that connection ends (and is
            // reported as a disconnect), the loop's other connections go on.
            socket.abort(e);
        }
    }

    /** Stops the thread, closing every socket it still serves; waits up to 5 s. */
    void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5_000);
    }
}
