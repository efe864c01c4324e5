package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

/** Turns EX/PX/EXAT/PXAT arguments into absolute unix-ms times with Redis's validation. */
final class Expiry {
    private Expiry() {
    }

    /**
     * @param unit EX, PX, EXAT or PXAT (any case)
     * @param cmd  the command name used in "invalid expire time in 'set' command"
     */
    static long absoluteMs(Client c, byte[] unit, byte[] value, String cmd) {
        long v = Bytes.toLong(value);
        String err = "ERR invalid expire time in '" + cmd + "' command";
        if (v <= 0) throw new CommandError(err);
        long now = c.engine().keyspace().now();
        try {
            if (Bytes.eqIgnoreCase(unit, "EX")) return Math.addExact(now, Math.multiplyExact(v, 1000L));
            if (Bytes.eqIgnoreCase(unit, "PX")) return Math.addExact(now, v);
            if (Bytes.eqIgnoreCase(unit, "EXAT")) return Math.multiplyExact(v, 1000L);
            return v; // PXAT
        } catch (ArithmeticException e) {
            throw new CommandError(err);
        }
    }
}
