package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.LongDouble;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** String commands (Redis's t_string.c). Values are byte[]; integers are kept as their decimal text. */
public final class StringFamily {
    private StringFamily() {
    }

    private static void notify(Client c, int cls, String event, byte[] key) {
        c.engine().notifications().notify(c, cls, event, key);
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
        t.add("getex", -2, "write fast", "@string", 1, 1, 1, StringFamily::getex)
                .doc("Returns the string value of a key after setting its expiration time.", "6.2.0", "string", "O(1)");
        t.add("getdel", 2, "write fast", "@string", 1, 1, 1, StringFamily::getdel)
                .doc("Returns the string value of a key after deleting the key.", "6.2.0", "string", "O(1)");
        t.add("getset", 3, "write denyoom fast", "@string", 1, 1, 1, StringFamily::getset)
                .doc("Returns the previous string value of a key after setting it to a new value.", "1.0.0", "string", "O(1)");
        t.add("setnx", 3, "write denyoom fast", "@string", 1, 1, 1, StringFamily::setnx)
                .doc("Set the string value of a key only when the key doesn't exist.", "1.0.0", "string", "O(1)");
        t.add("setex", 4, "write denyoom", "@string", 1, 1, 1, (c, a) -> setWithTtl(c, a, "EX", "setex"))
                .doc("Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "2.0.0", "string", "O(1)");
        t.add("psetex", 4, "write denyoom", "@string", 1, 1, 1, (c, a) -> setWithTtl(c, a, "PX", "psetex"))
                .doc("Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "2.6.0", "string", "O(1)");
        t.add("msetnx", -3, "write denyoom", "@string", 1, -1, 2, StringFamily::msetnx)
                .doc("Atomically modifies the string values of one or more keys only when all keys don't exist.", "1.0.1", "string", "O(N) where N is the number of keys to set.");
        t.add("append", 3, "write denyoom fast", "@string", 1, 1, 1, StringFamily::append)
                .doc("Appends a string to the value of a key. Creates the key if it doesn't exist.", "2.0.0", "string", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.");
        t.add("strlen", 2, "readonly fast", "@string", 1, 1, 1, StringFamily::strlen)
                .doc("Returns the length of a string value.", "2.2.0", "string", "O(1)");
        t.add("incrbyfloat", 3, "write denyoom fast", "@string", 1, 1, 1, StringFamily::incrByFloat)
                .doc("Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "2.6.0", "string", "O(1)");
        t.add("getrange", 4, "readonly", "@string", 1, 1, 1, StringFamily::getrange)
                .doc("Returns a substring of the string stored at a key.", "2.4.0", "string", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.");
        t.add("substr", 4, "readonly", "@string", 1, 1, 1, StringFamily::getrange)
                .doc("Returns a substring from a string value.", "1.0.0", "string", "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.");
        t.add("setrange", 4, "write denyoom", "@string", 1, 1, 1, StringFamily::setrange)
                .doc("Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "2.2.0", "string", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.");
        t.add("lcs", -3, "readonly", "@string", 1, 2, 1, StringFamily::lcs)
                .doc("Finds the longest common substring.", "7.0.0", "string", "O(N*M) where N and M are the lengths of s1 and s2, respectively");
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
        switch (c.db().writeString(argv[1], c.out())) {
            case Db.STRING_WRITTEN -> c.engine().stats().keyspaceHits.increment();
            case Db.ABSENT -> {
                c.engine().stats().keyspaceMisses.increment();
                c.out().nullBulk();
            }
            default -> throw CommandError.wrongType();
        }
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
        for (int i = 1; i < argv.length; i += 2) {
            db.set(argv[i], argv[i + 1]);
            notify(c, Notifications.STRING, "set", argv[i]);
        }
        c.out().ok();
    }

    /** Options shared by SET and GETEX, parsed with Redis's conflict rules before any value is checked. */
    private static final class StringOptions {
        boolean nx;
        boolean xx;
        boolean get;
        boolean keepTtl;
        boolean persist;
        byte[] unit;   // EX/PX/EXAT/PXAT as given, or null
        byte[] amount; // the last expire value given
    }

    /** Parses argv[from..] as SET (set=true) or GETEX options; a repeated option is allowed, the last value wins. */
    private static StringOptions parseOptions(byte[][] argv, int from, boolean set) {
        StringOptions o = new StringOptions();
        for (int i = from; i < argv.length; i++) {
            byte[] a = argv[i];
            boolean hasNext = i + 1 < argv.length;
            boolean otherExpiry;
            if (set && Bytes.eqIgnoreCase(a, "NX") && !o.xx) {
                o.nx = true;
            } else if (set && Bytes.eqIgnoreCase(a, "XX") && !o.nx) {
                o.xx = true;
            } else if (set && Bytes.eqIgnoreCase(a, "GET")) {
                o.get = true;
            } else if (set && Bytes.eqIgnoreCase(a, "KEEPTTL") && !o.persist && o.unit == null) {
                o.keepTtl = true;
            } else if (!set && Bytes.eqIgnoreCase(a, "PERSIST") && !o.keepTtl && o.unit == null) {
                o.persist = true;
            } else if (hasNext && isExpiryOption(a) && !o.keepTtl && !o.persist
                    && (o.unit == null || Bytes.eqIgnoreCase(o.unit, Bytes.str(a)))) {
                o.unit = a;
                o.amount = argv[++i];
            } else {
                throw CommandError.syntax();
            }
        }
        return o;
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ts|KEEPTTL]. */
    static void set(Client c, byte[][] argv) {
        StringOptions o = parseOptions(argv, 3, true);
        long expireAt = o.unit == null ? 0 : Expiry.absoluteMs(c, o.unit, o.amount, "set");
        Db db = c.db();
        byte[] key = argv[1];
        if (!o.get) {
            // One lookup for the common form: the existence check and the store share it.
            if (db.setString(key, argv[2], expireAt, o.keepTtl, o.nx, o.xx)) {
                notify(c, Notifications.STRING, "set", key);
                if (expireAt != 0) notify(c, Notifications.GENERIC, "expire", key);
                c.out().ok();
            } else {
                c.out().nullBulk();
            }
            return;
        }
        Object old = db.get(key);
        if (old != null && !(old instanceof byte[])) throw CommandError.wrongType();
        if (!(o.nx && old != null) && !(o.xx && old == null)) {
            if (o.keepTtl) db.update(key, argv[2]);
            else db.set(key, argv[2], expireAt);
            notify(c, Notifications.STRING, "set", key);
            if (expireAt != 0) notify(c, Notifications.GENERIC, "expire", key);
        }
        c.out().bulk((byte[]) old);
    }

    /** GETEX key [EX s|PX ms|EXAT ts|PXAT ts|PERSIST]. */
    static void getex(Client c, byte[][] argv) {
        StringOptions o = parseOptions(argv, 2, false);
        byte[] v = getString(c, argv[1]);
        if (v != null) {
            // Redis validates the expire value only once the key is known to exist.
            if (o.unit != null) {
                long expireAt = Expiry.absoluteMs(c, o.unit, o.amount, "getex");
                if (expireAt <= c.engine().keyspace().now()) {
                    c.db().delete(argv[1]);
                    notify(c, Notifications.GENERIC, "del", argv[1]);
                } else {
                    c.db().expireTime(argv[1], expireAt);
                    notify(c, Notifications.GENERIC, "expire", argv[1]);
                }
            } else if (o.persist) {
                if (c.db().expireTime(argv[1]) > 0) {
                    c.db().expireTime(argv[1], 0);
                    notify(c, Notifications.GENERIC, "persist", argv[1]);
                }
            }
        }
        c.out().bulk(v);
    }

    static void getdel(Client c, byte[][] argv) {
        byte[] v = getString(c, argv[1]);
        if (v != null) {
            c.db().delete(argv[1]);
            notify(c, Notifications.GENERIC, "del", argv[1]);
        }
        c.out().bulk(v);
    }

    static void getset(Client c, byte[][] argv) {
        byte[] old = getString(c, argv[1]);
        c.db().set(argv[1], argv[2]);
        notify(c, Notifications.STRING, "set", argv[1]);
        c.out().bulk(old);
    }

    static void setnx(Client c, byte[][] argv) {
        Db db = c.db();
        if (db.get(argv[1]) != null) {
            c.out().integer(0);
            return;
        }
        db.set(argv[1], argv[2]);
        notify(c, Notifications.STRING, "set", argv[1]);
        c.out().integer(1);
    }

    /** SETEX / PSETEX key ttl value. */
    static void setWithTtl(Client c, byte[][] argv, String unit, String cmd) {
        long at = Expiry.absoluteMs(c, Bytes.bytes(unit), argv[2], cmd);
        c.db().set(argv[1], argv[3], at);
        notify(c, Notifications.STRING, "set", argv[1]);
        notify(c, Notifications.GENERIC, "expire", argv[1]);
        c.out().ok();
    }

    static void msetnx(Client c, byte[][] argv) {
        if ((argv.length & 1) == 0) throw new CommandError("ERR wrong number of arguments for 'msetnx' command");
        Db db = c.db();
        for (int i = 1; i < argv.length; i += 2) {
            if (db.get(argv[i]) != null) {
                c.out().integer(0);
                return;
            }
        }
        for (int i = 1; i < argv.length; i += 2) {
            db.set(argv[i], argv[i + 1]);
            notify(c, Notifications.STRING, "set", argv[i]);
        }
        c.out().integer(1);
    }

    /** The string at key for a write, null when absent; WRONGTYPE otherwise. No hit/miss accounting. */
    private static byte[] stringForWrite(Db db, byte[] key) {
        Object v = db.get(key);
        if (v != null && !(v instanceof byte[])) throw CommandError.wrongType();
        return (byte[]) v;
    }

    /** Redis's checkStringLength: a string may not grow past proto-max-bulk-len. */
    static void checkStringLength(Client c, long total) {
        if (total > c.engine().config().getLong("proto-max-bulk-len")) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    static void append(Client c, byte[][] argv) {
        Db db = c.db();
        byte[] old = stringForWrite(db, argv[1]);
        byte[] add = argv[2];
        if (old == null) {
            db.set(argv[1], add);
            notify(c, Notifications.STRING, "append", argv[1]);
            c.out().integer(add.length);
            return;
        }
        checkStringLength(c, (long) old.length + add.length);
        byte[] n = Arrays.copyOf(old, old.length + add.length);
        System.arraycopy(add, 0, n, old.length, add.length);
        db.update(argv[1], n);
        notify(c, Notifications.STRING, "append", argv[1]);
        c.out().integer(n.length);
    }

    static void strlen(Client c, byte[][] argv) {
        byte[] v = getString(c, argv[1]);
        c.out().integer(v == null ? 0 : v.length);
    }

    static void incrByFloat(Client c, byte[][] argv) {
        Db db = c.db();
        byte[] old = stringForWrite(db, argv[1]);
        BigDecimal cur = BigDecimal.ZERO;
        if (old != null) {
            cur = LongDouble.parse(old);
            if (cur == null) throw new CommandError(CommandError.NOT_FLOAT);
        }
        BigDecimal by = LongDouble.parse(argv[2]);
        if (by == null) throw new CommandError(CommandError.NOT_FLOAT);
        BigDecimal sum = LongDouble.add(cur, by);
        if (!LongDouble.isFinite(sum)) throw new CommandError("ERR increment would produce NaN or Infinity");
        byte[] text = Bytes.bytes(LongDouble.format(sum));
        db.update(argv[1], text);
        notify(c, Notifications.STRING, "incrbyfloat", argv[1]);
        c.out().bulk(text);
    }

    /** GETRANGE / SUBSTR key start end (inclusive, negative from the end). */
    static void getrange(Client c, byte[][] argv) {
        long start = Bytes.toLong(argv[2]);
        long end = Bytes.toLong(argv[3]);
        byte[] v = getString(c, argv[1]);
        if (v == null || (start < 0 && end < 0 && start > end)) {
            c.out().bulk(EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0) start = Math.max(0, len + start);
        if (end < 0) end = Math.max(0, len + end);
        if (end >= len) end = len - 1;
        if (len == 0 || start > end) {
            c.out().bulk(EMPTY);
            return;
        }
        c.out().bulk(v, (int) start, (int) (end - start + 1));
    }

    private static final byte[] EMPTY = new byte[0];

    static void setrange(Client c, byte[][] argv) {
        long offset = Bytes.toLong(argv[2]);
        if (offset < 0) throw new CommandError("ERR offset is out of range");
        byte[] value = argv[3];
        Db db = c.db();
        byte[] old = stringForWrite(db, argv[1]);
        int oldLen = old == null ? 0 : old.length;
        if (value.length == 0) {
            c.out().integer(oldLen);
            return;
        }
        checkStringLength(c, offset + value.length);
        int need = (int) (offset + value.length);
        byte[] target = old;
        if (old == null || need > old.length) {
            target = old == null ? new byte[need] : Arrays.copyOf(old, need);
        }
        System.arraycopy(value, 0, target, (int) offset, value.length);
        // Edited in place when it fits, but a small string was read as a copy of its packed cell.
        db.update(argv[1], target);
        notify(c, Notifications.STRING, "setrange", argv[1]);
        c.out().integer(target.length);
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]. */
    static void lcs(Client c, byte[][] argv) {
        Db db = c.db();
        Object va = db.get(argv[1]);
        Object vb = db.get(argv[2]);
        if ((va != null && !(va instanceof byte[])) || (vb != null && !(vb instanceof byte[]))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = va == null ? EMPTY : (byte[]) va;
        byte[] b = vb == null ? EMPTY : (byte[]) vb;
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < argv.length; i++) {
            byte[] o = argv[i];
            if (Bytes.eqIgnoreCase(o, "IDX")) {
                getIdx = true;
            } else if (Bytes.eqIgnoreCase(o, "LEN")) {
                getLen = true;
            } else if (Bytes.eqIgnoreCase(o, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (Bytes.eqIgnoreCase(o, "MINMATCHLEN") && i + 1 < argv.length) {
                minMatchLen = Bytes.toLong(argv[++i]);
                if (minMatchLen < 0) minMatchLen = 0;
            } else {
                throw CommandError.syntax();
            }
        }
        if (getLen && getIdx) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * 4 > c.engine().config().getLong("proto-max-bulk-len") || cells > Integer.MAX_VALUE - 8) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int w = b.length + 1;
        // dp[i*w+j] = LCS length of a[0..i) and b[0..j)
        int[] dp = new int[(int) cells];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                int at = i * w + j;
                if (a[i - 1] == b[j - 1]) dp[at] = dp[at - w - 1] + 1;
                else dp[at] = Math.max(dp[at - w], dp[at - 1]);
            }
        }
        int total = dp[a.length * w + b.length];
        if (getLen) {
            c.out().integer(total);
            return;
        }
        // Walk back from the end; matches come out last-first, as Redis reports them.
        byte[] out = getIdx ? null : new byte[total];
        int outPos = total;
        List<long[]> ranges = getIdx ? new ArrayList<>() : null;
        int i = a.length;
        int j = b.length;
        long aStart = -1;
        long aEnd = -1;
        long bStart = -1;
        long bEnd = -1;
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                if (out != null) out[--outPos] = a[i - 1];
                if (ranges != null) {
                    if (aStart == -1) {
                        aStart = aEnd = i - 1;
                        bStart = bEnd = j - 1;
                    } else if (aStart == i && bStart == j) {
                        aStart--;
                        bStart--;
                    } else {
                        addRange(ranges, aStart, aEnd, bStart, bEnd, minMatchLen);
                        aStart = aEnd = i - 1;
                        bStart = bEnd = j - 1;
                    }
                }
                i--;
                j--;
            } else if (dp[(i - 1) * w + j] > dp[i * w + j - 1]) {
                i--;
            } else {
                j--;
            }
        }
        if (ranges == null) {
            c.out().bulk(out);
            return;
        }
        if (aStart != -1) addRange(ranges, aStart, aEnd, bStart, bEnd, minMatchLen);
        c.out().map(2);
        c.out().bulk(MATCHES);
        c.out().array(ranges.size());
        for (long[] r : ranges) {
            c.out().array(withMatchLen ? 3 : 2);
            c.out().array(2);
            c.out().integer(r[0]);
            c.out().integer(r[1]);
            c.out().array(2);
            c.out().integer(r[2]);
            c.out().integer(r[3]);
            if (withMatchLen) c.out().integer(r[1] - r[0] + 1);
        }
        c.out().bulk(LEN);
        c.out().integer(total);
    }

    private static final byte[] MATCHES = Bytes.bytes("matches");
    private static final byte[] LEN = Bytes.bytes("len");

    private static void addRange(List<long[]> ranges, long aStart, long aEnd, long bStart, long bEnd, long min) {
        if (aEnd - aStart + 1 >= min) ranges.add(new long[]{aStart, aEnd, bStart, bEnd});
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
        long next = c.db().addToInteger(key, by);
        notify(c, Notifications.STRING, "incrby", key);
        c.out().integer(next);
    }
}
