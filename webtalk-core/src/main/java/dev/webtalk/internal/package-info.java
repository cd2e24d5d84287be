/**
 * The engine's implementation. Not API: anything here may change in any release without notice.
 * Embedders and transports use {@code dev.webtalk} and {@code dev.webtalk.spi} only.
 */
package dev.webtalk.internal;
