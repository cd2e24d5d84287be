package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineCommandTest {
    @Test
    void parsesPortAndBurstWithDefaults() {
        assertEquals(new BaselineCommand.Options(BaselineCommand.DEFAULT_PORT, 1), BaselineCommand.Options.parse(new String[0]));
        assertEquals(new BaselineCommand.Options(0, 32),
                BaselineCommand.Options.parse(new String[]{"--burst", "32", "--port", "0"}));
    }

    @Test
    void refusesBadValuesWithPreciseMessages() {
        String[][] cases = {
                {"--burst", "0"}, {"--burst", "10001"}, {"--port", "70000"}, {"--port"}, {"--rate", "3"}, {"--port", "x"}};
        String[] expected = {"--burst must be 1..10000", "--burst must be 1..10000", "--port must be 0..65535",
                "--port needs a value", "unknown option for baseline-server: --rate", "--port must be a whole number"};
        for (int k = 0; k < cases.length; k++) {
            String[] args = cases[k];
            String message = assertThrows(BenchOptions.UsageException.class, () -> BaselineCommand.Options.parse(args))
                    .getMessage();
            assertTrue(message.contains(expected[k]), message);
        }
    }

    @Test
    void aUsageErrorPrintsTheUsageAndExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Bench.run(new String[]{"baseline-server", "--burst", "0"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Bench.USAGE_ERROR, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: java -jar webtalk-demo.jar bench baseline-server"));
    }
}
