package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class StreamFamily {
    private StreamFamily() {
    }

    static void declare(CommandTable t) {
    }
}
