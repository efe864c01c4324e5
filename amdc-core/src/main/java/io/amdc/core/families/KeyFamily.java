package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class KeyFamily {
    private KeyFamily() {
    }

    static void declare(CommandTable t) {
    }
}
