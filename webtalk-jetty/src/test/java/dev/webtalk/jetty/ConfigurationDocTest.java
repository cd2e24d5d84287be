package dev.webtalk.jetty;

import dev.webtalk.testing.OptionTable;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/CONFIGURATION.md lists every {@link JettyOptions} option with the default the code has. */
class ConfigurationDocTest {

    @Test
    void everyJettyOptionIsDocumentedWithItsDefault() throws Exception {
        OptionTable table = OptionTable.of("JettyOptions");
        assertEquals(OptionTable.builderOptions(JettyOptions.Builder.class), table.names(),
                "options of JettyOptions.Builder vs. the JettyOptions table of docs/CONFIGURATION.md");
        JettyOptions defaults = JettyOptions.builder(request -> Optional.empty()).build();
        for (String option : table.names()) {
            String expected = OptionTable.render(JettyOptions.class.getMethod(option).invoke(defaults));
            assertTrue(table.defaultOf(option).startsWith(expected),
                    "JettyOptions." + option + ": the code's default is " + expected + ", the page says "
                            + table.defaultOf(option));
        }
    }
}
