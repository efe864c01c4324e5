package io.amdc.core.introspect;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.Flag;
import io.amdc.core.session.Client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * MONITOR: clients that see every command executed, one status line per command. Lines reach
 * each monitor through {@link Client#sendAsync}, so they are written (batched) on the monitor's
 * own event loop. With no monitors the dispatcher pays one volatile read.
 */
public final class Monitors {
    private final CopyOnWriteArrayList<Client> monitors = new CopyOnWriteArrayList<>();
    private volatile boolean any;

    public boolean active() {
        return any;
    }

    public void add(Client c) {
        monitors.addIfAbsent(c);
        any = true;
    }

    public void remove(Client c) {
        if (monitors.remove(c)) any = !monitors.isEmpty();
    }

    public boolean isMonitor(Client c) {
        return any && monitors.contains(c);
    }

    /** Called after a command ran; admin and skip_monitor commands are not shown, as in Redis 7. */
    public void feed(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd.has(Flag.SKIP_MONITOR) || cmd.has(Flag.ADMIN)) return;
        byte[] line = format(Instant.now(), c.dbIndex(), c.addr(), Redaction.apply(cmd, argv));
        for (Client m : monitors) m.sendAsync(line);
    }

    static byte[] format(Instant now, int db, String addr, byte[][] argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64 + argv.length * 16);
        long usec = now.getNano() / 1000;
        String head = "+" + now.getEpochSecond() + "." + "000000".substring(Long.toString(usec).length()) + usec
                + " [" + db + " " + addr + "]";
        b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.write(' ');
            repr(b, a);
        }
        b.write('\r');
        b.write('\n');
        return b.toByteArray();
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** A quoted, escaped rendering: printable ASCII as is, common escapes, other bytes as \xhh. */
    static void repr(ByteArrayOutputStream b, byte[] s) {
        b.write('"');
        for (byte x : s) {
            switch (x) {
                case '\\', '"' -> {
                    b.write('\\');
                    b.write(x);
                }
                case '\n' -> esc(b, 'n');
                case '\r' -> esc(b, 'r');
                case '\t' -> esc(b, 't');
                case 7 -> esc(b, 'a');
                case 8 -> esc(b, 'b');
                default -> {
                    if (x >= 32 && x < 127) {
                        b.write(x);
                    } else {
                        b.write('\\');
                        b.write('x');
                        b.write(HEX[(x >> 4) & 15]);
                        b.write(HEX[x & 15]);
                    }
                }
            }
        }
        b.write('"');
    }

    private static void esc(ByteArrayOutputStream b, char c) {
        b.write('\\');
        b.write(c);
    }
}
