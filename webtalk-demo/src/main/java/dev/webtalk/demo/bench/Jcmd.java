package dev.webtalk.demo.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK's {@code jcmd}, run against another JVM on this machine to read its heap the way the bench
 * reads its own in an embedded run: after a full collection. Each call is bounded by {@link #TIMEOUT};
 * a JVM that does not answer in time is left alone and the caller reports "n/a". Callers must first
 * make sure the target is a JVM ({@link LocalProcess#requireAttachableJvm()}): attaching signals it.
 */
final class Jcmd {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** {@code used 5003K} (G1, Parallel, Serial, ZGC) or {@code 8192K used} (Shenandoah). */
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)([KMG])\\b|\\b(\\d+)([KMG]) used\\b");

    private final Path binary;

    private Jcmd(Path binary) {
        this.binary = binary;
    }

    /**
     * The first {@code jcmd} found next to the {@code java} running this tool, in {@code $JAVA_HOME/bin},
     * or next to the target's own {@code java}; empty when there is none (a JRE without the JDK tools).
     */
    static Optional<Jcmd> find(long targetPid) {
        List<Path> dirs = new ArrayList<>();
        ProcessHandle.current().info().command().map(c -> Path.of(c).getParent()).ifPresent(dirs::add);
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            dirs.add(Path.of(javaHome, "bin"));
        }
        ProcessHandle.of(targetPid).flatMap(p -> p.info().command()).map(c -> Path.of(c).getParent())
                .ifPresent(dirs::add);
        return dirs.stream().filter(dir -> dir != null).map(dir -> dir.resolve("jcmd"))
                .filter(Files::isExecutable).findFirst().map(Jcmd::new);
    }

    Path binary() {
        return binary;
    }

    /** Forces a full collection in the JVM {@code pid} ({@code GC.run}) and returns its heap in use after it, in bytes. */
    long heapUsedAfterGc(long pid) throws IOException {
        run(pid, "GC.run");
        String info = run(pid, "GC.heap_info");
        try {
            return heapUsed(info);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** Runs one diagnostic command; returns its output, or fails with jcmd's first line of output. */
    private String run(long pid, String command) throws IOException {
        // A file rather than a pipe: nothing to drain, so a hung jcmd cannot block us past the timeout.
        Path output = Files.createTempFile("webtalk-bench-jcmd-", ".txt");
        try {
            Process jcmd = new ProcessBuilder(binary.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                if (!jcmd.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    jcmd.destroyForcibly();
                    throw new IOException("jcmd " + pid + " " + command + " did not finish in "
                            + TIMEOUT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                jcmd.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for jcmd " + pid + " " + command);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (jcmd.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed (exit " + jcmd.exitValue() + "): "
                        + firstLine(text));
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The heap in use, in bytes, from {@code GC.heap_info} output: the sum of the {@code used} figures of
     * the top-level heap lines (one space of indent) before {@code Metaspace}. Summed because
     * generational collectors print one line per generation (Parallel: {@code PSYoungGen} and
     * {@code ParOldGen}; Serial: {@code def new generation} and {@code tenured generation}); G1 and ZGC
     * print one line for the whole heap, Shenandoah a line ending in {@code NNNK used}. Indented
     * sub-lines (eden, survivor, region size) are parts of those lines and skipped.
     *
     * @throws IllegalArgumentException when no heap figure is recognised
     */
    static long heapUsed(String heapInfo) {
        long total = 0;
        boolean found = false;
        for (String line : heapInfo.split("\\R")) {
            if (line.trim().startsWith("Metaspace")) {
                break;
            }
            if (!line.startsWith(" ") || line.startsWith("  ")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                total += m.group(1) != null ? bytes(m.group(1), m.group(2)) : bytes(m.group(3), m.group(4));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no heap figure in the GC.heap_info output: " + firstLine(heapInfo));
        }
        return total;
    }

    private static long bytes(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }

    /** The first informative line: jcmd starts with {@code PID:} and follows an exception with its stack. */
    private static String firstLine(String text) {
        for (String line : text.split("\\R")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.matches("\\d+:") && !s.startsWith("at ")) {
                return s;
            }
        }
        return "no output";
    }
}
