package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class ListFamily {
    private ListFamily() {
    }

    static void declare(CommandTable t) {
    }
}
