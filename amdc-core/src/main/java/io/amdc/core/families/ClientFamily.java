package io.amdc.core.families;

import io.amdc.core.command.CommandTable;

/** CLIENT and its sub-commands. */
final class ClientFamily {
    private ClientFamily() {
    }

    static void declare(CommandTable t) {
    }

    /** CLIENT SETNAME / HELLO SETNAME validation: no spaces, newlines or other special characters. */
    static String validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return "ERR Client names cannot contain spaces, newlines or special characters.";
            }
        }
        return null;
    }
}
