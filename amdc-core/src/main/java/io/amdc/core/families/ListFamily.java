package io.amdc.core.families;

import io.amdc.core.blocking.BlockedCommand;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.types.ListValue;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

/** List commands and their blocking variants (Redis's t_list.c). Values are {@link ListValue}. */
final class ListFamily {
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private ListFamily() {
    }

    static void declare(CommandTable t) {
        t.add("lpush", -3, "write denyoom fast", "@list", 1, 1, 1, (c, a) -> push(c, a, true, false))
                .doc("Prepends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0", "list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.");
        t.add("rpush", -3, "write denyoom fast", "@list", 1, 1, 1, (c, a) -> push(c, a, false, false))
                .doc("Appends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0", "list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.");
        t.add("lpushx", -3, "write denyoom fast", "@list", 1, 1, 1, (c, a) -> push(c, a, true, true))
                .doc("Prepends one or more elements to a list only when the list exists.", "2.2.0", "list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.");
        t.add("rpushx", -3, "write denyoom fast", "@list", 1, 1, 1, (c, a) -> push(c, a, false, true))
                .doc("Appends an element to a list only when the list exists.", "2.2.0", "list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.");
        t.add("lpop", -2, "write fast", "@list", 1, 1, 1, (c, a) -> pop(c, a, true))
                .doc("Returns the first elements in a list after removing it. Deletes the list if the last element was popped.", "1.0.0", "list", "O(N) where N is the number of elements returned");
        t.add("rpop", -2, "write fast", "@list", 1, 1, 1, (c, a) -> pop(c, a, false))
                .doc("Returns and removes the last elements of the list. Deletes the list if the last element was popped.", "1.0.0", "list", "O(N) where N is the number of elements returned");
        t.add("llen", 2, "readonly fast", "@list", 1, 1, 1, ListFamily::llen)
                .doc("Returns the length of a list.", "1.0.0", "list", "O(1)");
        t.add("lrange", 4, "readonly", "@list", 1, 1, 1, ListFamily::lrange)
                .doc("Returns a range of elements from a list.", "1.0.0", "list", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.");
        t.add("lindex", 3, "readonly", "@list", 1, 1, 1, ListFamily::lindex)
                .doc("Returns an element from a list by its index.", "1.0.0", "list", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).");
        t.add("lset", 4, "write denyoom", "@list", 1, 1, 1, ListFamily::lset)
                .doc("Sets the value of an element in a list by its index.", "1.0.0", "list", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).");
        t.add("linsert", 5, "write denyoom", "@list", 1, 1, 1, ListFamily::linsert)
                .doc("Inserts an element before or after another element in a list.", "2.2.0", "list", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).");
        t.add("lrem", 4, "write", "@list", 1, 1, 1, ListFamily::lrem)
                .doc("Removes elements from a list. Deletes the list if the last element was removed.", "1.0.0", "list", "O(N+M) where N is the length of the list and M is the number of elements removed.");
        t.add("ltrim", 4, "write", "@list", 1, 1, 1, ListFamily::ltrim)
                .doc("Removes elements from both ends a list. Deletes the list if all elements were trimmed.", "1.0.0", "list", "O(N) where N is the number of elements to be removed by the operation.");
        t.add("lpos", -3, "readonly", "@list", 1, 1, 1, ListFamily::lpos)
                .doc("Returns the index of matching elements in a list.", "6.0.6", "list", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.");
        t.add("lmove", 5, "write denyoom", "@list", 1, 2, 1, ListFamily::lmove)
                .doc("Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", "6.2.0", "list", "O(1)");
        t.add("rpoplpush", 3, "write denyoom", "@list", 1, 2, 1, ListFamily::rpoplpush)
                .doc("Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", "1.2.0", "list", "O(1)");
        t.add("lmpop", -4, "write", "@list", a -> numkeysKeys(a, 1), (c, a) -> lmpop(c, a, 1, -1))
                .doc("Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.", "7.0.0", "list", "O(N)+O(M) where N is the number of provided keys and M is the number of elements returned.");
        t.add("blpop", -3, "write noscript blocking", "@list", 1, -2, 1, (c, a) -> bpop(c, a, true))
                .doc("Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "2.0.0", "list", "O(N) where N is the number of provided keys.");
        t.add("brpop", -3, "write noscript blocking", "@list", 1, -2, 1, (c, a) -> bpop(c, a, false))
                .doc("Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "2.0.0", "list", "O(N) where N is the number of provided keys.");
        t.add("blmove", 6, "write denyoom noscript blocking", "@list", 1, 2, 1, ListFamily::blmove)
                .doc("Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", "6.2.0", "list", "O(1)");
        t.add("brpoplpush", 4, "write denyoom noscript blocking", "@list", 1, 2, 1, ListFamily::brpoplpush)
                .doc("Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", "2.2.0", "list", "O(1)");
        t.add("blmpop", -5, "write blocking", "@list", a -> numkeysKeys(a, 2), ListFamily::blmpop)
                .doc("Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "7.0.0", "list", "O(N)+O(M) where N is the number of provided keys and M is the number of elements returned.");
    }

    // ---- helpers ----

    /** Keys of a "numkeys key [key ...]" command; none when numkeys is invalid (the handler reports it). */
    static int[] numkeysKeys(byte[][] a, int numkeysIdx) {
        long n;
        try {
            n = Bytes.toLong(a[numkeysIdx]);
        } catch (CommandError e) {
            return CommandSpec.NO_KEYS;
        }
        if (n <= 0 || n > a.length - numkeysIdx - 1) return CommandSpec.NO_KEYS;
        int[] keys = new int[(int) n];
        for (int i = 0; i < n; i++) keys[i] = numkeysIdx + 1 + i;
        return keys;
    }

    private static int fill(Client c) {
        return c.engine().encodingLimits().listFill();
    }

    /** The list at {@code key}, null when absent; WRONGTYPE for other types. */
    private static ListValue list(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null) return null;
        if (!(v instanceof ListValue l)) throw CommandError.wrongType();
        return l;
    }

    /** A read-only lookup: like {@link #list} but counted in keyspace_hits/misses, as Redis counts reads. */
    private static ListValue readList(Client c, byte[] key) {
        ListValue l = list(c.db(), key);
        if (l == null) c.engine().stats().keyspaceMisses.increment();
        else c.engine().stats().keyspaceHits.increment();
        return l;
    }

    /** Creates an empty list at {@code key} and wakes clients blocked on it once the command ends. */
    private static ListValue create(Client c, byte[] key) {
        ListValue l = new ListValue(fill(c));
        c.db().set(key, l);
        c.engine().blocking().signal(c.dbIndex(), key);
        return l;
    }

    /** After removals: delete the key when empty (as Redis does), else maybe return to listpack. */
    private static void afterRemoval(Db db, byte[] key, ListValue l) {
        if (l.isEmpty()) db.delete(key);
        else l.shrunk();
    }

    private static void notify(Client c, String event, byte[] key) {
        c.engine().notifications().notify(c, Notifications.LIST, event, key);
    }

    /** Reports {@code event} for elements taken from {@code key}, then deletes it if emptied ("del"). */
    private static void removed(Client c, byte[] key, ListValue l, String event) {
        notify(c, event, key);
        boolean gone = l.isEmpty();
        afterRemoval(c.db(), key, l);
        if (gone) c.engine().notifications().notify(c, Notifications.GENERIC, "del", key);
    }

    private static boolean side(byte[] arg) {
        if (Bytes.eqIgnoreCase(arg, "LEFT")) return true;
        if (Bytes.eqIgnoreCase(arg, "RIGHT")) return false;
        throw CommandError.syntax();
    }

    private static long positive(byte[] arg, String error) {
        long v = Bytes.toLong(arg, error);
        if (v < 0) throw new CommandError(error);
        return v;
    }

    // ---- push / pop ----

    static void push(Client c, byte[][] a, boolean head, boolean onlyIfExists) {
        Db db = c.db();
        ListValue l = list(db, a[1]);
        if (l == null) {
            if (onlyIfExists) {
                c.out().integer(0);
                return;
            }
            l = create(c, a[1]);
        }
        long bytes = 0;
        for (int i = 2; i < a.length; i++) bytes += a[i].length;
        l.growing(bytes, a.length - 2);
        for (int i = 2; i < a.length; i++) l.push(a[i], head);
        notify(c, head ? "lpush" : "rpush", a[1]);
        c.out().integer(l.size());
    }

    static void pop(Client c, byte[][] a, boolean head) {
        if (a.length > 3) throw new CommandError("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop") + "' command");
        long count = a.length == 3 ? positive(a[2], MUST_BE_POSITIVE) : -1;
        Db db = c.db();
        ListValue l = list(db, a[1]);
        if (l == null) {
            if (count >= 0) c.out().nullArray();
            else c.out().nullBulk();
            return;
        }
        if (count < 0) {
            c.out().bulk(l.pop(head));
        } else {
            long n = Math.min(count, l.size());
            c.out().array((int) n);
            for (long i = 0; i < n; i++) c.out().bulk(l.pop(head));
        }
        if (count != 0) removed(c, a[1], l, head ? "lpop" : "rpop");
    }

    static void llen(Client c, byte[][] a) {
        ListValue l = readList(c, a[1]);
        c.out().integer(l == null ? 0 : l.size());
    }

    // ---- by index ----

    static void lrange(Client c, byte[][] a) {
        long start = Bytes.toLong(a[2]);
        long end = Bytes.toLong(a[3]);
        ListValue l = readList(c, a[1]);
        if (l == null) {
            c.out().array(0);
            return;
        }
        long size = l.size();
        if (start < 0) start = Math.max(0, size + start);
        if (end < 0) end = size + end;
        if (end >= size) end = size - 1;
        if (start > end || start >= size) {
            c.out().array(0);
            return;
        }
        RespOut out = c.out();
        long n = end - start + 1;
        out.array((int) n);
        ListValue.Cursor cur = l.at(start);
        for (long i = 0; i < n; i++) {
            int len = cur.len();
            out.bulk(cur.buf(), cur.dataOff(), len);
            cur.next();
        }
    }

    static void lindex(Client c, byte[][] a) {
        ListValue l = readList(c, a[1]);
        if (l == null) {
            c.out().nullBulk();
            return;
        }
        long idx = Bytes.toLong(a[2]);
        if (idx < 0) idx += l.size();
        if (idx < 0 || idx >= l.size()) {
            c.out().nullBulk();
            return;
        }
        ListValue.Cursor cur = l.at(idx);
        c.out().bulk(cur.buf(), cur.dataOff(), cur.len());
    }

    static void lset(Client c, byte[][] a) {
        ListValue l = list(c.db(), a[1]);
        if (l == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        long idx = Bytes.toLong(a[2]);
        if (idx < 0) idx += l.size();
        if (idx < 0 || idx >= l.size()) throw new CommandError("ERR index out of range");
        l.growing(a[3].length, 0);
        l.at(idx).replace(a[3]);
        l.shrunk();
        notify(c, "lset", a[1]);
        c.out().ok();
    }

    static void linsert(Client c, byte[][] a) {
        boolean after;
        if (Bytes.eqIgnoreCase(a[2], "AFTER")) after = true;
        else if (Bytes.eqIgnoreCase(a[2], "BEFORE")) after = false;
        else throw CommandError.syntax();
        ListValue l = list(c.db(), a[1]);
        if (l == null) {
            c.out().integer(0);
            return;
        }
        ListValue.Cursor cur = l.at(0);
        while (cur.valid() && !cur.equalsValue(a[3])) cur.next();
        if (!cur.valid()) {
            c.out().integer(-1);
            return;
        }
        l.growing(a[4].length, 1);
        cur.insert(a[4], after);
        notify(c, "linsert", a[1]);
        c.out().integer(l.size());
    }

    static void lrem(Client c, byte[][] a) {
        long count = Bytes.toLong(a[2]);
        Db db = c.db();
        ListValue l = list(db, a[1]);
        if (l == null) {
            c.out().integer(0);
            return;
        }
        byte[] v = a[3];
        long removed = 0;
        if (count >= 0) {
            ListValue.Cursor cur = l.at(0);
            while (cur.valid() && (count == 0 || removed < count)) {
                if (cur.equalsValue(v)) {
                    cur.remove();
                    removed++;
                } else {
                    cur.next();
                }
            }
        } else {
            ListValue.Cursor cur = l.at(l.size() - 1);
            while (cur.valid() && removed < -count) {
                if (cur.equalsValue(v)) {
                    cur.remove();
                    removed++;
                }
                cur.prev();
            }
        }
        if (removed > 0) removed(c, a[1], l, "lrem");
        c.out().integer(removed);
    }

    static void ltrim(Client c, byte[][] a) {
        long start = Bytes.toLong(a[2]);
        long end = Bytes.toLong(a[3]);
        Db db = c.db();
        ListValue l = list(db, a[1]);
        if (l == null) {
            c.out().ok();
            return;
        }
        long size = l.size();
        if (start < 0) start = Math.max(0, size + start);
        if (end < 0) end = size + end;
        if (end >= size) end = size - 1;
        if (start > end || start >= size) l.deleteEnds(size, true);
        else l.trim(start, end);
        removed(c, a[1], l, "ltrim");
        c.out().ok();
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    static void lpos(Client c, byte[][] a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Bytes.eqIgnoreCase(a[i], "RANK") && more) {
                rank = Bytes.toLong(a[++i]);
                if (rank == Long.MIN_VALUE) {
                    throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                }
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or -1 to start from the last match, -2 from the second last ...");
                }
            } else if (Bytes.eqIgnoreCase(a[i], "COUNT") && more) {
                count = Bytes.toLong(a[++i]);
                if (count < 0) throw new CommandError("ERR COUNT can't be negative");
            } else if (Bytes.eqIgnoreCase(a[i], "MAXLEN") && more) {
                maxlen = Bytes.toLong(a[++i]);
                if (maxlen < 0) throw new CommandError("ERR MAXLEN can't be negative");
            } else {
                throw CommandError.syntax();
            }
        }
        ListValue l = readList(c, a[1]);
        if (l == null) {
            if (count >= 0) c.out().array(0);
            else c.out().nullBulk();
            return;
        }
        long size = l.size();
        boolean forward = rank > 0;
        long skip = Math.abs(rank) - 1;
        long want = count < 0 ? 1 : count == 0 ? Long.MAX_VALUE : count;
        long[] found = new long[(int) Math.min(want, 16)];
        int nFound = 0;
        ListValue.Cursor cur = l.at(forward ? 0 : size - 1);
        long idx = forward ? 0 : size - 1;
        long compared = 0;
        byte[] v = a[2];
        while (cur.valid() && nFound < want && (maxlen == 0 || compared < maxlen)) {
            if (cur.equalsValue(v)) {
                if (skip > 0) {
                    skip--;
                } else {
                    if (nFound == found.length) found = java.util.Arrays.copyOf(found, found.length * 2);
                    found[nFound++] = idx;
                }
            }
            compared++;
            if (forward) {
                cur.next();
                idx++;
            } else {
                cur.prev();
                idx--;
            }
        }
        if (count < 0) {
            if (nFound == 0) c.out().nullBulk();
            else c.out().integer(found[0]);
            return;
        }
        c.out().array(nFound);
        for (int i = 0; i < nFound; i++) c.out().integer(found[i]);
    }

    // ---- moves ----

    /**
     * Pops from {@code src} and pushes to {@code dstKey}; the caller checked src is a non-empty list
     * and holds both keys' slot locks. WRONGTYPE when the destination holds another type.
     */
    private static byte[] move(Client c, byte[] srcKey, ListValue src, byte[] dstKey, boolean fromHead, boolean toHead) {
        Db db = c.db();
        ListValue dst = list(db, dstKey);
        byte[] v = src.pop(fromHead);
        if (dst == null) dst = create(c, dstKey);
        dst.growing(v.length, 1);
        dst.push(v, toHead);
        // As Redis: the push on the destination is reported first, then the pop on the source.
        notify(c, toHead ? "lpush" : "rpush", dstKey);
        if (dst != src) removed(c, srcKey, src, fromHead ? "lpop" : "rpop");
        else notify(c, fromHead ? "lpop" : "rpop", srcKey);
        return v;
    }

    static void lmove(Client c, byte[][] a) {
        boolean from = side(a[3]);
        boolean to = side(a[4]);
        doMove(c, a[1], a[2], from, to);
    }

    static void rpoplpush(Client c, byte[][] a) {
        doMove(c, a[1], a[2], false, true);
    }

    private static void doMove(Client c, byte[] srcKey, byte[] dstKey, boolean from, boolean to) {
        ListValue src = list(c.db(), srcKey);
        if (src == null) {
            c.out().nullBulk();
            return;
        }
        c.out().bulk(recordedMove(c, srcKey, src, dstKey, from, to));
    }

    // ---- multi-key pops ----

    /** Parsed "numkeys key... LEFT|RIGHT [COUNT n]"; keys are argv[first, first+numkeys). */
    private record MPop(int first, int numkeys, boolean head, long count) {
    }

    private static MPop parseMPop(byte[][] a, int numkeysIdx) {
        long numkeys = Bytes.toLong(a[numkeysIdx], "ERR numkeys should be greater than 0");
        if (numkeys <= 0) throw new CommandError("ERR numkeys should be greater than 0");
        long whereIdx = numkeysIdx + numkeys + 1;
        if (whereIdx >= a.length) throw CommandError.syntax();
        boolean head = side(a[(int) whereIdx]);
        long count = -1;
        for (int j = (int) whereIdx + 1; j < a.length; j++) {
            if (count < 0 && Bytes.eqIgnoreCase(a[j], "COUNT") && j + 1 < a.length) {
                count = Bytes.toLong(a[++j], "ERR count should be greater than 0");
                if (count <= 0) throw new CommandError("ERR count should be greater than 0");
            } else {
                throw CommandError.syntax();
            }
        }
        return new MPop(numkeysIdx + 1, (int) numkeys, head, count < 0 ? 1 : count);
    }

    /** Writes [key, [elements...]] popping up to {@code count} elements. */
    private static void mpopReply(Client c, byte[] key, ListValue l, boolean head, long count) {
        long n = Math.min(count, l.size());
        RespOut out = c.out();
        out.array(2);
        out.bulk(key);
        out.array((int) n);
        for (long i = 0; i < n; i++) out.bulk(l.pop(head));
        removed(c, key, l, head ? "lpop" : "rpop");
        c.propagate(head ? LPOP : RPOP, key, Bytes.fromLong(n)); // (B)LMPOP is recorded as its pop
    }

    /** LMPOP, and BLMPOP's first attempt; {@code timeoutMs} < 0 means never block. */
    private static void lmpop(Client c, byte[][] a, int numkeysIdx, long timeoutMs) {
        MPop p = parseMPop(a, numkeysIdx);
        Db db = c.db();
        for (int i = 0; i < p.numkeys; i++) {
            byte[] key = a[p.first + i];
            ListValue l = list(db, key);
            if (l != null) {
                mpopReply(c, key, l, p.head, p.count);
                return;
            }
        }
        if (timeoutMs < 0) {
            c.out().nullArray();
            return;
        }
        byte[][] keys = java.util.Arrays.copyOfRange(a, p.first, p.first + p.numkeys);
        c.engine().blocking().block(c, keys, timeoutMs, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                if (!(w.db().get(key) instanceof ListValue l)) return SKIP;
                mpopReply(w, key, l, p.head, p.count);
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                w.out().nullArray();
            }
        });
    }

    static void blmpop(Client c, byte[][] a) {
        long timeout = timeoutMs(a[1]);
        lmpop(c, a, 2, timeout);
    }

    // ---- blocking ----

    /** Redis's blocking timeout: seconds as a (fractional) float; 0 = forever. Returns ms, 0 = forever. */
    static long timeoutMs(byte[] arg) {
        double secs = Bytes.toDouble(arg, "ERR timeout is not a float or out of range");
        double ms = secs * 1000.0;
        if (ms > 9.223372036854775807E18) throw new CommandError("ERR timeout is out of range");
        long t = (long) Math.ceil(ms);
        if (t < 0) throw new CommandError("ERR timeout is negative");
        if (t > 0 && t > Long.MAX_VALUE - System.currentTimeMillis()) throw new CommandError("ERR timeout is out of range");
        return t;
    }

    static void bpop(Client c, byte[][] a, boolean head) {
        long timeout = timeoutMs(a[a.length - 1]);
        Db db = c.db();
        for (int i = 1; i < a.length - 1; i++) {
            ListValue l = list(db, a[i]);
            if (l != null) {
                popReply(c, a[i], l, head);
                return;
            }
        }
        byte[][] keys = java.util.Arrays.copyOfRange(a, 1, a.length - 1);
        c.engine().blocking().block(c, keys, timeout, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                if (!(w.db().get(key) instanceof ListValue l)) return SKIP;
                popReply(w, key, l, head);
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                w.out().nullArray();
            }
        });
    }

    private static void popReply(Client c, byte[] key, ListValue l, boolean head) {
        c.out().array(2);
        c.out().bulk(key);
        c.out().bulk(l.pop(head));
        removed(c, key, l, head ? "lpop" : "rpop");
        c.propagate(head ? LPOP : RPOP, key); // a served BLPOP/BRPOP is recorded as the plain pop
    }

    private static final byte[] LPOP = Bytes.bytes("LPOP");
    private static final byte[] RPOP = Bytes.bytes("RPOP");
    private static final byte[] LMOVE = Bytes.bytes("LMOVE");
    private static final byte[] LEFT = Bytes.bytes("LEFT");
    private static final byte[] RIGHT = Bytes.bytes("RIGHT");

    /** BLMOVE / BRPOPLPUSH that found data: the move, recorded as LMOVE (never blocks on replay). */
    private static byte[] recordedMove(Client c, byte[] srcKey, ListValue src, byte[] dstKey, boolean from, boolean to) {
        byte[] v = move(c, srcKey, src, dstKey, from, to);
        c.propagate(LMOVE, srcKey, dstKey, from ? LEFT : RIGHT, to ? LEFT : RIGHT);
        return v;
    }

    static void blmove(Client c, byte[][] a) {
        boolean from = side(a[3]);
        boolean to = side(a[4]);
        long timeout = timeoutMs(a[5]);
        blockingMove(c, a[1], a[2], from, to, timeout);
    }

    static void brpoplpush(Client c, byte[][] a) {
        long timeout = timeoutMs(a[3]);
        blockingMove(c, a[1], a[2], false, true, timeout);
    }

    private static void blockingMove(Client c, byte[] srcKey, byte[] dstKey, boolean from, boolean to, long timeout) {
        ListValue src = list(c.db(), srcKey);
        if (src != null) {
            c.out().bulk(recordedMove(c, srcKey, src, dstKey, from, to));
            return;
        }
        if (!c.canBlock()) {
            // Inside MULTI or a script Redis answers at once, with BLMOVE's plain null.
            c.out().nullBulk();
            return;
        }
        c.engine().blocking().block(c, new byte[][] {srcKey}, timeout, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                if (!(w.db().get(key) instanceof ListValue l)) return SKIP;
                // The serving thread holds the source's slot lock (and maybe others). Taking the
                // destination's lock by waiting could deadlock against a thread locking in
                // ascending order, so only try it; on failure the registry retries on this
                // client's own thread, which then locks both slots in ascending order.
                Keyspace ks = w.engine().keyspace();
                int dstSlot = Slots.slot(dstKey);
                if (ks.heldByCurrentThread(dstSlot)) {
                    w.out().bulk(recordedMove(w, key, l, dstKey, from, to));
                    return SERVED;
                }
                if (!ks.tryLock(dstSlot)) return dstSlot;
                try {
                    w.out().bulk(recordedMove(w, key, l, dstKey, from, to));
                } finally {
                    ks.unlock(dstSlot);
                }
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                // Redis answers every list-blocking timeout with a null array, BLMOVE included.
                w.out().nullArray();
            }
        });
    }
}
