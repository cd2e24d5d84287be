/**
 * Reusable test doubles for WebTalk, published in the webtalk-core test-jar so that transport modules
 * and stores can test against the engine the same way core does: {@link dev.webtalk.testing.FakeConnection}
 * (an in-process transport connection that records frames and the close code),
 * {@link dev.webtalk.testing.TestClient} (speaks the text protocol over one),
 * {@link dev.webtalk.testing.MutableClock}, {@link dev.webtalk.testing.ForwardingChatStore} and
 * {@link dev.webtalk.testing.RecordingChatStore} (watch or hold a store's writes),
 * {@link dev.webtalk.testing.SharedChatStore} and {@link dev.webtalk.testing.BrokerHub} (several engines
 * in one JVM as the nodes of a cluster, with broker faults on demand) and {@link dev.webtalk.testing.Await}
 * (README.md shows a complete example). {@link dev.webtalk.testing.ReadmeBlocks} is for this project's own
 * tests that hold README.md's examples to the code they compile.
 * None of them depends on a test framework, except {@link dev.webtalk.testing.Services}, which skips (JUnit
 * assumptions) the tests whose PostgreSQL or Redis is not running.
 */
package dev.webtalk.testing;
