/** Implementation of the Jetty adapter; not API, may change in any release. */
package dev.webtalk.jetty.internal;
