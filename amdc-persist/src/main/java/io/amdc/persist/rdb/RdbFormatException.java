package io.amdc.persist.rdb;

import java.io.IOException;

/** A damaged or unsupported RDB file or payload; {@link #offset()} is where the reader stopped. */
public final class RdbFormatException extends IOException {
    private final long offset;
    private final String reason;

    public RdbFormatException(long offset, String reason) {
        super(reason + " at offset " + offset);
        this.offset = offset;
        this.reason = reason;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
