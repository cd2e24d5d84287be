package dev.webtalk.demo.bench;

import java.time.Duration;

/**
 * How a {@code --ramp} run searches for the highest rate the server sustains: the fixed-rate senders
 * start at the given rate and go up by {@link #FACTOR} every {@code step}, until a step's delivery
 * latency p99 exceeds {@code p99Limit}, a request fails, the senders fall behind, or
 * {@link #MAX_STEPS} steps have run. The last step that stayed within the limit is the result.
 *
 * @param step     how long each rate is held and measured
 * @param p99Limit the delivery latency p99 a step may not exceed (default 250 ms)
 */
public record Ramp(Duration step, Duration p99Limit) {
    /** Each step's rate over the previous one's. */
    static final double FACTOR = 1.25;
    /** Enough to go from 1 to over 100,000 messages/s; a bound, so a ramp always ends. */
    static final int MAX_STEPS = 60;
    /**
     * A step holds only if the server acknowledged at least this share of the messages due in it (less
     * one per sender, for the step's edge).
     */
    static final double MIN_ACKED_SHARE = 0.9;
    /** The rate a ramp starts at when no {@code --rate} is given. */
    static final int DEFAULT_START = 10;

    public Ramp {
        if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(BenchOptions.MAX_DURATION) > 0) {
            throw new BenchOptions.UsageException("--step must be 1s.." + BenchOptions.MAX_DURATION.toMinutes() + "m");
        }
        if (p99Limit.isNegative() || p99Limit.isZero() || p99Limit.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new BenchOptions.UsageException("--p99-limit must be more than 0 and at most 1m");
        }
    }

    /** The rate after {@code rate}: {@link #FACTOR} times higher, and at least one more. */
    static int next(int rate) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(rate + 1L, Math.round(rate * FACTOR)));
    }

    /**
     * Whether a step stayed within the limits.
     *
     * @param dueRate    the rate the senders were asked for, per second
     * @param senders    sending connections: each may have one message sent in this step and acknowledged
     *                   in the next, which must not count as falling behind
     * @param ackedRate  messages the server acknowledged, per second
     * @param p99Millis  the step's delivery latency p99
     * @param errors     failed requests in the step
     * @param skipped    sends skipped because too many were unanswered
     */
    boolean held(int dueRate, int senders, double ackedRate, double p99Millis, long errors, long skipped) {
        double edge = senders / (step.toNanos() / 1e9);
        return p99Millis <= p99Limit.toNanos() / 1e6 && errors == 0 && skipped == 0
                && ackedRate >= MIN_ACKED_SHARE * dueRate - edge;
    }

    /**
     * One step of a ramp, as measured.
     *
     * @param rate                the rate the senders were asked for
     * @param messagesPerSecond   messages acknowledged per second
     * @param deliveriesPerSecond pushes arriving at receivers per second
     * @param p50                 delivery latency p50 (ms)
     * @param p99                 delivery latency p99 (ms)
     * @param errors              failed requests
     * @param skipped             sends skipped (too many unanswered)
     * @param held                whether the step stayed within the limits
     * @param serverCores         the server's CPU seconds per second of the step (cores kept busy); null if unknown
     * @param clientCores         the same for the bench client
     * @param clientSaturated     whether the client was itself the limit in the step ({@link ClientProbe.Cpu#saturated})
     */
    public record Step(int rate, double messagesPerSecond, double deliveriesPerSecond, double p50, double p99,
                       long errors, long skipped, boolean held, Double serverCores, double clientCores,
                       boolean clientSaturated) {
    }
}
