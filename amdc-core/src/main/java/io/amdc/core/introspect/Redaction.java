package io.amdc.core.introspect;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.util.Bytes;

/** Which arguments MONITOR and SLOWLOG must not show: passwords, as Redis hides them. */
public final class Redaction {
    static final byte[] REDACTED = Bytes.bytes("(redacted)");

    private Redaction() {
    }

    /** {@code argv} itself when nothing is secret, else a copy with secrets replaced by "(redacted)". */
    public static byte[][] apply(CommandSpec cmd, byte[][] argv) {
        switch (cmd.name) {
            case "auth" -> {
                byte[][] r = argv.clone();
                for (int i = 1; i < r.length; i++) r[i] = REDACTED;
                return r;
            }
            case "hello" -> {
                byte[][] r = argv;
                for (int i = 2; i < argv.length; i++) {
                    if (Bytes.eqIgnoreCase(argv[i], "AUTH") && i + 2 < argv.length) {
                        if (r == argv) r = argv.clone();
                        r[i + 1] = REDACTED;
                        r[i + 2] = REDACTED;
                        i += 2;
                    } else if (Bytes.eqIgnoreCase(argv[i], "SETNAME")) {
                        i++;
                    }
                }
                return r;
            }
            case "migrate" -> {
                byte[][] r = argv;
                for (int i = 6; i < argv.length; i++) {
                    if (Bytes.eqIgnoreCase(argv[i], "KEYS")) break;
                    int n = Bytes.eqIgnoreCase(argv[i], "AUTH") ? 1 : Bytes.eqIgnoreCase(argv[i], "AUTH2") ? 2 : 0;
                    for (int j = 1; j <= n && i + j < argv.length; j++) {
                        if (r == argv) r = argv.clone();
                        r[i + j] = REDACTED;
                    }
                    i += n;
                }
                return r;
            }
            case "config|set" -> {
                byte[][] r = argv;
                for (int i = 2; i + 1 < argv.length; i += 2) {
                    if (Bytes.eqIgnoreCase(argv[i], "requirepass") || Bytes.eqIgnoreCase(argv[i], "masterauth")) {
                        if (r == argv) r = argv.clone();
                        r[i + 1] = REDACTED;
                    }
                }
                return r;
            }
            default -> {
                return argv;
            }
        }
    }
}
