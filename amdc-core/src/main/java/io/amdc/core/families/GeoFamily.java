package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

final class GeoFamily {
    private GeoFamily() {
    }

    static void declare(CommandTable t) {
    }
}
