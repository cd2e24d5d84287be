package dev.webtalk.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client is told of a server fault ({@link ErrorCode#INTERNAL}): a neutral message and a
 * reference, never the fault's own text, which may name files, paths or SQL. The detail goes to the log
 * under the same reference, so an operator can find it from what a user reports.
 *
 * <p>Not API: serves WebTalk's own transports and may change in any release.
 *
 * @hidden
 */
public final class InternalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);

    /**
     * The client's view of one fault.
     *
     * @param message a neutral text that carries the reference
     * @param details the extra error fields: {@code ref}
     */
    public record Report(String message, Map<String, Object> details) {
    }

    private InternalErrors() {
    }

    /** Logs {@code fault} (with {@code context}: what failed, for whom) under a new reference and reports it. */
    public static Report report(Throwable fault, String context) {
        String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffff_ffffL | 0x1_0000_0000L).substring(1);
        LOG.warn("Internal error ref {} ({}): {}", ref, context, fault.toString(), fault);
        return new Report("Internal error (ref " + ref + "); the request may or may not have taken effect",
                Map.of("ref", ref));
    }
}
