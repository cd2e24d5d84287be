package dev.webtalk.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. One per room: it serializes every
 * change to that room without tying up a thread per room, so many rooms progress in parallel.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run per turn before yielding the pool thread, so one busy room cannot starve others. */
    private static final int TASKS_PER_TURN = 64;

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * Queues a task. Throws the pool's {@link RejectedExecutionException} when the task cannot be
     * scheduled (the pool shut down while this executor was idle); the task is then not run.
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RuntimeException e) {
                tasks.remove(task);
                scheduled.set(false);
                throw e;
            }
        }
    }

    /**
     * Whether tasks are waiting behind the one running now; read on the executor's own thread, it says
     * whether more work for this room is already queued.
     */
    boolean hasQueuedTasks() {
        return !tasks.isEmpty();
    }

    /** Tasks waiting now, the running one excluded; counts the queue, so for metrics only. */
    int queued() {
        return tasks.size();
    }

    private void drain() {
        while (true) {
            runTurn();
            scheduled.set(false);
            if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return; // idle, or a concurrent execute() has scheduled the next turn
            }
            try {
                pool.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                // The pool is shutting down: these tasks were accepted, so finish them on this thread
                // rather than strand them (and whoever waits on their outcome).
            }
        }
    }

    private void runTurn() {
        for (int i = 0; i < TASKS_PER_TURN; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("Room task failed", t);
            }
        }
    }
}
