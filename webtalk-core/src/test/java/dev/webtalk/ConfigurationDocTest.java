package dev.webtalk;

import dev.webtalk.testing.OptionTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONFIGURATION.md lists every option of the engine's builders, with the defaults the code has. */
class ConfigurationDocTest {

    @Test
    void everyLimitIsDocumentedWithItsDefault() throws Exception {
        OptionTable table = OptionTable.of("Limits");
        assertEquals(OptionTable.builderOptions(Limits.Builder.class), table.names(),
                "options of Limits.Builder vs. the Limits table of docs/CONFIGURATION.md");
        Limits defaults = Limits.defaults();
        for (String option : table.names()) {
            Object value = Limits.class.getMethod(option).invoke(defaults);
            String expected = OptionTable.render(value);
            assertTrue(table.defaultOf(option).startsWith(expected),
                    "Limits." + option + ": the code's default is " + expected + ", the page says "
                            + table.defaultOf(option));
        }
    }

    @Test
    void everyEngineOptionIsDocumented() throws Exception {
        assertEquals(OptionTable.builderOptions(WebTalk.Builder.class), OptionTable.of("WebTalk.Builder").names(),
                "options of WebTalk.Builder vs. the WebTalk.Builder table of docs/CONFIGURATION.md");
    }

    @Test
    void engineDefaultsOnThePageAreTheCodes() throws Exception {
        OptionTable table = OptionTable.of("WebTalk.Builder");
        assertTrue(table.defaultOf("maxFileBytes").startsWith(OptionTable.render(WebTalk.DEFAULT_MAX_FILE_BYTES)));
        assertTrue(table.defaultOf("expiryCheckInterval")
                .startsWith(OptionTable.render(WebTalk.DEFAULT_EXPIRY_CHECK_INTERVAL)));
        assertTrue(table.defaultOf("catchUpInterval").startsWith(OptionTable.render(WebTalk.DEFAULT_CATCH_UP_INTERVAL)));
        assertTrue(table.defaultOf("nodeTimeout").startsWith(OptionTable.render(WebTalk.DEFAULT_NODE_TIMEOUT)));
    }
}
