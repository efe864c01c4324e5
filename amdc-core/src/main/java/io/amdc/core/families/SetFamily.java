package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.types.SetValue;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Set commands (Redis's t_set.c semantics), over {@link SetValue}. */
final class SetFamily {
    private SetFamily() {
    }

    static void declare(CommandTable t) {
        t.add("sadd", -3, "write denyoom fast", "@set", 1, 1, 1, SetFamily::sadd)
                .doc("Adds one or more members to a set. Creates the key if it doesn't exist.", "1.0.0", "set", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.");
        t.add("srem", -3, "write fast", "@set", 1, 1, 1, SetFamily::srem)
                .doc("Removes one or more members from a set. Deletes the set if the last member was removed.", "1.0.0", "set", "O(N) where N is the number of members to be removed.");
        t.add("smove", 4, "write fast", "@set", 1, 2, 1, SetFamily::smove)
                .doc("Moves a member from one set to another.", "1.0.0", "set", "O(1)");
        t.add("sismember", 3, "readonly fast", "@set", 1, 1, 1, SetFamily::sismember)
                .doc("Determines whether a member belongs to a set.", "1.0.0", "set", "O(1)");
        t.add("smismember", -3, "readonly fast", "@set", 1, 1, 1, SetFamily::smismember)
                .doc("Determines whether multiple members belong to a set.", "6.2.0", "set", "O(N) where N is the number of elements being checked for membership");
        t.add("scard", 2, "readonly fast", "@set", 1, 1, 1, SetFamily::scard)
                .doc("Returns the number of members in a set.", "1.0.0", "set", "O(1)");
        t.add("spop", -2, "write fast", "@set", 1, 1, 1, SetFamily::spop)
                .doc("Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.", "1.0.0", "set", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.");
        t.add("srandmember", -2, "readonly", "@set", 1, 1, 1, SetFamily::srandmember)
                .doc("Get one or multiple random members from a set", "1.0.0", "set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.");
        t.add("smembers", 2, "readonly", "@set", 1, 1, 1, SetFamily::smembers)
                .doc("Returns all members of a set.", "1.0.0", "set", "O(N) where N is the set cardinality.");
        t.add("sinter", -2, "readonly", "@set", 1, -1, 1, (c, a) -> sinter(c, a, 1, null))
                .doc("Returns the intersect of multiple sets.", "1.0.0", "set", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.");
        t.add("sinterstore", -3, "write denyoom", "@set", 1, -1, 1, (c, a) -> sinter(c, a, 2, a[1]))
                .doc("Stores the intersect of multiple sets in a key.", "1.0.0", "set", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.");
        t.add("sintercard", -3, "readonly", "@set", SetFamily::sintercardKeys, SetFamily::sintercard)
                .doc("Returns the number of members of the intersect of multiple sets.", "7.0.0", "set", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.");
        t.add("sunion", -2, "readonly", "@set", 1, -1, 1, (c, a) -> unionDiff(c, a, 1, null, false))
                .doc("Returns the union of multiple sets.", "1.0.0", "set", "O(N) where N is the total number of elements in all given sets.");
        t.add("sunionstore", -3, "write denyoom", "@set", 1, -1, 1, (c, a) -> unionDiff(c, a, 2, a[1], false))
                .doc("Stores the union of multiple sets in a key.", "1.0.0", "set", "O(N) where N is the total number of elements in all given sets.");
        t.add("sdiff", -2, "readonly", "@set", 1, -1, 1, (c, a) -> unionDiff(c, a, 1, null, true))
                .doc("Returns the difference of multiple sets.", "1.0.0", "set", "O(N) where N is the total number of elements in all given sets.");
        t.add("sdiffstore", -3, "write denyoom", "@set", 1, -1, 1, (c, a) -> unionDiff(c, a, 2, a[1], true))
                .doc("Stores the difference of multiple sets in a key.", "1.0.0", "set", "O(N) where N is the total number of elements in all given sets.");
        t.add("sscan", -3, "readonly", "@set", 1, 1, 1, SetFamily::sscan)
                .doc("Iterates over members of a set.", "2.8.0", "set", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.");
    }

    static SetValue.Limits limits(Client c) {
        return c.engine().encodingLimits().set();
    }

    /** The set at key, null when absent; WRONGTYPE for other types. */
    static SetValue getSet(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof SetValue) return (SetValue) v;
        throw CommandError.wrongType();
    }

    private static void notify(Client c, int cls, String event, byte[] key) {
        c.engine().notifications().notify(c, cls, event, key);
    }

    static void sadd(Client c, byte[][] a) {
        Db db = c.db();
        SetValue s = getSet(db, a[1]);
        SetValue.Limits l = limits(c);
        if (s == null) {
            s = SetValue.create(a[2], a.length - 2, l);
            db.set(a[1], s);
        }
        int added = 0;
        for (int i = 2; i < a.length; i++) {
            if (s.add(a[i], l)) added++;
        }
        s.shrinkIfSparse();
        if (added > 0) notify(c, Notifications.SET, "sadd", a[1]);
        c.out().integer(added);
    }

    static void srem(Client c, byte[][] a) {
        Db db = c.db();
        SetValue s = getSet(db, a[1]);
        int removed = 0;
        if (s != null) {
            for (int i = 2; i < a.length && s.size() > 0; i++) {
                if (s.remove(a[i])) removed++;
            }
            if (removed > 0) notify(c, Notifications.SET, "srem", a[1]);
            if (s.size() == 0) {
                db.delete(a[1]);
                notify(c, Notifications.GENERIC, "del", a[1]);
            }
        }
        c.out().integer(removed);
    }

    static void smove(Client c, byte[][] a) {
        Db db = c.db();
        Object srcObj = db.get(a[1]);
        Object dstObj = db.get(a[2]);
        if (srcObj == null) {
            c.out().integer(0);
            return;
        }
        if (!(srcObj instanceof SetValue src) || (dstObj != null && !(dstObj instanceof SetValue))) {
            throw CommandError.wrongType();
        }
        SetValue dst = (SetValue) dstObj;
        byte[] m = a[3];
        if (src == dst) {
            c.out().integer(src.contains(m) ? 1 : 0);
            return;
        }
        if (!src.remove(m)) {
            c.out().integer(0);
            return;
        }
        notify(c, Notifications.SET, "srem", a[1]);
        if (src.size() == 0) {
            db.delete(a[1]);
            notify(c, Notifications.GENERIC, "del", a[1]);
        }
        SetValue.Limits l = limits(c);
        if (dst == null) {
            dst = SetValue.create(m, 1, l);
            db.set(a[2], dst);
        }
        if (dst.add(m, l)) notify(c, Notifications.SET, "sadd", a[2]);
        c.out().integer(1);
    }

    static void sismember(Client c, byte[][] a) {
        SetValue s = getSet(c.db(), a[1]);
        c.out().integer(s != null && s.contains(a[2]) ? 1 : 0);
    }

    static void smismember(Client c, byte[][] a) {
        SetValue s = getSet(c.db(), a[1]);
        RespOut out = c.out();
        out.array(a.length - 2);
        for (int i = 2; i < a.length; i++) out.integer(s != null && s.contains(a[i]) ? 1 : 0);
    }

    static void scard(Client c, byte[][] a) {
        SetValue s = getSet(c.db(), a[1]);
        c.out().integer(s == null ? 0 : s.size());
    }

    static void smembers(Client c, byte[][] a) {
        SetValue s = getSet(c.db(), a[1]);
        replySet(c.out(), s);
    }

    private static void replySet(RespOut out, SetValue s) {
        if (s == null) {
            out.set(0);
            return;
        }
        out.set(s.size());
        s.forEach(out::bulk);
    }

    private static final byte[] SREM = Bytes.bytes("SREM");
    private static final byte[] DEL = Bytes.bytes("DEL");

    static void spop(Client c, byte[][] a) {
        if (a.length > 3) throw CommandError.syntax();
        Db db = c.db();
        RespOut out = c.out();
        if (a.length == 2) {
            SetValue s = getSet(db, a[1]);
            if (s == null) {
                out.nullBulk();
                return;
            }
            byte[] m = s.pop();
            notify(c, Notifications.SET, "spop", a[1]);
            if (s.size() == 0) {
                db.delete(a[1]);
                notify(c, Notifications.GENERIC, "del", a[1]);
            }
            c.propagate(SREM, a[1], m); // the random choice, recorded as its effect
            out.bulk(m);
            return;
        }
        long count = Bytes.toLong(a[2], "ERR value is out of range, must be positive");
        if (count < 0) throw new CommandError("ERR value is out of range, must be positive");
        SetValue s = getSet(db, a[1]);
        if (s == null || count == 0) {
            out.set(0);
            return;
        }
        if (count >= s.size()) {
            replySet(out, s);
            db.delete(a[1]);
            notify(c, Notifications.SET, "spop", a[1]);
            notify(c, Notifications.GENERIC, "del", a[1]);
            c.propagate(DEL, a[1]);
            return;
        }
        byte[][] popped = new byte[(int) count][];
        for (int i = 0; i < popped.length; i++) popped[i] = s.pop();
        notify(c, Notifications.SET, "spop", a[1]);
        byte[][] rec = new byte[popped.length + 2][];
        rec[0] = SREM;
        rec[1] = a[1];
        System.arraycopy(popped, 0, rec, 2, popped.length);
        c.propagate(rec);
        out.set(popped.length);
        for (byte[] m : popped) out.bulk(m);
    }

    static void srandmember(Client c, byte[][] a) {
        if (a.length > 3) throw CommandError.syntax();
        RespOut out = c.out();
        if (a.length == 2) {
            SetValue s = getSet(c.db(), a[1]);
            if (s == null) out.nullBulk();
            else out.bulk(s.random());
            return;
        }
        long count = Bytes.toLong(a[2]);
        if (count == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        SetValue s = getSet(c.db(), a[1]);
        if (s == null || count == 0) {
            out.array(0);
            return;
        }
        int size = s.size();
        if (count < 0) {
            // Repetitions allowed: independent uniform draws.
            long n = -count;
            out.array((int) Math.min(n, Integer.MAX_VALUE));
            for (long i = 0; i < n; i++) out.bulk(s.random());
            return;
        }
        if (count >= size) {
            out.array(size);
            s.forEach(out::bulk);
            return;
        }
        int k = (int) count;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        out.array(k);
        if (k * 3L > size) {
            // A partial Fisher-Yates shuffle over all members: distinct and uniform.
            byte[][] all = s.toArray();
            for (int i = 0; i < k; i++) {
                int j = i + rnd.nextInt(size - i);
                byte[] t = all[i];
                all[i] = all[j];
                all[j] = t;
                out.bulk(all[i]);
            }
        } else {
            // Few out of many: draw positions, rejecting free hashtable slots and repeats.
            Set<Integer> seen = new HashSet<>();
            int positions = s.positions();
            while (seen.size() < k) {
                int p = rnd.nextInt(positions);
                byte[] m = s.memberAtPosition(p);
                if (m != null && seen.add(p)) out.bulk(m);
            }
        }
    }

    /** Loads the sets named by argv[from..to): null entries for missing keys; WRONGTYPE first. */
    private static SetValue[] load(Db db, byte[][] a, int from, int to) {
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) sets[i - from] = getSet(db, a[i]);
        return sets;
    }

    /** Members of the intersection, walking the smallest set; stops after {@code limit} (0 = all). */
    private static List<byte[]> intersect(SetValue[] sets, long limit) {
        List<byte[]> out = new ArrayList<>();
        for (SetValue s : sets) {
            if (s == null) return out;
        }
        SetValue[] sorted = sets.clone();
        Arrays.sort(sorted, Comparator.comparingInt(SetValue::size));
        sorted[0].forEach(m -> {
            if (limit > 0 && out.size() >= limit) return;
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] != sorted[0] && !sorted[i].contains(m)) return;
            }
            out.add(m);
        });
        return out;
    }

    static void sinter(Client c, byte[][] a, int first, byte[] dstKey) {
        Db db = c.db();
        List<byte[]> res = intersect(load(db, a, first, a.length), 0);
        if (dstKey == null) {
            c.out().set(res.size());
            for (byte[] m : res) c.out().bulk(m);
            return;
        }
        store(c, db, dstKey, res);
    }

    private static void store(Client c, Db db, byte[] dstKey, List<byte[]> members) {
        if (members.isEmpty()) {
            if (db.delete(dstKey)) notify(c, Notifications.GENERIC, "del", dstKey);
            c.out().integer(0);
            return;
        }
        SetValue.Limits l = limits(c);
        SetValue d = SetValue.createIntset();
        for (byte[] m : members) d.add(m, l);
        db.set(dstKey, d);
        notify(c, Notifications.SET, "sinterstore", dstKey);
        c.out().integer(d.size());
    }

    /** numkeys keys for SINTERCARD; tolerant of bad input (the handler reports it). */
    static int[] sintercardKeys(byte[][] a) {
        long n;
        try {
            n = Bytes.toLong(a[1]);
        } catch (CommandError e) {
            return new int[0];
        }
        if (n <= 0) return new int[0];
        int k = (int) Math.min(n, a.length - 2);
        int[] pos = new int[k];
        for (int i = 0; i < k; i++) pos[i] = 2 + i;
        return pos;
    }

    static void sintercard(Client c, byte[][] a) {
        long numkeys;
        try {
            numkeys = Bytes.toLong(a[1]);
        } catch (CommandError e) {
            numkeys = 0;
        }
        if (numkeys <= 0) throw new CommandError("ERR numkeys should be greater than 0");
        if (numkeys > a.length - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
        int end = 2 + (int) numkeys;
        long limit = 0;
        for (int i = end; i < a.length; i++) {
            if (Bytes.eqIgnoreCase(a[i], "LIMIT") && i + 1 < a.length) {
                long v;
                try {
                    v = Bytes.toLong(a[++i]);
                } catch (CommandError e) {
                    v = -1;
                }
                if (v < 0) throw new CommandError("ERR LIMIT can't be negative");
                limit = v;
            } else {
                throw CommandError.syntax();
            }
        }
        c.out().integer(intersect(load(c.db(), a, 2, end), limit).size());
    }

    static void unionDiff(Client c, byte[][] a, int first, byte[] dstKey, boolean diff) {
        Db db = c.db();
        SetValue[] sets = load(db, a, first, a.length);
        List<byte[]> res = new ArrayList<>();
        SetValue.Limits l = limits(c);
        SetValue acc = SetValue.createIntset();
        if (diff) {
            if (sets[0] != null) {
                sets[0].forEach(m -> {
                    for (int i = 1; i < sets.length; i++) {
                        if (sets[i] != null && sets[i].contains(m)) return;
                    }
                    acc.add(m, l);
                });
            }
        } else {
            for (SetValue s : sets) {
                if (s != null) s.forEach(m -> acc.add(m, l));
            }
        }
        if (dstKey == null) {
            replySet(c.out(), acc);
            return;
        }
        if (acc.size() == 0) {
            if (db.delete(dstKey)) notify(c, Notifications.GENERIC, "del", dstKey);
            c.out().integer(0);
        } else {
            db.set(dstKey, acc);
            notify(c, Notifications.SET, diff ? "sdiffstore" : "sunionstore", dstKey);
            c.out().integer(acc.size());
        }
    }

    /** Parses a SCAN cursor as Redis's strtoul does (so "-1" wraps); "ERR invalid cursor" otherwise. */
    static long parseCursor(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) i++;
        boolean neg = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) neg = b[i++] == '-';
        if (i == b.length) throw new CommandError("ERR invalid cursor");
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new CommandError("ERR invalid cursor");
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) throw new CommandError("ERR invalid cursor");
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    static void sscan(Client c, byte[][] a) {
        long cursor = parseCursor(a[2]);
        SetValue s = getSet(c.db(), a[1]);
        RespOut out = c.out();
        if (s == null) {
            out.array(2);
            out.bulk("0");
            out.array(0);
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (more && Bytes.eqIgnoreCase(a[i], "COUNT")) {
                count = Bytes.toLong(a[++i]);
                if (count < 1) throw CommandError.syntax();
            } else if (more && Bytes.eqIgnoreCase(a[i], "MATCH")) {
                pattern = a[++i];
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else {
                throw CommandError.syntax();
            }
        }
        List<byte[]> found = new ArrayList<>();
        long nextCursor = 0;
        if (s.isHashtable()) {
            nextCursor = s.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE / 10), found::add);
        } else {
            s.forEach(found::add);
        }
        if (pattern != null) {
            byte[] p = pattern;
            found.removeIf(m -> !Glob.match(p, m, false));
        }
        out.array(2);
        out.bulk(Long.toUnsignedString(nextCursor));
        out.array(found.size());
        for (byte[] m : found) out.bulk(m);
    }
}
