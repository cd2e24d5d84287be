package dev.webtalk.store.memory;

import dev.webtalk.spi.ChatStore;
import dev.webtalk.store.ChatStoreContract;

/** The in-memory store passes the contract; it keeps nothing across a close, so reopen tests are skipped. */
class InMemoryChatStoreTest extends ChatStoreContract {

    @Override
    protected ChatStore openStore() {
        return new InMemoryChatStore();
    }
}
