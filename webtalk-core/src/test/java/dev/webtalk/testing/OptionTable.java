package dev.webtalk.testing;

import dev.webtalk.RateLimit;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One section's option table of docs/CONFIGURATION.md ({@code | `name` | default | what |} rows), so a
 * test can compare it with a builder's methods and defaults and the page cannot drift from the code.
 */
public final class OptionTable {
    private final String section;
    private final Map<String, String> defaults;

    private OptionTable(String section, Map<String, String> defaults) {
        this.section = section;
        this.defaults = defaults;
    }

    /** The table under the heading {@code ## `section`} of docs/CONFIGURATION.md. */
    public static OptionTable of(String section) throws IOException {
        String heading = "## `" + section + "`";
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : Files.readAllLines(configurationPage())) {
            if (line.startsWith("## ")) {
                inside = line.strip().equals(heading);
            } else if (inside && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                String name = cells[1].strip();
                rows.put(name.substring(1, name.length() - 1), cells[2].strip());
            }
        }
        if (rows.isEmpty()) {
            throw new AssertionError("docs/CONFIGURATION.md has no option table under " + heading);
        }
        return new OptionTable(section, rows);
    }

    /** Option names in the table, sorted. */
    public Set<String> names() {
        return new TreeSet<>(defaults.keySet());
    }

    /** The default column of {@code option}'s row. */
    public String defaultOf(String option) {
        String cell = defaults.get(option);
        if (cell == null) {
            throw new AssertionError(section + " table has no row for " + option);
        }
        return cell;
    }

    /**
     * The options of a builder: its public instance methods that return the builder itself (setters and
     * adders), sorted by name.
     */
    public static Set<String> builderOptions(Class<?> builder) {
        Set<String> names = new TreeSet<>();
        for (Method m : builder.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() == builder) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /**
     * How a default value is written at the start of its cell: counts with thousands separators,
     * durations in the largest whole unit ({@code 5 min}, {@code 25 s}), rates as
     * {@code burst of 20, then 5 per second}, strings and booleans as code, an empty set as {@code none}.
     */
    public static String render(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        if (value instanceof Duration d) {
            return duration(d);
        }
        if (value instanceof RateLimit rate) {
            long nanos = rate.refill().toNanos();
            long second = Duration.ofSeconds(1).toNanos();
            // RateLimit.perSecond(b, k) refills every second / k nanoseconds, rounded down
            if (nanos <= second && second / (second / nanos) == nanos) {
                return "burst of " + rate.burst() + ", then " + second / nanos + " per second";
            }
            String every = rate.refill().equals(Duration.ofMinutes(1)) ? "minute" : duration(rate.refill());
            return "burst of " + rate.burst() + ", then 1 per " + every;
        }
        if (value instanceof String || value instanceof Boolean) {
            return "`" + value + "`";
        }
        if (value instanceof Collection<?> c && c.isEmpty()) {
            return "none";
        }
        return String.valueOf(value);
    }

    private static String duration(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toNanosPart() == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    private static Path configurationPage() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            Path page = at.resolve("docs").resolve("CONFIGURATION.md");
            if (Files.isRegularFile(page)) {
                return page;
            }
        }
        throw new AssertionError("no docs/CONFIGURATION.md above " + dir);
    }
}
