/** Ready-made {@link dev.webtalk.spi.MessageFilter}s. */
package dev.webtalk.filter;
