package dev.webtalk;

/**
 * A batch was refused because another writer of the same database took the seqs or stream positions
 * it was numbered with (several engines, on several nodes, writing one room). Nothing of the batch is
 * stored; the engine's writer reads the room's numbers again and retries, so a client never sees this.
 * A store shared by several engines throws it instead of a plain {@link StoreException} for exactly
 * that case.
 */
public class StoreConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreConflictException(String message) {
        super(message, null);
    }
}
