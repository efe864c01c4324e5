package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

/** String commands (Redis's t_string.c). Values are byte[]; integers are kept as their decimal text. */
public final class StringFamily {
    private StringFamily() {
    }

    static void declare(CommandTable t) {
        t.add("get", 2, "readonly fast", "@string", 1, 1, 1, StringFamily::get)
                .doc("Returns the string value of a key.", "1.0.0", "string", "O(1)");
        t.add("set", -3, "write denyoom", "@string", 1, 1, 1, StringFamily::set)
                .doc("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("incr", 2, "write denyoom fast", "@string", 1, 1, 1, (c, a) -> incrBy(c, a[1], 1))
                .doc("Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("decr", 2, "write denyoom fast", "@string", 1, 1, 1, (c, a) -> incrBy(c, a[1], -1))
                .doc("Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("incrby", 3, "write denyoom fast", "@string", 1, 1, 1, (c, a) -> incrBy(c, a[1], Bytes.toLong(a[2])))
                .doc("Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("decrby", 3, "write denyoom fast", "@string", 1, 1, 1, StringFamily::decrBy)
                .doc("Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("mset", -3, "write denyoom", "@string", 1, -1, 2, StringFamily::mset)
                .doc("Atomically creates or modifies the string values of one or more keys.", "1.0.1", "string", "O(N) where N is the number of keys to set.");
        t.add("mget", -2, "readonly fast", "@string", 1, -1, 1, StringFamily::mget)
                .doc("Atomically returns the string values of one or more keys.", "1.0.0", "string", "O(N) where N is the number of keys to retrieve.");
    }

    /** The string at {@code key}, null when absent; WRONGTYPE when the key holds another type. */
    static byte[] getString(Client c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) {
            c.engine().stats().keyspaceMisses.increment();
            return null;
        }
        if (!(v instanceof byte[] b)) throw CommandError.wrongType();
        c.engine().stats().keyspaceHits.increment();
        return b;
    }

    static void get(Client c, byte[][] argv) {
        c.out().bulk(getString(c, argv[1]));
    }

    static void mget(Client c, byte[][] argv) {
        Db db = c.db();
        c.out().array(argv.length - 1);
        for (int i = 1; i < argv.length; i++) {
            Object v = db.get(argv[i]);
            if (v instanceof byte[] b) {
                c.engine().stats().keyspaceHits.increment();
                c.out().bulk(b);
            } else {
                c.engine().stats().keyspaceMisses.increment();
                c.out().nullBulk();
            }
        }
    }

    static void mset(Client c, byte[][] argv) {
        if ((argv.length & 1) == 0) throw new CommandError("ERR wrong number of arguments for 'mset' command");
        Db db = c.db();
        for (int i = 1; i < argv.length; i += 2) db.set(argv[i], argv[i + 1]);
        c.out().ok();
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ts|KEEPTTL]. */
    static void set(Client c, byte[][] argv) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        long expireAt = 0;
        boolean expirySeen = false;
        for (int i = 3; i < argv.length; i++) {
            byte[] o = argv[i];
            boolean hasNext = i + 1 < argv.length;
            if (Bytes.eqIgnoreCase(o, "NX") && !xx) {
                nx = true;
            } else if (Bytes.eqIgnoreCase(o, "XX") && !nx) {
                xx = true;
            } else if (Bytes.eqIgnoreCase(o, "GET")) {
                get = true;
            } else if (Bytes.eqIgnoreCase(o, "KEEPTTL") && !expirySeen) {
                keepTtl = true;
                expirySeen = true;
            } else if (hasNext && !expirySeen && !keepTtl && isExpiryOption(o)) {
                expireAt = Expiry.absoluteMs(c, o, argv[++i], "set");
                expirySeen = true;
            } else {
                throw CommandError.syntax();
            }
        }
        Db db = c.db();
        byte[] key = argv[1];
        Object old = db.get(key);
        if (get && old != null && !(old instanceof byte[])) throw CommandError.wrongType();
        boolean doSet = !(nx && old != null) && !(xx && old == null);
        if (doSet) {
            if (keepTtl) db.update(key, argv[2]);
            else db.set(key, argv[2], expireAt);
        }
        if (get) {
            c.out().bulk((byte[]) old);
        } else if (doSet) {
            c.out().ok();
        } else {
            c.out().nullBulk();
        }
    }

    static boolean isExpiryOption(byte[] o) {
        return Bytes.eqIgnoreCase(o, "EX") || Bytes.eqIgnoreCase(o, "PX")
                || Bytes.eqIgnoreCase(o, "EXAT") || Bytes.eqIgnoreCase(o, "PXAT");
    }

    static void decrBy(Client c, byte[][] argv) {
        long by = Bytes.toLong(argv[2]);
        if (by == Long.MIN_VALUE) throw new CommandError("ERR decrement would overflow");
        incrBy(c, argv[1], -by);
    }

    static void incrBy(Client c, byte[] key, long by) {
        Db db = c.db();
        Object v = db.get(key);
        long cur = 0;
        if (v != null) {
            if (!(v instanceof byte[] b)) throw CommandError.wrongType();
            cur = Bytes.toLong(b);
        }
        long next;
        try {
            next = Math.addExact(cur, by);
        } catch (ArithmeticException e) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        db.update(key, Bytes.fromLong(next));
        c.out().integer(next);
    }
}
