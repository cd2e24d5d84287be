/**
 * Micrometer meters for the engine ({@link dev.webtalk.metrics.micrometer.WebTalkMetrics}). Micrometer is an
 * optional dependency of webtalk-core: a host that registers these meters has {@code micrometer-core} on its
 * classpath already; no other package of webtalk-core refers to it.
 */
package dev.webtalk.metrics.micrometer;
