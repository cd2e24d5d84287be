package dev.webtalk;

import com.fasterxml.jackson.core.Version;

import java.security.CodeSource;
import java.util.Optional;

/**
 * Checks at {@link WebTalk.Builder#build()} that Jackson is recent enough. The codec bounds frames with
 * {@code StreamReadConstraints.Builder.maxNestingDepth}, which Jackson added in 2.15; an older Jackson,
 * picked by a host's dependency management, would otherwise fail later with a bare
 * {@code NoClassDefFoundError} or {@code NoSuchMethodError}.
 */
final class JacksonVersion {
    /** The oldest Jackson WebTalk runs on. */
    static final Version FLOOR = new Version(2, 15, 0, null, "com.fasterxml.jackson.core", "jackson-databind");

    private JacksonVersion() {
    }

    /** Throws when jackson-core or jackson-databind on the class path is older than {@link #FLOOR}. */
    static void require() {
        // PackageVersion exists in every Jackson 2 release, so reading it never fails the way the codec would.
        tooOld("jackson-core", com.fasterxml.jackson.core.json.PackageVersion.VERSION,
                where(com.fasterxml.jackson.core.json.PackageVersion.class)).ifPresent(JacksonVersion::fail);
        tooOld("jackson-databind", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION,
                where(com.fasterxml.jackson.databind.cfg.PackageVersion.class)).ifPresent(JacksonVersion::fail);
    }

    /** The message for a Jackson artifact older than {@link #FLOOR}, or empty when {@code found} will do. */
    static Optional<String> tooOld(String artifact, Version found, String location) {
        boolean older = found.getMajorVersion() < FLOOR.getMajorVersion()
                || (found.getMajorVersion() == FLOOR.getMajorVersion() && found.getMinorVersion() < FLOOR.getMinorVersion());
        if (!older) {
            return Optional.empty();
        }
        return Optional.of("WebTalk needs Jackson " + FLOOR.getMajorVersion() + "." + FLOOR.getMinorVersion()
                + " or later, but " + artifact + " " + found + " is on the class path" + location
                + ". Align Jackson by importing com.fasterxml.jackson:jackson-bom (2.15 or later) in your "
                + "dependencyManagement: see WebTalk's README, \"Versions\".");
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }

    private static String where(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "" : " (" + source.getLocation() + ")";
    }
}
