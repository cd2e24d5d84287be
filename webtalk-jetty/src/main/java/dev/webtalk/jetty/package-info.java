/**
 * Runs a {@link dev.webtalk.WebTalk} engine on Jetty 12 (ee10): a Jakarta WebSocket endpoint for the
 * live protocol and JSON servlets for the REST API, installed onto a {@code ServletContextHandler} with
 * {@link dev.webtalk.jetty.WebTalkJetty#install}. The host supplies identity through an
 * {@link dev.webtalk.jetty.Authenticator}.
 */
package dev.webtalk.jetty;
