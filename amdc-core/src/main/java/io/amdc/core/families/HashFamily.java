package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class HashFamily {
    private HashFamily() {
    }

    static void declare(CommandTable t) {
    }
}
