package io.amdc.core.types;

/**
 * Base of the aggregate types: carries the size its keyspace table last accounted for it, so a
 * value that grows in place can be re-measured by difference without a per-entry side array in
 * every table (the int usually fits in the object's alignment padding: it costs nothing).
 */
public abstract class AccountedValue implements TypedValue {
    /**
     * Array header under the launcher's compact object headers (8-byte mark word + 4-byte length);
     * objects are 8-byte aligned, so an array of n bytes occupies (12 + n) rounded up to 8.
     */
    static final int ARRAY_HEADER = 12;

    private int accountedBytes;

    @Override
    public final int accountedBytes() {
        return accountedBytes;
    }

    @Override
    public final void accountedBytes(int bytes) {
        this.accountedBytes = bytes;
    }

    /** Heap bytes of an array whose elements take {@code payload} bytes. */
    static long arrayBytes(long payload) {
        return (ARRAY_HEADER + payload + 7) & ~7L;
    }
}
