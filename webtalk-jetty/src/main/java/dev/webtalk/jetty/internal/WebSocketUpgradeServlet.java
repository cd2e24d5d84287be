package dev.webtalk.jetty.internal;

import dev.webtalk.Principal;
import dev.webtalk.WebTalk;
import dev.webtalk.jetty.JettyOptions;
import dev.webtalk.protocol.ErrorCode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WebSocket handshake: checks the Origin ({@code 403}), the open sockets from the caller's address
 * ({@code 429}), redeems the {@code ticket} of the URL or else asks the host's authenticator who the caller
 * is ({@code 401}), and only then upgrades,
 * handing the new socket an endpoint bound to that user. A refused handshake never becomes a WebSocket.
 */
public final class WebSocketUpgradeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient WebTalk engine;
    private final transient JettyOptions options;
    private final transient OriginPolicy origins;
    private final transient HttpJson json;
    private final transient AddressLimiter addresses;
    private final transient OpenConnections openConnections;
    private final transient WsTickets tickets;

    private WebSocketUpgradeServlet(WebTalk engine, JettyOptions options, OriginPolicy origins,
                                    AddressLimiter addresses, OpenConnections openConnections, WsTickets tickets) {
        this.engine = engine;
        this.options = options;
        this.origins = origins;
        this.json = new HttpJson(engine.codec());
        this.addresses = addresses;
        this.openConnections = openConnections;
        this.tickets = tickets;
    }

    /**
     * The servlet for one installation; it owns that installation's per-address connection count and
     * reports every socket it opens to {@code openConnections}; a handshake with {@code ?ticket=} is
     * authenticated by redeeming it in {@code tickets}.
     */
    public static WebSocketUpgradeServlet create(WebTalk engine, JettyOptions options, OriginPolicy origins,
                                                 OpenConnections openConnections, WsTickets tickets) {
        return new WebSocketUpgradeServlet(engine, options, origins, new AddressLimiter(options.maxConnectionsPerIp()),
                openConnections, tickets);
    }

    /**
     * Answers like the REST API whatever fails, a throwing authenticator included: a JSON {@code 500
     * internal} with a reference to the logged fault, never Jetty's HTML error page.
     */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            handshake(request, response);
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            json.internal(response, e, "WebSocket handshake " + request.getRequestURI());
        }
    }

    private void handshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            response.setHeader("Upgrade", "websocket");
            json.write(response, 426, engine.codec().errorBody(ErrorCode.INVALID,
                    "This endpoint speaks WebSocket only"));
            return;
        }
        if (!origins.permits(request)) {
            json.error(response, ErrorCode.FORBIDDEN, "Origin not allowed");
            return;
        }
        if (openConnections.isShutdown()) {
            json.error(response, ErrorCode.OVERLOADED, "The server is shutting down");
            return;
        }
        String address = request.getRemoteAddr();
        if (!addresses.hasRoom(address)) {
            json.error(response, ErrorCode.RATE_LIMITED, "Too many connections from this address");
            return;
        }
        // A ticket, when the URL carries one, is the whole credential: the host's authenticator vouched
        // for its holder when it was issued (POST <api>/ws-ticket).
        Optional<String> ticket = new ServletAuthRequest(request).queryParameter("ticket");
        Optional<Principal> principal = ticket.isPresent()
                ? tickets.redeem(ticket.get())
                : ServletAuthRequest.authenticate(options.authenticator(), request);
        if (principal.isEmpty()) {
            json.error(response, ErrorCode.UNAUTHORIZED, ticket.isPresent()
                    ? "Invalid, expired or already used ticket" : "Missing or invalid credentials");
            return;
        }
        ServerContainer container = (ServerContainer) request.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("no Jakarta WebSocket container; was WebTalkJetty.install used?");
        }
        ChatEndpoint endpoint = new ChatEndpoint(engine, principal.get(), options,
                ServletAuthRequest.remoteAddressOf(request), address, addresses, openConnections);
        try {
            container.upgradeHttpToWebSocket(request, response, endpointConfig(endpoint), Map.of());
        } catch (DeploymentException e) {
            throw new IOException("WebSocket upgrade failed", e);
        }
    }

    private ServerEndpointConfig endpointConfig(ChatEndpoint endpoint) {
        return ServerEndpointConfig.Builder.create(ChatEndpoint.class, options.webSocketPath())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed,
                                                                   List<Extension> requested) {
                        return options.permessageDeflate()
                                ? super.getNegotiatedExtensions(installed, requested)
                                : List.of();
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true; // checked above, with the request's own origin at hand
                    }
                })
                .build();
    }
}
