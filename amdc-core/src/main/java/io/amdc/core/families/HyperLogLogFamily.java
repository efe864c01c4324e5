package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class HyperLogLogFamily {
    private HyperLogLogFamily() {
    }

    static void declare(CommandTable t) {
    }
}
