package dev.webtalk.store.postgres;

import dev.webtalk.spi.ChatStore;
import dev.webtalk.store.ChatStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store passes the contract, each test on a new schema of its own. */
class PostgresChatStoreTest extends ChatStoreContract {
    private TestSchemas schemas;
    private String schema;

    @Override
    protected ChatStore openStore() {
        schemas = new TestSchemas();
        schema = schemas.newSchema();
        return PostgresChatStore.open(schemas.options(schema));
    }

    @Override
    protected ChatStore reopenStore() {
        return PostgresChatStore.open(schemas.options(schema));
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (store() != null) {
            store().close(); // before the drop; the contract's own close after it is a no-op
        }
        if (schemas != null) {
            schemas.close();
        }
    }
}
