package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class BitmapFamily {
    private BitmapFamily() {
    }

    static void declare(CommandTable t) {
    }
}
