package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class ZSetFamily {
    private ZSetFamily() {
    }

    static void declare(CommandTable t) {
    }
}
