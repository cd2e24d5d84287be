package dev.webtalk.jetty;

import dev.webtalk.Principal;

import java.util.Optional;

/**
 * Decides who is on the other end of a WebSocket handshake or REST call. The host application supplies
 * one: it knows its users (a session cookie, a bearer token, a signed guest pass); WebTalk does not.
 * Identity comes only from here, never from fields inside chat frames.
 *
 * <p>Called on a Jetty request thread for every handshake and REST request; must be thread-safe and
 * should be quick (no remote calls without a timeout). If it throws — or returns
 * {@link Principal#system()}, the server's own identity, which no caller may have — the caller gets a
 * JSON {@code 500 internal} with a reference to the logged fault, on a handshake as on a REST call.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Identifies the caller.
     *
     * @return the user, or empty to refuse: the handshake is answered {@code 401} and never upgraded
     */
    Optional<Principal> authenticate(AuthRequest request);
}
