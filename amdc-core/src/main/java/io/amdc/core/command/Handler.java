package io.amdc.core.command;

import io.amdc.core.session.Client;

/** A command implementation. It reads {@code argv}, works on {@code c}'s database and replies on {@code c.out()}. */
@FunctionalInterface
public interface Handler {
    void run(Client c, byte[][] argv);
}
