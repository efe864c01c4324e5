package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

/** CLIENT and its sub-commands. */
final class ClientFamily {
    private ClientFamily() {
    }

    static void declare(CommandTable t) {
        declareUnblock(t);
    }

    /**
     * CLIENT UNBLOCK, added by the lists/blocking work while CLIENT was still a stub: when CLIENT is
     * declared in full, keep only the {@code sub("unblock", ...)} line on the real container.
     */
    private static void declareUnblock(CommandTable t) {
        CommandSpec client = t.add("client", -2, "", "", null)
                .doc("A container for client connection commands.", "2.4.0", "connection", "Depends on subcommand.");
        client.sub("unblock", -3, "admin noscript loading stale", "@connection", ClientFamily::unblock)
                .doc("Unblocks a client blocked by a blocking command from a different connection.", "5.0.0", "connection", "O(log N) where N is the number of client connections");
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when the client was blocked and is now released. */
    static void unblock(Client c, byte[][] a) {
        long id = Bytes.toLong(a[2]);
        boolean error = false;
        if (a.length == 4) {
            if (Bytes.eqIgnoreCase(a[3], "ERROR")) error = true;
            else if (!Bytes.eqIgnoreCase(a[3], "TIMEOUT")) throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        } else if (a.length > 4) {
            throw CommandError.syntax();
        }
        c.out().integer(c.engine().blocking().unblock(id, error) ? 1 : 0);
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
