package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

/** Assembles the command table from every family's declarations. */
public final class Families {
    private Families() {
    }

    public static void declareAll(CommandTable t) {
        ConnectionFamily.declare(t);
        ServerFamily.declare(t);
        KeyFamily.declare(t);
        StringFamily.declare(t);
        BitmapFamily.declare(t);
    }
}
