package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.SlotTable;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.types.TypedValue;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generic key commands (Redis's db.c, expire.c and object.c): existence, type, renaming,
 * moving and copying between databases, keyspace iteration, OBJECT introspection and TTLs.
 */
final class KeyFamily {
    private static final String SAME_OBJECT = "ERR source and destination objects are the same";
    private static final String DB_RANGE = "ERR DB index is out of range";
    private static final String TUNING_NOTE = " Please note that when switching between policies at runtime LRU "
            + "and LFU data will take some time to adjust.";
    /** Redis shares the integer objects 0..9999, reporting them with this reference count. */
    private static final int SHARED_INTEGERS = 10_000;
    private static final String[] OBJECT_HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    private KeyFamily() {
    }

    static void declare(CommandTable t) {
        t.add("del", -2, "write", "@keyspace", 1, -1, 1, KeyFamily::del)
                .doc("Deletes one or more keys.", "1.0.0", "generic",
                        "O(N) where N is the number of keys that will be removed.");
        t.add("unlink", -2, "write fast", "@keyspace", 1, -1, 1, KeyFamily::del)
                .doc("Asynchronously deletes one or more keys.", "4.0.0", "generic",
                        "O(1) for each key removed regardless of its size.");
        t.add("exists", -2, "readonly fast", "@keyspace", 1, -1, 1, KeyFamily::exists)
                .doc("Determines whether one or more keys exist.", "1.0.0", "generic",
                        "O(N) where N is the number of keys to check.");
        t.add("type", 2, "readonly fast", "@keyspace", 1, 1, 1, KeyFamily::type)
                .doc("Determines the type of value stored at a key.", "1.0.0", "generic", "O(1)");
        t.add("touch", -2, "readonly fast", "@keyspace", 1, -1, 1, KeyFamily::touch)
                .doc("Returns the number of existing keys out of those specified after updating the time they "
                        + "were last accessed.", "3.2.1", "generic", "O(N) where N is the number of keys that will be touched.");
        t.add("rename", 3, "write", "@keyspace", 1, 2, 1, (c, a) -> rename(c, a, false))
                .doc("Renames a key and overwrites the destination.", "1.0.0", "generic", "O(1)");
        t.add("renamenx", 3, "write fast", "@keyspace", 1, 2, 1, (c, a) -> rename(c, a, true))
                .doc("Renames a key only when the target key name doesn't exist.", "1.0.0", "generic", "O(1)");
        t.add("move", 3, "write fast", "@keyspace", 1, 1, 1, KeyFamily::move)
                .doc("Moves a key to another database.", "1.0.0", "generic", "O(1)");
        t.add("copy", -3, "write denyoom", "@keyspace", 1, 2, 1, KeyFamily::copy)
                .doc("Copies the value of a key to a new key.", "6.2.0", "generic",
                        "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.");
        t.add("swapdb", 3, "write fast", "@keyspace @dangerous", KeyFamily::swapdb)
                .doc("Swaps two Redis databases.", "4.0.0", "server",
                        "O(N) where N is the count of clients watching or blocking on keys from both databases.");
        t.add("keys", 2, "readonly", "@keyspace @dangerous", KeyFamily::keys)
                .doc("Returns all key names that match a pattern.", "1.0.0", "generic",
                        "O(N) with N being the number of keys in the database, under the assumption that the key names "
                                + "in the database and the given pattern have limited length.");
        t.add("scan", -2, "readonly", "@keyspace", KeyFamily::scan)
                .doc("Iterates over the key names in the database.", "2.8.0", "generic",
                        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                                + "cursor to return back to 0. N is the number of elements inside the collection.");
        t.add("randomkey", 1, "readonly", "@keyspace", KeyFamily::randomKey)
                .doc("Returns a random key name from the database.", "1.0.0", "generic", "O(1)");

        var object = t.add("object", -2, "", "", null)
                .doc("A container for object introspection commands.", "2.2.3", "generic", "Depends on subcommand.");
        object.sub("encoding", 3, "readonly", "@keyspace", 2, 2, 1, KeyFamily::objectEncoding)
                .doc("Returns the internal encoding of a Redis object.", "2.2.3", "generic", "O(1)");
        object.sub("freq", 3, "readonly", "@keyspace", 2, 2, 1, KeyFamily::objectFreq)
                .doc("Returns the logarithmic access frequency counter of a Redis object.", "4.0.0", "generic", "O(1)");
        object.sub("idletime", 3, "readonly", "@keyspace", 2, 2, 1, KeyFamily::objectIdleTime)
                .doc("Returns the time since the last access to a Redis object.", "2.2.3", "generic", "O(1)");
        object.sub("refcount", 3, "readonly", "@keyspace", 2, 2, 1, KeyFamily::objectRefCount)
                .doc("Returns the reference count of a value of a key.", "2.2.3", "generic", "O(1)");
        object.sub("help", 2, "loading stale", "@keyspace", KeyFamily::objectHelp)
                .doc("Returns helpful text about the different subcommands.", "6.2.0", "generic", "O(1)");

        t.add("expire", -3, "write fast", "@keyspace", 1, 1, 1, (c, a) -> expire(c, a, 1000, true))
                .doc("Sets the expiration time of a key in seconds.", "1.0.0", "generic", "O(1)");
        t.add("pexpire", -3, "write fast", "@keyspace", 1, 1, 1, (c, a) -> expire(c, a, 1, true))
                .doc("Sets the expiration time of a key in milliseconds.", "2.6.0", "generic", "O(1)");
        t.add("expireat", -3, "write fast", "@keyspace", 1, 1, 1, (c, a) -> expire(c, a, 1000, false))
                .doc("Sets the expiration time of a key to a Unix timestamp.", "1.2.0", "generic", "O(1)");
        t.add("pexpireat", -3, "write fast", "@keyspace", 1, 1, 1, (c, a) -> expire(c, a, 1, false))
                .doc("Sets the expiration time of a key to a Unix milliseconds timestamp.", "2.6.0", "generic", "O(1)");
        t.add("ttl", 2, "readonly fast", "@keyspace", 1, 1, 1, (c, a) -> ttl(c, a, false))
                .doc("Returns the expiration time in seconds of a key.", "1.0.0", "generic", "O(1)");
        t.add("pttl", 2, "readonly fast", "@keyspace", 1, 1, 1, (c, a) -> ttl(c, a, true))
                .doc("Returns the expiration time in milliseconds of a key.", "2.6.0", "generic", "O(1)");
        t.add("expiretime", 2, "readonly fast", "@keyspace", 1, 1, 1, (c, a) -> expireTime(c, a, false))
                .doc("Returns the expiration time of a key as a Unix timestamp.", "7.0.0", "generic", "O(1)");
        t.add("pexpiretime", 2, "readonly fast", "@keyspace", 1, 1, 1, (c, a) -> expireTime(c, a, true))
                .doc("Returns the expiration time of a key as a Unix milliseconds timestamp.", "7.0.0", "generic", "O(1)");
        t.add("persist", 2, "write fast", "@keyspace", 1, 1, 1, KeyFamily::persist)
                .doc("Removes the expiration time of a key.", "2.2.0", "generic", "O(1)");
    }

    /** Counts a read lookup in INFO's keyspace_hits / keyspace_misses, as Redis's read lookups do. */
    private static void notify(Client c, int cls, String event, byte[] key) {
        c.engine().notifications().notify(c, cls, event, key);
    }

    /** A read lookup that does not go through Db.get (peeks, TTL reads) reports its miss itself. */
    private static void keyMiss(Client c, byte[] key) {
        notify(c, Notifications.KEY_MISS, "keymiss", key);
    }

    private static void countLookup(Client c, boolean hit) {
        if (hit) c.engine().stats().keyspaceHits.increment();
        else c.engine().stats().keyspaceMisses.increment();
    }

    // ---------------------------------------------------------------- existence, type, rename

    static void del(Client c, byte[][] argv) {
        Db db = c.db();
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            if (db.delete(argv[i])) {
                n++;
                notify(c, Notifications.GENERIC, "del", argv[i]);
            }
        }
        c.out().integer(n);
    }

    /** EXISTS counts a key once per mention, so "EXISTS k k" answers 2. */
    static void exists(Client c, byte[][] argv) {
        Db db = c.db();
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            boolean found = db.exists(argv[i]);
            countLookup(c, found);
            if (!found) keyMiss(c, argv[i]);
            if (found) n++;
        }
        c.out().integer(n);
    }

    static void touch(Client c, byte[][] argv) {
        Db db = c.db();
        long n = 0;
        for (int i = 1; i < argv.length; i++) {
            boolean found = db.get(argv[i]) != null;
            countLookup(c, found);
            if (found) n++;
        }
        c.out().integer(n);
    }

    static String typeName(Object v) {
        if (v == null) return "none";
        return v instanceof TypedValue tv ? tv.typeName() : "string";
    }

    static void type(Client c, byte[][] argv) {
        Object v = c.db().peek(argv[1]);
        countLookup(c, v != null);
        if (v == null) keyMiss(c, argv[1]);
        c.out().simple(typeName(v));
    }

    static void rename(Client c, byte[][] argv, boolean nx) {
        Db db = c.db();
        byte[] src = argv[1];
        byte[] dst = argv[2];
        Object v = db.peek(src);
        if (v == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        if (Arrays.equals(src, dst)) {
            if (nx) c.out().integer(0);
            else c.out().ok();
            return;
        }
        long expireAt = db.expireTime(src);
        if (nx && db.exists(dst)) {
            c.out().integer(0);
            return;
        }
        int access = db.accessWord(src);
        // Redis deletes the target and adds the key anew, so 'new' fires even over an existing target.
        db.delete(dst);
        db.delete(src);
        db.set(dst, v, expireAt);
        db.accessWord(dst, access);
        notify(c, Notifications.GENERIC, "rename_from", src);
        notify(c, Notifications.GENERIC, "rename_to", dst);
        c.engine().blocking().signal(c.dbIndex(), dst);
        if (nx) c.out().integer(1);
        else c.out().ok();
    }

    // ---------------------------------------------------------------- across databases

    /**
     * A database index argument: not an integer is Redis's integer error, out of range its range
     * error. The key's slot lock is shared by every database, so the dispatcher already holds it.
     */
    private static Db otherDb(Client c, long idx) {
        Keyspace ks = c.engine().keyspace();
        if (idx < 0 || idx >= ks.databases()) throw new CommandError(DB_RANGE);
        return ks.db((int) idx);
    }

    static void move(Client c, byte[][] argv) {
        long idx = Bytes.toLong(argv[2]);
        // MOVE reads an int, COPY a long: only MOVE has this range error.
        if (idx < Integer.MIN_VALUE || idx > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        Db dst = otherDb(c, idx);
        Db src = c.db();
        if (dst == src) throw new CommandError(SAME_OBJECT);
        byte[] key = argv[1];
        Object v = src.peek(key);
        if (v == null || dst.exists(key)) {
            c.out().integer(0);
            return;
        }
        long expireAt = src.expireTime(key);
        int access = src.accessWord(key);
        dst.set(key, v, expireAt);
        dst.accessWord(key, access);
        src.delete(key);
        Notifications n = c.engine().notifications();
        n.notify(c, Notifications.GENERIC, "move_from", key);
        n.notify(dst.index(), Notifications.GENERIC, "move_to", key);
        c.engine().blocking().signal(dst.index(), key);
        c.out().integer(1);
    }

    /** COPY source destination [DB destination-db] [REPLACE]. */
    static void copy(Client c, byte[][] argv) {
        Db src = c.db();
        Db dst = src;
        boolean replace = false;
        for (int i = 3; i < argv.length; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "REPLACE")) {
                replace = true;
            } else if (Bytes.eqIgnoreCase(argv[i], "DB") && i + 1 < argv.length) {
                dst = otherDb(c, Bytes.toLong(argv[++i]));
            } else {
                throw CommandError.syntax();
            }
        }
        byte[] from = argv[1];
        byte[] to = argv[2];
        if (src == dst && Arrays.equals(from, to)) throw new CommandError(SAME_OBJECT);
        Object v = src.get(from);
        countLookup(c, v != null);
        if (v == null) {
            c.out().integer(0);
            return;
        }
        if (dst.exists(to)) {
            if (!replace) {
                c.out().integer(0);
                return;
            }
            dst.delete(to);
        }
        // byte[] strings are copied too: a family may edit one in place (SETRANGE, APPEND).
        Object copy = v instanceof TypedValue tv ? tv.copy() : ((byte[]) v).clone();
        dst.set(to, copy, src.expireTime(from));
        c.engine().notifications().notify(dst.index(), Notifications.GENERIC, "copy_to", to);
        c.engine().blocking().signal(dst.index(), to);
        c.out().integer(1);
    }

    static void swapdb(Client c, byte[][] argv) {
        int a = dbIndexArg(argv[1], "ERR invalid first DB index");
        int b = dbIndexArg(argv[2], "ERR invalid second DB index");
        Keyspace ks = c.engine().keyspace();
        if (a < 0 || b < 0 || a >= ks.databases() || b >= ks.databases()) throw new CommandError(DB_RANGE);
        // Clients keep their Db objects: swapping exchanges the contents behind them, as Redis does.
        if (a != b) {
            ks.lockAll();
            try {
                ks.swap(a, b);
                c.propagate(argv); // while every lock is held: no later write can precede it on the stream
            } finally {
                ks.unlockAll();
            }
            // Keys waited on in either database may exist now: their waiters are served after us.
            c.engine().blocking().signalDb(a);
            c.engine().blocking().signalDb(b);
        }
        c.out().ok();
    }

    private static int dbIndexArg(byte[] arg, String error) {
        long v = Bytes.toLong(arg, error);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new CommandError(error);
        return (int) v;
    }

    // ---------------------------------------------------------------- keyspace iteration

    static void keys(Client c, byte[][] argv) {
        byte[] pattern = argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Db db = c.db();
        Keyspace ks = c.engine().keyspace();
        List<byte[]> out = new ArrayList<>();
        // One slot lock at a time: KEYS never stops the whole server, and every key present for the
        // whole call is reported (as with SCAN below).
        for (int slot = 0; slot < Slots.COUNT; slot++) {
            if (db.table(slot) == null) continue;
            ks.lock(slot);
            try {
                collect(db.table(slot), ks.now(), all ? null : pattern, null, out);
            } finally {
                ks.unlock(slot);
            }
        }
        writeKeys(c.out(), out);
    }

    /**
     * Appends the live keys of one slot table that match {@code pattern} (null: all) and whose
     * type is {@code type} (null: any). Caller holds the slot's lock.
     */
    private static void collect(SlotTable t, long now, byte[] pattern, String type, List<byte[]> out) {
        if (t == null) return;
        for (int i = 0, n = t.capacity(); i < n; i++) {
            if (!t.used(i)) continue;
            long exp = t.expireAt(i);
            if (exp != 0 && exp <= now) continue;
            byte[] k = t.keyAt(i);
            if (pattern != null && !Glob.match(pattern, k, false)) continue;
            if (type != null && !type.equalsIgnoreCase(typeName(t.valueAt(i)))) continue;
            out.add(k);
        }
    }

    private static void writeKeys(RespOut o, List<byte[]> keys) {
        o.array(keys.size());
        for (byte[] k : keys) o.bulk(k);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type].
     *
     * <p>The cursor is the index of the next hash slot to visit, and 0 once every slot has been
     * visited. Each call returns whole slots, each read entirely under its slot lock, until at least
     * COUNT keys (counted before MATCH/TYPE filtering, like Redis) have been gathered. A key present
     * from the first call to the last lives in one slot all along and that slot is visited exactly
     * once, so it is returned exactly once: Redis's guarantee. Keys added or removed meanwhile may or
     * may not appear. Slots never used in this database hold no table and cost nothing to skip.
     */
    static void scan(Client c, byte[][] argv) {
        long cursor = parseCursor(argv[1]);
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < argv.length; i++) {
            boolean hasValue = i + 1 < argv.length;
            if (Bytes.eqIgnoreCase(argv[i], "COUNT") && hasValue) {
                count = Bytes.toLong(argv[++i]);
                if (count < 1) throw CommandError.syntax();
            } else if (Bytes.eqIgnoreCase(argv[i], "MATCH") && hasValue) {
                pattern = argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else if (Bytes.eqIgnoreCase(argv[i], "TYPE") && hasValue) {
                type = Bytes.str(argv[++i]);
            } else {
                throw CommandError.syntax();
            }
        }
        Db db = c.db();
        Keyspace ks = c.engine().keyspace();
        List<byte[]> out = new ArrayList<>();
        // Cursors beyond the last slot (including the huge values a negative number wraps to) are done.
        int slot = cursor < 0 || cursor >= Slots.COUNT ? Slots.COUNT : (int) cursor;
        long gathered = 0;
        while (slot < Slots.COUNT && gathered < count) {
            if (db.table(slot) != null) {
                ks.lock(slot);
                try {
                    SlotTable t = db.table(slot);
                    if (t != null) {
                        gathered += t.size();
                        collect(t, ks.now(), pattern, type, out);
                    }
                } finally {
                    ks.unlock(slot);
                }
            }
            slot++;
        }
        RespOut o = c.out();
        o.array(2);
        o.bulk(Bytes.fromLong(slot == Slots.COUNT ? 0 : slot));
        writeKeys(o, out);
    }

    /**
     * Parses a cursor as Redis does (strtoul): optional sign, decimal digits; "" is 0 and a negative
     * value wraps around to a huge one.
     */
    private static long parseCursor(byte[] b) {
        int i = 0;
        boolean neg = false;
        if (b.length > 0 && (b[0] == '-' || b[0] == '+')) {
            neg = b[0] == '-';
            i = 1;
            if (b.length == 1) throw new CommandError("ERR invalid cursor");
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new CommandError("ERR invalid cursor");
            // Unsigned 64-bit overflow: strtoul reports ERANGE.
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return neg ? (v == 0 ? 0 : -1) : v;
    }

    /**
     * A random live key: a random non-empty slot (searched from a random start), then a random
     * entry of it. Keys in sparse slots are favoured a little, which RANDOMKEY's contract allows.
     */
    static void randomKey(Client c, byte[][] argv) {
        Db db = c.db();
        Keyspace ks = c.engine().keyspace();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int start = rnd.nextInt(Slots.COUNT);
        for (int n = 0; n < Slots.COUNT; n++) {
            int slot = (start + n) & (Slots.COUNT - 1);
            if (db.table(slot) == null) continue;
            byte[] key;
            ks.lock(slot);
            try {
                key = randomEntry(db.table(slot), ks.now(), rnd);
            } finally {
                ks.unlock(slot);
            }
            if (key != null) {
                c.out().bulk(key);
                return;
            }
        }
        c.out().nullBulk();
    }

    private static byte[] randomEntry(SlotTable t, long now, ThreadLocalRandom rnd) {
        if (t == null || t.size() == 0) return null;
        int cap = t.capacity();
        int from = rnd.nextInt(cap);
        for (int j = 0; j < cap; j++) {
            int i = (from + j) % cap;
            if (!t.used(i)) continue;
            long exp = t.expireAt(i);
            if (exp == 0 || exp > now) return t.keyAt(i);
        }
        return null;
    }

    // ---------------------------------------------------------------- OBJECT

    /** OBJECT sub-commands answer nil for a missing key before any other check. */
    private static Object objectLookup(Client c, byte[] key) {
        Object v = c.db().peek(key);
        countLookup(c, v != null);
        if (v == null) c.out().nullBulk();
        return v;
    }

    static void objectEncoding(Client c, byte[][] argv) {
        Object v = objectLookup(c, argv[2]);
        if (v != null) c.out().bulk(encoding(v));
    }

    /** Redis's string encodings: "int" for canonical 64-bit integers, "embstr" up to 44 bytes, else "raw". */
    static String encoding(Object v) {
        if (v instanceof TypedValue tv) return tv.encoding();
        byte[] s = (byte[]) v;
        if (s.length <= 20 && Bytes.isLong(s)) return "int";
        return s.length <= 44 ? "embstr" : "raw";
    }

    private static boolean lfuPolicy(Config cfg) {
        return cfg.get("maxmemory-policy").endsWith("-lfu");
    }

    static void objectFreq(Client c, byte[][] argv) {
        byte[] key = argv[2];
        if (objectLookup(c, key) == null) return;
        Config cfg = c.engine().config();
        if (!lfuPolicy(cfg)) {
            c.out().error("ERR An LFU maxmemory policy is not selected, access frequency not tracked." + TUNING_NOTE);
            return;
        }
        c.out().integer(AccessClock.lfuDecayed(c.db().accessWord(key), cfg.getLong("lfu-decay-time")));
    }

    static void objectIdleTime(Client c, byte[][] argv) {
        byte[] key = argv[2];
        if (objectLookup(c, key) == null) return;
        if (lfuPolicy(c.engine().config())) {
            c.out().error("ERR An LFU maxmemory policy is selected, idle time not tracked." + TUNING_NOTE);
            return;
        }
        c.out().integer(AccessClock.idleSeconds(c.db().accessWord(key)));
    }

    /**
     * Values are never shared here, so the count is 1, except that Redis reports its shared small
     * integers (used unless an LRU/LFU maxmemory policy is active) as referenced INT_MAX times.
     */
    static void objectRefCount(Client c, byte[][] argv) {
        Object v = objectLookup(c, argv[2]);
        if (v == null) return;
        c.out().integer(sharedInteger(c, v) ? Integer.MAX_VALUE : 1);
    }

    private static boolean sharedInteger(Client c, Object v) {
        if (!(v instanceof byte[] s) || s.length > 4 || !Bytes.isLong(s)) return false;
        long n = Bytes.toLong(s);
        if (n < 0 || n >= SHARED_INTEGERS) return false;
        Config cfg = c.engine().config();
        String policy = cfg.get("maxmemory-policy");
        return cfg.getLong("maxmemory") == 0 || !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
    }

    static void objectHelp(Client c, byte[][] argv) {
        c.out().array(OBJECT_HELP.length);
        for (String line : OBJECT_HELP) c.out().simple(line);
    }

    // ---------------------------------------------------------------- expiry

    /**
     * EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT key time [NX|XX|GT|LT]. Options are validated before
     * the time (as Redis does); a time already past deletes the key. A key without TTL counts as
     * an infinite TTL for GT/LT.
     */
    static void expire(Client c, byte[][] argv, long unitMs, boolean relative) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < argv.length; i++) {
            byte[] o = argv[i];
            if (Bytes.eqIgnoreCase(o, "NX")) nx = true;
            else if (Bytes.eqIgnoreCase(o, "XX")) xx = true;
            else if (Bytes.eqIgnoreCase(o, "GT")) gt = true;
            else if (Bytes.eqIgnoreCase(o, "LT")) lt = true;
            else throw new CommandError("ERR Unsupported option " + Bytes.str(o));
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) throw new CommandError("ERR GT and LT options at the same time are not compatible");
        long when = Bytes.toLong(argv[2]);
        if (unitMs == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw invalidExpireTime(argv);
            when *= 1000;
        }
        long now = c.engine().keyspace().now();
        if (relative) {
            if (when > Long.MAX_VALUE - now) throw invalidExpireTime(argv);
            when += now;
        }
        Db db = c.db();
        byte[] key = argv[1];
        long current = db.expireTime(key);
        if (current == -2) {
            c.out().integer(0);
            return;
        }
        boolean hasTtl = current != 0;
        if ((nx && hasTtl) || (xx && !hasTtl) || (gt && (!hasTtl || when <= current)) || (lt && hasTtl && when >= current)) {
            c.out().integer(0);
            return;
        }
        if (when <= now) {
            db.delete(key);
            notify(c, Notifications.GENERIC, "del", key);
        } else {
            db.expireTime(key, when);
            notify(c, Notifications.GENERIC, "expire", key);
        }
        c.out().integer(1);
    }

    private static CommandError invalidExpireTime(byte[][] argv) {
        return new CommandError("ERR invalid expire time in '" + Bytes.str(argv[0]).toLowerCase() + "' command");
    }

    /**
     * The key's absolute expiry for TTL/EXPIRETIME and friends; when it has none (or is missing)
     * replies -1 (-2) itself and returns 0.
     */
    private static long expiryOrReply(Client c, byte[][] argv) {
        long at = c.db().expireTime(argv[1]);
        countLookup(c, at != -2);
        if (at == -2) keyMiss(c, argv[1]);
        if (at == -2 || at == 0) {
            c.out().integer(at == 0 ? -1 : -2);
            return 0;
        }
        return at;
    }

    /** TTL rounds to the nearest second as Redis does: (ms + 500) / 1000. */
    static void ttl(Client c, byte[][] argv, boolean ms) {
        long at = expiryOrReply(c, argv);
        if (at <= 0) return;
        long left = Math.max(0, at - c.engine().keyspace().now());
        c.out().integer(ms ? left : (left + 500) / 1000);
    }

    static void expireTime(Client c, byte[][] argv, boolean ms) {
        long at = expiryOrReply(c, argv);
        if (at <= 0) return;
        c.out().integer(ms ? at : (at + 500) / 1000); // rounded, as Redis does
    }

    static void persist(Client c, byte[][] argv) {
        Db db = c.db();
        byte[] key = argv[1];
        long at = db.expireTime(key);
        boolean had = at != 0 && at != -2;
        if (had) {
            db.expireTime(key, 0);
            notify(c, Notifications.GENERIC, "persist", key);
        }
        c.out().integer(had ? 1 : 0);
    }
}
