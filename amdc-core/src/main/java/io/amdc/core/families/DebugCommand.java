package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.types.TypedValue;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Log;
import io.amdc.resp.RespOut;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * DEBUG, gated by enable-debug-command. Sub-commands are parsed here rather than declared as
 * children because Redis declares DEBUG as one command (arity -2) with its own argument checks.
 */
final class DebugCommand {
    static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to "
            + "\"local\", you can run it from a local connection, otherwise you need to set this option in the "
            + "configuration file, and then restart the server.";
    private static final String ZERO_DIGEST = "0".repeat(40);

    private DebugCommand() {
    }

    static void declare(CommandTable t) {
        t.add("debug", -2, "admin noscript loading stale", "", DebugCommand::debug)
                .doc("A container for debugging commands.", "1.0.0", "server", "Depends on subcommand.");
    }

    static void debug(Client c, byte[][] argv) {
        checkAllowed(c);
        String sub = Bytes.str(argv[1]).toLowerCase(Locale.ROOT);
        int argc = argv.length;
        switch (sub) {
            case "help" -> help(c.out());
            case "reload" -> {
                String err = c.engine().persistence().debugReload();
                if (err != null) throw new CommandError(err);
                c.out().ok();
            }
            case "sleep" -> {
                if (argc != 3) throw unknown(argv);
                sleep(argv[2]);
                c.out().ok();
            }
            case "populate" -> {
                if (argc < 3 || argc > 5) throw unknown(argv);
                populate(c, argv);
            }
            case "object" -> {
                if (argc != 3) throw unknown(argv);
                object(c, argv[2]);
            }
            case "digest" -> {
                if (argc != 2) throw unknown(argv);
                c.out().simple(digestAll(c.engine().keyspace()));
            }
            case "digest-value" -> digestValues(c, argv);
            case "set-active-expire" -> {
                if (argc != 3) throw unknown(argv);
                c.engine().keyspace().activeExpire(atoi(argv[2]) != 0);
                c.out().ok();
            }
            case "protocol" -> {
                if (argc != 3) throw unknown(argv);
                protocol(c.out(), Bytes.str(argv[2]).toLowerCase(Locale.ROOT));
            }
            case "log" -> {
                if (argc != 3) throw unknown(argv);
                Log.warning("DEBUG LOG: " + Bytes.str(argv[2]));
                c.out().ok();
            }
            default -> throw unknown(argv);
        }
    }

    private static void checkAllowed(Client c) {
        String mode = c.engine().config().get("enable-debug-command");
        if (mode.equals("yes")) return;
        if (mode.equals("local") && isLocal(c.addr())) return;
        throw new CommandError(NOT_ALLOWED);
    }

    static boolean isLocal(String addr) {
        return addr.startsWith("127.") || addr.startsWith("0:0:0:0:0:0:0:1") || addr.startsWith("::1")
                || addr.startsWith("/"); // unix socket
    }

    private static CommandError unknown(byte[][] argv) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Bytes.str(argv[1])
                + "'. Try DEBUG HELP.");
    }

    /** Redis reads these numbers with C's strtod/atoi: garbage means 0, not an error. */
    private static void sleep(byte[] arg) {
        double secs;
        try {
            secs = Double.parseDouble(Bytes.str(arg).trim());
        } catch (NumberFormatException e) {
            secs = 0;
        }
        long nanos = (long) (secs * 1e9);
        if (nanos <= 0) return;
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long atoi(byte[] arg) {
        String s = Bytes.str(arg).trim();
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 18) i++;
        if (i == start) return 0;
        return Long.parseLong(s.substring(0, i));
    }

    private static long positive(byte[] arg) {
        long v = Bytes.toLong(arg, "ERR value is out of range, must be positive");
        if (v < 0) throw new CommandError("ERR value is out of range, must be positive");
        return v;
    }

    /** POPULATE count [prefix] [size]: creates prefix:N = value:N (zero padded or cut to size), skipping existing keys. */
    private static void populate(Client c, byte[][] argv) {
        long count = positive(argv[2]);
        String prefix = argv.length > 3 ? Bytes.str(argv[3]) : "key";
        long size = argv.length > 4 ? positive(argv[4]) : 0;
        if (size > Integer.MAX_VALUE - 8) throw new CommandError("ERR value is out of range, must be positive");
        Keyspace ks = c.engine().keyspace();
        Db db = c.db();
        for (long i = 0; i < count; i++) {
            byte[] key = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
            byte[] val = ("value:" + i).getBytes(StandardCharsets.UTF_8);
            if (size > 0) val = Arrays.copyOf(val, (int) size);
            int slot = Slots.slot(key);
            ks.lock(slot);
            try {
                if (!db.exists(key)) db.set(key, val);
            } finally {
                ks.unlock(slot);
            }
        }
        c.out().ok();
    }

    private static void object(Client c, byte[] key) {
        Keyspace ks = c.engine().keyspace();
        int slot = Slots.slot(key);
        String line;
        ks.lock(slot);
        try {
            Object v = c.db().peek(key);
            if (v == null) throw new CommandError(CommandError.NO_SUCH_KEY);
            int lru = c.db().accessWord(key);
            line = "Value at:0x" + Integer.toHexString(System.identityHashCode(v)) + " refcount:1 encoding:"
                    + encoding(v) + " serializedlength:" + serializedLength(v) + " lru:" + lru
                    + " lru_seconds_idle:" + AccessClock.idleSeconds(lru);
        } finally {
            ks.unlock(slot);
        }
        c.out().simple(line);
    }

    /** Redis's string encodings: int for canonical 64-bit integers, embstr up to 44 bytes, else raw. */
    static String encoding(Object v) {
        if (v instanceof TypedValue tv) return tv.encoding();
        byte[] b = (byte[]) v;
        if (b.length <= 20 && Bytes.isLong(b)) return "int";
        return b.length <= 44 ? "embstr" : "raw";
    }

    /** An estimate of the RDB size: exact for strings (length prefix + bytes, or packed integer). */
    private static long serializedLength(Object v) {
        if (v instanceof TypedValue tv) return tv.memoryUsage();
        byte[] b = (byte[]) v;
        if (b.length <= 11 && Bytes.isLong(b)) {
            long n = Bytes.toLong(b);
            if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) return 2;
            if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) return 3;
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return 5;
        }
        int prefix = b.length < 64 ? 1 : b.length < 16384 ? 2 : 5;
        return prefix + b.length;
    }

    /**
     * DEBUG DIGEST: XOR over every key of SHA1(db, key, value, expiry), so the result does not
     * depend on iteration order; forty zeros for an empty keyspace.
     */
    static String digestAll(Keyspace ks) {
        byte[] acc = new byte[20];
        boolean any = false;
        MessageDigest md = sha1();
        for (int d = 0; d < ks.databases(); d++) {
            Db db = ks.db(d);
            if (db.size() == 0) continue;
            for (int slot = 0; slot < Slots.COUNT; slot++) {
                if (db.table(slot) == null) continue;
                ks.lock(slot);
                try {
                    final int dbIndex = d;
                    boolean[] seen = {false};
                    db.forEachKey(slot, key -> {
                        Object v = db.peek(key);
                        if (v == null) return;
                        md.reset();
                        md.update(intBytes(dbIndex));
                        md.update(intBytes(key.length));
                        md.update(key);
                        digestValue(md, v);
                        md.update(longBytes(db.expireTime(key)));
                        byte[] h = md.digest();
                        for (int i = 0; i < 20; i++) acc[i] ^= h[i];
                        seen[0] = true;
                    });
                    any |= seen[0];
                } finally {
                    ks.unlock(slot);
                }
            }
        }
        return any ? hex(acc) : ZERO_DIGEST;
    }

    private static void digestValues(Client c, byte[][] argv) {
        Keyspace ks = c.engine().keyspace();
        MessageDigest md = sha1();
        String[] out = new String[argv.length - 2];
        for (int i = 2; i < argv.length; i++) {
            int slot = Slots.slot(argv[i]);
            ks.lock(slot);
            try {
                Object v = c.db().peek(argv[i]);
                if (v == null) {
                    out[i - 2] = ZERO_DIGEST;
                } else {
                    md.reset();
                    digestValue(md, v);
                    out[i - 2] = hex(md.digest());
                }
            } finally {
                ks.unlock(slot);
            }
        }
        c.out().array(out.length);
        for (String s : out) c.out().simple(s);
    }

    private static void digestValue(MessageDigest md, Object v) {
        if (v instanceof TypedValue tv) {
            tv.digest(md);
        } else {
            byte[] b = (byte[]) v;
            md.update((byte) 's');
            md.update(intBytes(b.length));
            md.update(b);
        }
    }

    private static void protocol(RespOut out, String type) {
        switch (type) {
            case "string" -> out.bulk("Hello World");
            case "integer" -> out.integer(12345);
            case "double" -> out.dbl(3.141);
            case "bignum" -> {
                String n = "1234567999999999999999999999999999999";
                if (out.resp3()) out.raw(("(" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
                else out.bulk(n);
            }
            case "null" -> out.nullBulk();
            case "array" -> {
                out.array(3);
                for (int i = 0; i < 3; i++) out.integer(i);
            }
            case "set" -> {
                out.set(3);
                for (int i = 0; i < 3; i++) out.integer(i);
            }
            case "map" -> {
                out.map(3);
                for (int i = 0; i < 3; i++) {
                    out.integer(i);
                    out.bool(i == 1);
                }
            }
            case "attrib" -> {
                if (out.resp3()) {
                    out.raw("|1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.bulk("key-popularity");
                    out.array(2);
                    out.bulk("key:123");
                    out.integer(90);
                }
                out.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!out.resp3()) throw new CommandError("ERR RESP2 is not supported by this command");
                out.push(2);
                out.bulk("server-cpu-usage");
                out.integer(42);
                out.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> out.verbatim("This is a verbatim\nstring");
            case "true" -> out.bool(true);
            case "false" -> out.bool(false);
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    private static void help(RespOut out) {
        ServerFamily.help(out, "DEBUG",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.");
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] intBytes(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return sb.toString();
    }
}
