package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

/** Assembles the one command table from every family's declarations. */
public final class Families {
    private Families() {
    }

    public static void declareAll(CommandTable t) {
        ConnectionFamily.declare(t);
        ClientFamily.declare(t);
        ServerFamily.declare(t);
        IntrospectionFamily.declare(t);
        KeyFamily.declare(t);
        StringFamily.declare(t);
        BitmapFamily.declare(t);
        ListFamily.declare(t);
        HashFamily.declare(t);
        SetFamily.declare(t);
        ZSetFamily.declare(t);
        StreamFamily.declare(t);
        HyperLogLogFamily.declare(t);
        GeoFamily.declare(t);
        MemoryFamily.declare(t);
        AofFamily.declare(t);
        TransactionFamily.declare(t);
        PubSubFamily.declare(t);
        ScriptingFamily.declare(t);
    }
}
