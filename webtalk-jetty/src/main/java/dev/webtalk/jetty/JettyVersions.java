package dev.webtalk.jetty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks at {@link WebTalkJetty#install} that the Jetty jars on the class path belong together. An
 * application on Jetty 12.0 that does not import Jetty's BOM gets its own 12.0 {@code jetty-server} next
 * to the 12.1 ee10 WebSocket jars WebTalk brings; that starts, then answers every WebSocket handshake with
 * a 500 ({@code IncompatibleClassChangeError}). Refusing to install names the problem at start instead.
 */
final class JettyVersions {
    private static final Logger LOG = LoggerFactory.getLogger(JettyVersions.class);

    /** The oldest Jetty 12.0 release WebTalk is tested with (JettyVersionsIT); 12.1 is the build's own line. */
    static final String FLOOR = "12.0.16";

    /** The Jetty artifacts WebTalk runs on, as {@code group/artifact}: the ones a mix breaks. */
    private static final List<String> ARTIFACTS = List.of(
            "org.eclipse.jetty/jetty-util",
            "org.eclipse.jetty/jetty-io",
            "org.eclipse.jetty/jetty-http",
            "org.eclipse.jetty/jetty-server",
            "org.eclipse.jetty/jetty-session",
            "org.eclipse.jetty/jetty-security",
            "org.eclipse.jetty.ee10/jetty-ee10-servlet",
            "org.eclipse.jetty.ee10.websocket/jetty-ee10-websocket-servlet",
            "org.eclipse.jetty.ee10.websocket/jetty-ee10-websocket-jakarta-common",
            "org.eclipse.jetty.ee10.websocket/jetty-ee10-websocket-jakarta-server",
            "org.eclipse.jetty.websocket/jetty-websocket-core-common",
            "org.eclipse.jetty.websocket/jetty-websocket-core-server");

    private JettyVersions() {
    }

    /** Throws when the class path mixes Jetty lines; warns when it only mixes releases of one line. */
    static void requireAligned(ClassLoader loader) {
        Map<String, String> found = versions(loader);
        Optional<String> problem = mixedLines(found);
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        if (new TreeSet<>(found.values()).size() > 1) {
            LOG.warn("Jetty jars of different releases on the class path: {}. Jetty supports only one release "
                    + "at a time: import org.eclipse.jetty:jetty-bom and org.eclipse.jetty.ee10:jetty-ee10-bom", found);
        }
        found.values().stream().filter(v -> compare(v, FLOOR) < 0).findFirst().ifPresent(old ->
                LOG.warn("Jetty {} is older than {}, the oldest release WebTalk is tested with", old, FLOOR));
    }

    /**
     * A message naming the jars when {@code versions} (artifact to version) holds more than one
     * {@code major.minor} line, e.g. 12.0 and 12.1.
     */
    static Optional<String> mixedLines(Map<String, String> versions) {
        Map<String, List<String>> byLine = versions.entrySet().stream().collect(Collectors.groupingBy(
                e -> line(e.getValue()), TreeMap::new,
                Collectors.mapping(e -> e.getKey() + " " + e.getValue(), Collectors.toList())));
        if (byLine.size() < 2) {
            return Optional.empty();
        }
        return Optional.of("WebTalk found Jetty jars of different release lines on the class path: " + byLine
                + ". Jetty's jars only work with jars of their own release; this mix fails every WebSocket "
                + "handshake. Align them by importing org.eclipse.jetty:jetty-bom and "
                + "org.eclipse.jetty.ee10:jetty-ee10-bom of one version (12.0.x from " + FLOOR + ", or 12.1.x) "
                + "in your dependencyManagement: see WebTalk's README, \"Versions\".");
    }

    private static Map<String, String> versions(ClassLoader loader) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String artifact : ARTIFACTS) {
            URL url = loader.getResource("META-INF/maven/" + artifact + "/pom.properties");
            if (url == null) {
                continue; // repackaged or absent: nothing to compare
            }
            try (InputStream in = url.openStream()) {
                Properties pom = new Properties();
                pom.load(in);
                String version = pom.getProperty("version");
                if (version != null) {
                    found.put(artifact.substring(artifact.indexOf('/') + 1), version);
                }
            } catch (IOException e) {
                LOG.debug("Cannot read {}: {}", url, e.toString());
            }
        }
        return found;
    }

    private static String line(String version) {
        String[] parts = version.split("[.-]");
        return parts.length < 2 ? version : parts[0] + "." + parts[1];
    }

    /** Compares dotted numeric versions; a qualifier after the numbers is ignored. */
    static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < 3; i++) {
            int d = Integer.compare(number(x, i), number(y, i));
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static int number(String[] parts, int i) {
        try {
            return i < parts.length ? Integer.parseInt(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
