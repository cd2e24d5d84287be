package dev.webtalk.demo.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * axe-core in a page under test. The script comes from the npm registry at the version pinned by
 * {@code src/test/a11y/package-lock.json}; the pom's {@code axe-core-for-browser-tests} step installs it
 * under {@code target/a11y} before the browser tests. The test injects it through WebDriver (which is not
 * bound by the page's Content-Security-Policy); the demo never serves it.
 */
final class Axe {
    static final Path SCRIPT = Path.of("target", "a11y", "node_modules", "axe-core", "axe.min.js");
    private static String source;

    private Axe() {
    }

    /** The script; skips the test when it is not installed (npm offline), fails under CI where it must be. */
    static synchronized String source() {
        if (source == null) {
            boolean ci = "true".equals(System.getenv("CI")) || "1".equals(System.getenv("WEBTALK_REQUIRE_SERVICES"));
            if (!Files.isRegularFile(SCRIPT)) {
                String why = SCRIPT + " is missing: the pom's axe-core-for-browser-tests step (npm ci) did not install it";
                if (ci) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
            try {
                source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    /**
     * Every axe violation, of any impact, on the page as it is now: one line per rule with its impact, help
     * and the first offending elements' selectors and failure summary. Empty when the page passes.
     */
    @SuppressWarnings("unchecked")
    static List<String> violations(Browser browser) {
        if (!Boolean.TRUE.equals(browser.script("return typeof window.axe === 'object'"))) {
            browser.script(source());
        }
        Object result = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — `
                    + v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} [${(n.failureSummary || '').replace(/\\s+/g, ' ')}]`)
                      .join(' | '))))
                  .catch((e) => done(['axe failed: ' + e]));""");
        return (List<String>) result;
    }

    /**
     * Scans screen after screen and reports them all at the end, so one run lists every screen's problems.
     * Each scan keeps a screenshot of what it scanned, named {@code a11y-<screen>}.
     */
    static final class Scan {
        private final java.util.List<String> found = new java.util.ArrayList<>();

        void check(Browser browser, String screen) {
            browser.screenshot("a11y-" + screen);
            for (String violation : violations(browser)) {
                found.add(screen + ": " + violation);
            }
        }

        void assertClean() {
            Assertions.assertEquals("", String.join("\n", found), "axe violations");
        }
    }
}
