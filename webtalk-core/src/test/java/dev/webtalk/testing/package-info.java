/**
 * Reusable test doubles for WebTalk, published in the webtalk-core test-jar so that transport modules
 * and stores can test against the engine the same way core does: {@link dev.webtalk.testing.FakeConnection}
 * (an in-process transport connection that records frames and the close code),
 * {@link dev.webtalk.testing.TestClient} (speaks the text protocol over one),
 * {@link dev.webtalk.testing.MutableClock}, {@link dev.webtalk.testing.RecordingChatStore} and
 * {@link dev.webtalk.testing.Await}. None of them depends on a test framework.
 */
package dev.webtalk.testing;
