package io.amdc.core.types;

/**
 * Base of the aggregate types: carries the size its keyspace table last accounted for it, so a
 * value that grows in place can be re-measured by difference without a per-entry side array in
 * every table (the int usually fits in the object's alignment padding: it costs nothing).
 */
public abstract class AccountedValue implements TypedValue {
    private int accountedBytes;

    @Override
    public final int accountedBytes() {
        return accountedBytes;
    }

    @Override
    public final void accountedBytes(int bytes) {
        this.accountedBytes = bytes;
    }
}
