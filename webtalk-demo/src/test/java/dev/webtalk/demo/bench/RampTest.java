package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RampTest {
    private final Ramp ramp = new Ramp(Duration.ofSeconds(5), Duration.ofMillis(250));

    @Test
    void eachStepIsAQuarterHigherAndAlwaysHigher() {
        assertEquals(2, Ramp.next(1));
        assertEquals(5, Ramp.next(4), "5.0");
        assertEquals(13, Ramp.next(10), "12.5 rounds up");
        assertEquals(125, Ramp.next(100));
        assertEquals(Integer.MAX_VALUE, Ramp.next(Integer.MAX_VALUE - 1), "never overflows");
    }

    @Test
    void aStepHoldsOnlyWithinTheLatencyLimitWithoutErrorsOrFallingBehind() {
        assertTrue(ramp.held(100, 5, 100, 250.0, 0, 0), "p99 exactly at the limit holds");
        assertTrue(ramp.held(100, 5, 89, 10, 0, 0), "90% acknowledged, less one per sender at the step's edge");
        assertFalse(ramp.held(100, 5, 88.9, 10, 0, 0), "the server acknowledged too few");
        assertFalse(ramp.held(100, 5, 100, 250.1, 0, 0), "p99 over the limit");
        assertFalse(ramp.held(100, 5, 100, 10, 1, 0), "a failed request");
        assertFalse(ramp.held(100, 5, 100, 10, 0, 1), "a send skipped because too many were unanswered");
    }

    @Test
    void refusesStepsAndLimitsThatCannotMeasureAnything() {
        assertThrows(BenchOptions.UsageException.class, () -> new Ramp(Duration.ofMillis(999), Duration.ofMillis(250)));
        assertThrows(BenchOptions.UsageException.class, () -> new Ramp(Duration.ofHours(2), Duration.ofMillis(250)));
        assertThrows(BenchOptions.UsageException.class, () -> new Ramp(Duration.ofSeconds(5), Duration.ZERO));
        assertThrows(BenchOptions.UsageException.class, () -> new Ramp(Duration.ofSeconds(5), Duration.ofMinutes(2)));
    }
}
