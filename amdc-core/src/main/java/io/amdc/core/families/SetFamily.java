package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class SetFamily {
    private SetFamily() {
    }

    static void declare(CommandTable t) {
    }
}
