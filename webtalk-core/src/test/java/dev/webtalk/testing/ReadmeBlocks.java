package dev.webtalk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of this project's README.md, so a test can hold a README example to the source
 * file that compiles and runs as a test: the README shows exactly the code that is tested.
 */
public final class ReadmeBlocks {
    private final List<Block> blocks;

    /** One fenced block: its language tag (e.g. {@code java}, {@code xml}) and its text, ending in a newline. */
    public record Block(String language, String text) {
    }

    private ReadmeBlocks(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Reads the README.md of the project, looked up from the working directory (a module's folder) upwards. */
    public static ReadmeBlocks load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        try {
            return parse(Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReadmeBlocks parse(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String language = null;
        StringBuilder text = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (language == null && line.startsWith("```")) {
                language = line.substring(3).strip();
                text.setLength(0);
            } else if (language != null && line.equals("```")) {
                blocks.add(new Block(language, text.toString()));
                language = null;
            } else if (language != null) {
                text.append(line).append('\n');
            }
        }
        return new ReadmeBlocks(List.copyOf(blocks));
    }

    /** The only block in {@code language} that contains {@code marker}; fails unless there is exactly one. */
    public String only(String language, String marker) {
        List<Block> found = blocks.stream()
                .filter(b -> b.language().equals(language) && b.text().contains(marker)).toList();
        if (found.size() != 1) {
            throw new AssertionError("README.md should have one ```" + language + " block with \"" + marker
                    + "\", found " + found.size());
        }
        return found.get(0).text();
    }

    /** A Java source file as the README shows it: without its {@code package} line and the blank line after it. */
    public static String withoutPackage(Path javaFile) {
        try {
            String source = Files.readString(javaFile, StandardCharsets.UTF_8);
            return source.replaceFirst("\\Apackage [\\w.]+;\n\n", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
