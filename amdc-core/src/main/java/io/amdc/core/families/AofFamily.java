package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

/** BGREWRITEAOF; the file itself is amdc-persist's (reached through Engine.aof()). */
final class AofFamily {
    private AofFamily() {
    }

    static void declare(CommandTable t) {
        t.add("bgrewriteaof", 1, "admin noscript no_async_loading", "@dangerous",
                (c, a) -> c.out().simple(c.engine().aof().rewrite()))
                .doc("Asynchronously rewrites the append-only file to disk.", "1.0.0", "server", "O(1)");
    }
}
