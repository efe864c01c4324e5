package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class ServerFamily {
    private ServerFamily() {
    }

    static void declare(CommandTable t) {
    }
}
