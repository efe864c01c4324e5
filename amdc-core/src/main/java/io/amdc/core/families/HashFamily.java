package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.types.HashValue;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.core.util.LongDouble;
import io.amdc.resp.RespOut;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Hash commands (Redis's t_hash.c semantics), including Redis 7.4 per-field expiry. */
final class HashFamily {
    private HashFamily() {
    }

    /** Largest absolute field expiry Redis 7.4 accepts (2^48 - 1 ms). */
    static final long MAX_FIELD_EXPIRE_MS = (1L << 48) - 1;

    static void declare(CommandTable t) {
        t.add("hset", -4, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hset(c, a, false))
                .doc("Creates or modifies the value of a field in a hash.", "2.0.0", "hash", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.");
        t.add("hmset", -4, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hset(c, a, true))
                .doc("Sets the values of multiple fields.", "2.0.0", "hash", "O(N) where N is the number of fields being set.");
        t.add("hsetnx", 4, "write denyoom fast", "@hash", 1, 1, 1, HashFamily::hsetnx)
                .doc("Sets the value of a field in a hash only when the field doesn't exist.", "2.0.0", "hash", "O(1)");
        t.add("hget", 3, "readonly fast", "@hash", 1, 1, 1, HashFamily::hget)
                .doc("Returns the value of a field in a hash.", "2.0.0", "hash", "O(1)");
        t.add("hmget", -3, "readonly fast", "@hash", 1, 1, 1, HashFamily::hmget)
                .doc("Returns the values of all fields in a hash.", "2.0.0", "hash", "O(N) where N is the number of fields being requested.");
        t.add("hdel", -3, "write fast", "@hash", 1, 1, 1, HashFamily::hdel)
                .doc("Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "2.0.0", "hash", "O(N) where N is the number of fields to be removed.");
        t.add("hlen", 2, "readonly fast", "@hash", 1, 1, 1, HashFamily::hlen)
                .doc("Returns the number of fields in a hash.", "2.0.0", "hash", "O(1)");
        t.add("hstrlen", 3, "readonly fast", "@hash", 1, 1, 1, HashFamily::hstrlen)
                .doc("Returns the length of the value of a field.", "3.2.0", "hash", "O(1)");
        t.add("hexists", 3, "readonly fast", "@hash", 1, 1, 1, HashFamily::hexists)
                .doc("Determines whether a field exists in a hash.", "2.0.0", "hash", "O(1)");
        t.add("hkeys", 2, "readonly", "@hash", 1, 1, 1, (c, a) -> getAll(c, a, true, false))
                .doc("Returns all fields in a hash.", "2.0.0", "hash", "O(N) where N is the size of the hash.");
        t.add("hvals", 2, "readonly", "@hash", 1, 1, 1, (c, a) -> getAll(c, a, false, true))
                .doc("Returns all values in a hash.", "2.0.0", "hash", "O(N) where N is the size of the hash.");
        t.add("hgetall", 2, "readonly", "@hash", 1, 1, 1, (c, a) -> getAll(c, a, true, true))
                .doc("Returns all fields and values in a hash.", "2.0.0", "hash", "O(N) where N is the size of the hash.");
        t.add("hincrby", 4, "write denyoom fast", "@hash", 1, 1, 1, HashFamily::hincrby)
                .doc("Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "2.0.0", "hash", "O(1)");
        t.add("hincrbyfloat", 4, "write denyoom fast", "@hash", 1, 1, 1, HashFamily::hincrbyfloat)
                .doc("Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "2.6.0", "hash", "O(1)");
        t.add("hrandfield", -2, "readonly", "@hash", 1, 1, 1, HashFamily::hrandfield)
                .doc("Returns one or more random fields from a hash.", "6.2.0", "hash", "O(N) where N is the number of fields returned");
        t.add("hscan", -3, "readonly", "@hash", 1, 1, 1, HashFamily::hscan)
                .doc("Iterates over fields and values of a hash.", "2.8.0", "hash", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.");
        t.add("hexpire", -6, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hexpire(c, a, 1000, false))
                .doc("Set expiry for hash field using relative time to expire (seconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hpexpire", -6, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hexpire(c, a, 1, false))
                .doc("Set expiry for hash field using relative time to expire (milliseconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hexpireat", -6, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hexpire(c, a, 1000, true))
                .doc("Set expiry for hash field using an absolute Unix timestamp (seconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hpexpireat", -6, "write denyoom fast", "@hash", 1, 1, 1, (c, a) -> hexpire(c, a, 1, true))
                .doc("Set expiry for hash field using an absolute Unix timestamp (milliseconds)", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("httl", -5, "readonly fast", "@hash", 1, 1, 1, (c, a) -> httl(c, a, 1000, false))
                .doc("Returns the TTL in seconds of a hash field.", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hpttl", -5, "readonly fast", "@hash", 1, 1, 1, (c, a) -> httl(c, a, 1, false))
                .doc("Returns the TTL in milliseconds of a hash field.", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hexpiretime", -5, "readonly fast", "@hash", 1, 1, 1, (c, a) -> httl(c, a, 1000, true))
                .doc("Returns the expiration time of a hash field as a Unix timestamp, in seconds.", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hpexpiretime", -5, "readonly fast", "@hash", 1, 1, 1, (c, a) -> httl(c, a, 1, true))
                .doc("Returns the expiration time of a hash field as a Unix timestamp, in msec.", "7.4.0", "hash", "O(N) where N is the number of specified fields");
        t.add("hpersist", -5, "write fast", "@hash", 1, 1, 1, HashFamily::hpersist)
                .doc("Removes the expiration time for each specified field", "7.4.0", "hash", "O(N) where N is the number of specified fields");
    }

    // ---------------------------------------------------------------- lookup

    private static void notify(Client c, int cls, String event, byte[] key) {
        c.engine().notifications().notify(c, cls, event, key);
    }

    /**
     * The live hash at key (expired fields dropped, the key deleted if that emptied it), null
     * when absent; WRONGTYPE for other types.
     */
    static HashValue lookup(Client c, byte[] key) {
        Db db = c.db();
        Object v = db.get(key);
        if (v == null) return null;
        if (!(v instanceof HashValue h)) throw CommandError.wrongType();
        // The clock is read only for a hash with field TTLs: most hashes have none.
        if (h.mayHaveFieldTtls() && h.purgeExpired(c.engine().keyspace().now()) > 0) {
            notify(c, Notifications.HASH, "hexpired", key);
            if (h.size() == 0) {
                db.delete(key);
                notify(c, Notifications.GENERIC, "del", key);
                return null;
            }
        }
        return h;
    }

    /** lookup() for read commands, counting keyspace hits and misses. */
    private static HashValue read(Client c, byte[] key) {
        HashValue h = lookup(c, key);
        if (h == null) c.engine().stats().keyspaceMisses.increment();
        else c.engine().stats().keyspaceHits.increment();
        return h;
    }

    private static long maxEntries(Client c) {
        return c.engine().encodingLimits().hashEntries();
    }

    private static long maxValue(Client c) {
        return c.engine().encodingLimits().hashValue();
    }

    /** A new, not yet stored hash in the encoding Redis would pick for its first write. */
    private static HashValue create(Client c) {
        return maxEntries(c) == 0 ? HashValue.ofTable(1) : new HashValue();
    }

    // ---------------------------------------------------------------- writes

    static void hset(Client c, byte[][] argv, boolean legacy) {
        if ((argv.length & 1) == 1) {
            throw new CommandError("ERR wrong number of arguments for '" + (legacy ? "hmset" : "hset") + "' command");
        }
        HashValue h = lookup(c, argv[1]);
        boolean fresh = h == null;
        if (fresh) h = create(c);
        long maxEntries = maxEntries(c);
        long maxValue = maxValue(c);
        // Redis converts up front when the command alone carries more pairs than a listpack may hold.
        if (h.isPacked() && (argv.length - 2) / 2 > maxEntries) h.convert();
        int added = 0;
        for (int i = 2; i < argv.length; i += 2) {
            if (h.set(argv[i], argv[i + 1], maxEntries, maxValue)) added++;
        }
        if (fresh) c.db().set(argv[1], h);
        notify(c, Notifications.HASH, "hset", argv[1]);
        if (legacy) c.out().ok();
        else c.out().integer(added);
    }

    static void hsetnx(Client c, byte[][] argv) {
        HashValue h = lookup(c, argv[1]);
        if (h != null && h.contains(argv[2])) {
            c.out().integer(0);
            return;
        }
        boolean fresh = h == null;
        if (fresh) h = create(c);
        h.set(argv[2], argv[3], maxEntries(c), maxValue(c));
        if (fresh) c.db().set(argv[1], h);
        notify(c, Notifications.HASH, "hset", argv[1]);
        c.out().integer(1);
    }

    static void hdel(Client c, byte[][] argv) {
        HashValue h = lookup(c, argv[1]);
        int deleted = 0;
        if (h != null) {
            for (int i = 2; i < argv.length; i++) {
                if (h.delete(argv[i])) {
                    deleted++;
                    if (h.size() == 0) {
                        c.db().delete(argv[1]);
                        break;
                    }
                }
            }
        }
        if (deleted > 0) {
            notify(c, Notifications.HASH, "hdel", argv[1]);
            if (h.size() == 0) notify(c, Notifications.GENERIC, "del", argv[1]);
        }
        c.out().integer(deleted);
    }

    static void hincrby(Client c, byte[][] argv) {
        long by = Bytes.toLong(argv[3]);
        HashValue h = lookup(c, argv[1]);
        long cur = 0;
        byte[] old = h == null ? null : h.get(argv[2]);
        if (old != null) cur = Bytes.toLong(old, "ERR hash value is not an integer");
        if ((by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur)) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        long next = cur + by;
        store(c, argv[1], h, argv[2], Bytes.fromLong(next));
        notify(c, Notifications.HASH, "hincrby", argv[1]);
        c.out().integer(next);
    }

    static void hincrbyfloat(Client c, byte[][] argv) {
        BigDecimal by = LongDouble.parse(argv[3]);
        if (by == null) throw new CommandError(CommandError.NOT_FLOAT);
        if (!LongDouble.isFinite(by)) throw new CommandError("ERR value is NaN or Infinity");
        HashValue h = lookup(c, argv[1]);
        BigDecimal cur = BigDecimal.ZERO;
        byte[] old = h == null ? null : h.get(argv[2]);
        if (old != null) {
            cur = LongDouble.parse(old);
            if (cur == null) throw new CommandError("ERR hash value is not a float");
        }
        BigDecimal sum = LongDouble.add(cur, by);
        if (!LongDouble.isFinite(sum)) throw new CommandError("ERR increment would produce NaN or Infinity");
        byte[] text = Bytes.bytes(LongDouble.format(sum));
        store(c, argv[1], h, argv[2], text);
        notify(c, Notifications.HASH, "hincrbyfloat", argv[1]);
        c.out().bulk(text);
    }

    /** Writes a computed value, keeping the field's TTL (HINCRBY* do, HSET does not). */
    private static void store(Client c, byte[] key, HashValue h, byte[] field, byte[] value) {
        boolean fresh = h == null;
        if (fresh) h = create(c);
        long ttl = fresh ? 0 : h.expireAt(field);
        h.set(field, value, maxEntries(c), maxValue(c));
        if (ttl > 0) h.expireAt(field, ttl);
        if (fresh) c.db().set(key, h);
    }

    // ---------------------------------------------------------------- reads

    static void hget(Client c, byte[][] argv) {
        HashValue h = read(c, argv[1]);
        c.out().bulk(h == null ? null : h.get(argv[2]));
    }

    static void hmget(Client c, byte[][] argv) {
        HashValue h = read(c, argv[1]);
        RespOut out = c.out();
        out.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) out.bulk(h == null ? null : h.get(argv[i]));
    }

    static void hlen(Client c, byte[][] argv) {
        HashValue h = read(c, argv[1]);
        c.out().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(Client c, byte[][] argv) {
        HashValue h = read(c, argv[1]);
        c.out().integer(h == null ? 0 : Math.max(0, h.valueLength(argv[2])));
    }

    static void hexists(Client c, byte[][] argv) {
        HashValue h = read(c, argv[1]);
        c.out().integer(h != null && h.contains(argv[2]) ? 1 : 0);
    }

    static void getAll(Client c, byte[][] argv, boolean fields, boolean values) {
        HashValue h = read(c, argv[1]);
        RespOut out = c.out();
        int n = h == null ? 0 : h.size();
        if (fields && values) out.map(n);
        else out.array(n);
        if (h == null) return;
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            if (fields) out.bulk(fb, fo, fl);
            if (values) out.bulk(vb, vo, vl);
        });
    }

    static void hrandfield(Client c, byte[][] argv) {
        RespOut out = c.out();
        if (argv.length == 2) {
            HashValue h = read(c, argv[1]);
            if (h == null) {
                out.nullBulk();
                return;
            }
            byte[][][] all = h.snapshot();
            out.bulk(all[0][ThreadLocalRandom.current().nextInt(all[0].length)]);
            return;
        }
        long l = Bytes.toLong(argv[2]);
        if (l == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean withValues = false;
        if (argv.length > 4 || (argv.length == 4 && !Bytes.eqIgnoreCase(argv[3], "WITHVALUES"))) {
            throw CommandError.syntax();
        } else if (argv.length == 4) {
            withValues = true;
            if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) throw new CommandError("ERR value is out of range");
        }
        HashValue h = read(c, argv[1]);
        if (h == null) {
            out.array(0);
            return;
        }
        boolean unique = l >= 0;
        long count = Math.abs(l);
        if (count == 0) {
            out.array(0);
            return;
        }
        boolean pairs = withValues && out.resp3();
        byte[][][] all = h.snapshot();
        byte[][] fs = all[0];
        byte[][] vs = all[1];
        int size = fs.length;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (!unique || count == 1) {
            out.array((int) (withValues && !out.resp3() ? count * 2 : count));
            for (long i = 0; i < count; i++) {
                int k = rnd.nextInt(size);
                emitPair(out, pairs, withValues, fs[k], vs[k]);
            }
            return;
        }
        int n = (int) Math.min(count, size);
        if (n < size) {
            // Partial Fisher-Yates: the first n slots become a uniform random subset.
            for (int i = 0; i < n; i++) {
                int j = i + rnd.nextInt(size - i);
                byte[] t = fs[i];
                fs[i] = fs[j];
                fs[j] = t;
                t = vs[i];
                vs[i] = vs[j];
                vs[j] = t;
            }
        }
        out.array(withValues && !out.resp3() ? n * 2 : n);
        for (int i = 0; i < n; i++) emitPair(out, pairs, withValues, fs[i], vs[i]);
    }

    private static void emitPair(RespOut out, boolean pairs, boolean withValues, byte[] f, byte[] v) {
        if (pairs) out.array(2);
        out.bulk(f);
        if (withValues) out.bulk(v);
    }

    static void hscan(Client c, byte[][] argv) {
        long cursor = parseCursor(argv[2]);
        HashValue h = read(c, argv[1]);
        RespOut out = c.out();
        if (h == null) {
            out.array(2);
            out.bulk("0");
            out.array(0);
            return;
        }
        long count = 10;
        byte[] pattern = null;
        boolean noValues = false;
        for (int i = 3; i < argv.length; ) {
            int left = argv.length - i;
            if (Bytes.eqIgnoreCase(argv[i], "COUNT") && left >= 2) {
                count = Bytes.toLong(argv[i + 1]);
                if (count < 1) throw CommandError.syntax();
                i += 2;
            } else if (Bytes.eqIgnoreCase(argv[i], "MATCH") && left >= 2) {
                byte[] p = argv[i + 1];
                pattern = p.length == 1 && p[0] == '*' ? null : p;
                i += 2;
            } else if (Bytes.eqIgnoreCase(argv[i], "NOVALUES")) {
                noValues = true;
                i++;
            } else {
                throw CommandError.syntax();
            }
        }
        List<byte[]> items = new ArrayList<>();
        byte[] pat = pattern;
        boolean keepValues = !noValues;
        HashValue.EntryVisitor collect = (fb, fo, fl, vb, vo, vl) -> {
            byte[] f = java.util.Arrays.copyOfRange(fb, fo, fo + fl);
            if (pat != null && !Glob.match(pat, f, false)) return;
            items.add(f);
            if (keepValues) items.add(java.util.Arrays.copyOfRange(vb, vo, vo + vl));
        };
        long next = 0;
        if (h.isPacked()) {
            h.forEach(collect);
        } else {
            long budget = count * 10;
            next = cursor;
            // Count entries before filtering, as Redis does: MATCH can leave a page empty.
            int[] seen = {0};
            HashValue.EntryVisitor counting = (fb, fo, fl, vb, vo, vl) -> {
                seen[0]++;
                collect.visit(fb, fo, fl, vb, vo, vl);
            };
            do {
                next = h.scanStep(next, counting);
            } while (next != 0 && budget-- > 0 && seen[0] < count);
        }
        out.array(2);
        out.bulk(Long.toUnsignedString(next));
        out.array(items.size());
        for (byte[] b : items) out.bulk(b);
    }

    /** SCAN cursor as strtoul reads it; "ERR invalid cursor" otherwise. */
    static long parseCursor(byte[] b) {
        String s = Bytes.str(b);
        boolean neg = s.startsWith("-");
        String digits = neg || s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new CommandError("ERR invalid cursor");
        }
        try {
            long v = Long.parseUnsignedLong(digits);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
    }

    // ---------------------------------------------------------------- field expiry (7.4)

    /** Parses "FIELDS numfields field..." starting at argv[at]; returns the index of the first field. */
    private static int fieldsBlock(byte[][] argv, int at) {
        if (!Bytes.eqIgnoreCase(argv[at], "FIELDS")) {
            throw new CommandError("ERR Mandatory argument FIELDS is missing or not at the right position");
        }
        String numErr = "ERR Parameter `numFields` should be greater than 0";
        long n = Bytes.toLong(argv[at + 1], numErr);
        if (n < 1) throw new CommandError(numErr);
        if (n != argv.length - at - 2) {
            throw new CommandError("ERR The `numfields` parameter must match the number of arguments");
        }
        return at + 2;
    }

    /** HEXPIRE / HPEXPIRE / HEXPIREAT / HPEXPIREAT key time [NX|XX|GT|LT] FIELDS n field... */
    static void hexpire(Client c, byte[][] argv, long unitMs, boolean absolute) {
        String name = Bytes.str(argv[0]).toLowerCase();
        HashValue h = lookup(c, argv[1]);
        long t = Bytes.toLong(argv[2]);
        if (t < 0) throw new CommandError("ERR invalid expire time, must be >= 0");
        String rangeErr = "ERR invalid expire time in '" + name + "' command";
        long now = c.engine().keyspace().now();
        long base = absolute ? 0 : now;
        if (unitMs == 1000) {
            if (t > MAX_FIELD_EXPIRE_MS / 1000) throw new CommandError(rangeErr);
            t *= 1000;
        }
        if (t > MAX_FIELD_EXPIRE_MS - base) throw new CommandError(rangeErr);
        long when = t + base;
        int at = 3;
        int cond = 0; // 1 NX, 2 XX, 3 GT, 4 LT
        if (Bytes.eqIgnoreCase(argv[3], "NX")) cond = 1;
        else if (Bytes.eqIgnoreCase(argv[3], "XX")) cond = 2;
        else if (Bytes.eqIgnoreCase(argv[3], "GT")) cond = 3;
        else if (Bytes.eqIgnoreCase(argv[3], "LT")) cond = 4;
        if (cond != 0) at++;
        int first = fieldsBlock(argv, at);
        RespOut out = c.out();
        out.array(argv.length - first);
        int deleted = 0;
        int updated = 0;
        for (int i = first; i < argv.length; i++) {
            long cur = h == null ? -2 : h.expireAt(argv[i]);
            if (cur == -2) {
                out.integer(-2);
                continue;
            }
            boolean ok = switch (cond) {
                case 1 -> cur == 0;
                case 2 -> cur != 0;
                case 3 -> cur != 0 && when > cur;
                case 4 -> cur == 0 || when < cur;
                default -> true;
            };
            if (!ok) {
                out.integer(0);
                continue;
            }
            if (when <= now) {
                h.delete(argv[i]);
                deleted++;
                out.integer(2);
            } else {
                h.expireAt(argv[i], when);
                updated++;
                out.integer(1);
            }
        }
        if (updated > 0) notify(c, Notifications.HASH, name.startsWith("hp") ? "hpexpire" : "hexpire", argv[1]);
        if (deleted > 0) notify(c, Notifications.HASH, "hdel", argv[1]);
        if (h != null && h.size() == 0) {
            c.db().delete(argv[1]);
            notify(c, Notifications.GENERIC, "del", argv[1]);
        }
    }

    /** HTTL / HPTTL / HEXPIRETIME / HPEXPIRETIME key FIELDS n field... */
    static void httl(Client c, byte[][] argv, long unitMs, boolean absolute) {
        HashValue h = read(c, argv[1]);
        int first = fieldsBlock(argv, 2);
        long now = c.engine().keyspace().now();
        RespOut out = c.out();
        out.array(argv.length - first);
        for (int i = first; i < argv.length; i++) {
            long e = h == null ? -2 : h.expireAt(argv[i]);
            if (e == -2) out.integer(-2);
            else if (e == 0) out.integer(-1);
            else {
                long v = absolute ? e : e - now;
                // Seconds round up, so a field never reports 0 while it still exists.
                out.integer(unitMs == 1000 ? (v + 999) / 1000 : v);
            }
        }
    }

    static void hpersist(Client c, byte[][] argv) {
        HashValue h = lookup(c, argv[1]);
        int first = fieldsBlock(argv, 2);
        RespOut out = c.out();
        out.array(argv.length - first);
        int persisted = 0;
        for (int i = first; i < argv.length; i++) {
            long e = h == null ? -2 : h.expireAt(argv[i]);
            if (e == -2) out.integer(-2);
            else if (e == 0) out.integer(-1);
            else {
                h.expireAt(argv[i], 0);
                persisted++;
                out.integer(1);
            }
        }
        if (persisted > 0) notify(c, Notifications.HASH, "hpersist", argv[1]);
    }
}
