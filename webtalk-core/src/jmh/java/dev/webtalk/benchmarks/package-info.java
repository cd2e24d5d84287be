/**
 * JMH microbenchmarks (built only by the {@code jmh} Maven profile; see docs/PERFORMANCE.md). Not API
 * and never part of a released jar.
 */
package dev.webtalk.benchmarks;
