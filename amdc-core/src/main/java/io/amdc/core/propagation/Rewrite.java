package io.amdc.core.propagation;

import io.amdc.core.session.Client;

/** Turns a completed command into the deterministic record of its effect. */
@FunctionalInterface
public interface Rewrite {
    /**
     * Called after the command body with its slot locks held, so the key's state is the command's
     * result. Returns the record, or null when the command changed nothing worth recording.
     */
    byte[][] effect(Client c, byte[][] argv);
}
