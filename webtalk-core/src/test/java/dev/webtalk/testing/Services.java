package dev.webtalk.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * The external services some tests need (PostgreSQL, Redis), found on this machine or skipped.
 *
 * <p>A test asks for a service; when it is not reachable the test is skipped, saying which service is
 * missing and where it was looked for, unless the environment variable {@value #REQUIRE} is {@code 1}
 * (as CI sets it): then a missing service fails the test. Addresses default to the local services of a
 * development machine and may be overridden with {@code WEBTALK_TEST_POSTGRES} (a JDBC URL) and
 * {@code WEBTALK_TEST_REDIS} (a {@code redis://} URI).
 */
public final class Services {
    /** Set to {@code 1} to make a missing service fail the tests that need it instead of skipping them. */
    public static final String REQUIRE = "WEBTALK_REQUIRE_SERVICES";

    private static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String REDIS_DEFAULT = "redis://127.0.0.1:6379";

    private Services() {
    }

    /** The JDBC URL of a PostgreSQL database the test may create schemas in. */
    public static String postgres() {
        String url = env("WEBTALK_TEST_POSTGRES", POSTGRES_DEFAULT);
        URI uri = URI.create(url.substring("jdbc:".length()));
        require("PostgreSQL", uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), url);
        return url;
    }

    /** The URI of a Redis server the test may use (and flush keys of its own prefix in). */
    public static URI redis() {
        URI uri = URI.create(env("WEBTALK_TEST_REDIS", REDIS_DEFAULT));
        require("Redis", uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), uri.toString());
        return uri;
    }

    /** Whether a missing service fails tests instead of skipping them. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE));
    }

    private static void require(String service, String host, int port, String where) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            missing(service + " is not reachable at " + where + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Skips the calling test because a service it needs is missing, saying {@code why}; fails it instead
     * when {@value #REQUIRE} is {@code 1}. Never returns normally.
     */
    public static void missing(String why) {
        if (required()) {
            throw new AssertionError(why + "; " + REQUIRE + "=1 makes that a failure");
        }
        Assumptions.abort(why + ": skipped; start it, or set " + REQUIRE + "=1 to fail instead");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
