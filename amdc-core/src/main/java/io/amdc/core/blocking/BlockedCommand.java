package io.amdc.core.blocking;

import io.amdc.core.session.Client;

/**
 * What a blocking command (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK...) leaves behind while it waits:
 * how to retry once one of its keys is ready, and what to reply on timeout.
 */
public interface BlockedCommand {
    /** {@link #serve} replied: the client is unblocked. */
    int SERVED = -1;
    /** {@link #serve} found nothing it can use on this key (empty, other type): keep waiting. */
    int SKIP = -2;

    /**
     * Retries the command on {@code readyKey} of {@code c}'s database, with that key's slot lock held
     * by the calling thread (which may not be {@code c}'s own). Writes the reply to {@code c.out()}
     * only when it returns {@link #SERVED}; may throw a CommandError, which is sent as the reply.
     * Returns a slot number (>= 0) when it also needs that slot's lock and could not take it without
     * risking a deadlock: the registry then retries on the client's own thread with both slots locked
     * in ascending order.
     */
    int serve(Client c, byte[] readyKey);

    /** Writes the timeout reply (a null of the command's kind). */
    void timedOut(Client c);
}
