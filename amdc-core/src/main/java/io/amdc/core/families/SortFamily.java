package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.types.ElementSource;
import io.amdc.core.types.FieldSource;
import io.amdc.core.types.ListValue;
import io.amdc.core.types.TypedValue;
import io.amdc.core.types.ZSet;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SORT and SORT_RO over lists, sets and sorted sets. Lists and sets come in through
 * {@link ElementSource}, hashes (for "key->field" patterns) through {@link FieldSource}.
 */
final class SortFamily {
    private SortFamily() {
    }

    static void declare(CommandTable t) {
        t.add("sort", -2, "write denyoom", "@set @sortedset @list @dangerous", 1, 1, 1, SortFamily::keys, (c, a) -> sort(c, a, false))
                .doc("Sorts the elements in a list, a set, or a sorted set, optionally storing the result.", "1.0.0", "generic", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).");
        t.add("sort_ro", -2, "readonly movablekeys", "@set @sortedset @list @dangerous", 1, 1, 1, (c, a) -> sort(c, a, true))
                .doc("Returns the sorted elements of a list, a set, or a sorted set.", "7.0.0", "generic", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).");
    }

    /** The sorted key plus a STORE destination, if any. */
    static int[] keys(byte[][] argv) {
        for (int i = 2; i < argv.length - 1; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "STORE")) return new int[] {1, i + 1};
        }
        return new int[] {1};
    }

    /** One element being sorted and its precomputed sort key. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] cmp;

        Item(byte[] element) {
            this.element = element;
        }
    }

    static void sort(Client c, byte[][] argv, boolean readOnly) {
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[] sortBy = null;
        byte[] store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] o = argv[j];
            if (Bytes.eqIgnoreCase(o, "ASC")) desc = false;
            else if (Bytes.eqIgnoreCase(o, "DESC")) desc = true;
            else if (Bytes.eqIgnoreCase(o, "ALPHA")) alpha = true;
            else if (Bytes.eqIgnoreCase(o, "LIMIT") && left >= 2) {
                limitStart = Bytes.toLong(argv[j + 1]);
                limitCount = Bytes.toLong(argv[j + 2]);
                j += 2;
            } else if (!readOnly && Bytes.eqIgnoreCase(o, "STORE") && left >= 1) {
                store = argv[++j];
            } else if (Bytes.eqIgnoreCase(o, "BY") && left >= 1) {
                sortBy = argv[++j];
                // A BY pattern without '*' cannot vary per element: skip sorting altogether.
                if (indexOf(sortBy, (byte) '*', 0) < 0) dontSort = true;
            } else if (Bytes.eqIgnoreCase(o, "GET") && left >= 1) {
                gets.add(argv[++j]);
            } else {
                throw CommandError.syntax();
            }
        }
        boolean external = (sortBy != null && !dontSort) || gets.stream().anyMatch(g -> !isHash(g));
        if (!external) {
            run(c, argv[1], desc, alpha, dontSort, limitStart, limitCount, sortBy, store, gets);
            return;
        }
        // Patterns read keys only known once elements are seen; the dispatcher locked just the
        // declared ones. Trade them for the whole keyspace, taken in the usual ascending order.
        Keyspace ks = c.engine().keyspace();
        int[] held = heldSlots(argv, readOnly);
        for (int i = held.length - 1; i >= 0; i--) ks.unlock(held[i]);
        ks.lockAll();
        try {
            run(c, argv[1], desc, alpha, dontSort, limitStart, limitCount, sortBy, store, gets);
        } finally {
            ks.unlockAll();
            for (int s : held) ks.lock(s);
        }
    }

    private static boolean isHash(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '#';
    }

    private static int[] heldSlots(byte[][] argv, boolean readOnly) {
        int[] pos = readOnly ? new int[] {1} : keys(argv);
        int[] slots = new int[pos.length];
        for (int i = 0; i < pos.length; i++) slots[i] = Slots.slot(argv[pos[i]]);
        Arrays.sort(slots);
        return Arrays.stream(slots).distinct().toArray();
    }

    private static void run(Client c, byte[] key, boolean desc, boolean alpha, boolean dontSort,
                            long limitStart, long limitCount, byte[] sortBy, byte[] store, List<byte[]> gets) {
        Object v = c.db().get(key);
        String type = v == null ? "list" : v instanceof TypedValue tv ? tv.typeName() : "string";
        if (!type.equals("list") && !type.equals("set") && !type.equals("zset")) throw CommandError.wrongType();
        if (v != null && !(v instanceof ZSet) && !(v instanceof ElementSource)) throw CommandError.wrongType();
        // Unordered sets must come out the same on every replica and script run: sort them.
        if (dontSort && type.equals("set") && store != null) {
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        if (v instanceof ZSet z) z.toSkiplist();
        long size = v == null ? 0 : v instanceof ZSet z ? z.size() : ((ElementSource) v).elementCount();
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? size - 1 : start + limitCount - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) end = size - 1;

        List<Item> items = new ArrayList<>();
        if (v instanceof ZSet z && dontSort) {
            // Native order, honouring DESC, with LIMIT applied while loading.
            if (start <= end) {
                if (desc) z.forRange(size - 1 - end, size - 1 - start, true, (m, s) -> items.add(new Item(m)));
                else z.forRange(start, end, false, (m, s) -> items.add(new Item(m)));
            }
            end -= start;
            start = 0;
        } else if (v instanceof ZSet z) {
            z.forRange(0, size - 1, false, (m, s) -> items.add(new Item(m)));
        } else if (v != null) {
            ((ElementSource) v).forEachElement(e -> items.add(new Item(e)));
        }

        if (!dontSort) {
            final boolean byPattern = sortBy != null;
            for (Item it : items) {
                byte[] by = byPattern ? lookup(c, sortBy, it.element) : it.element;
                if (alpha) {
                    it.cmp = by;
                } else if (by != null) {
                    it.score = Bytes.toDouble(by, "ERR One or more scores can't be converted into double");
                }
            }
            final boolean isAlpha = alpha, isDesc = desc;
            items.sort((a, b) -> {
                int r;
                if (!isAlpha) {
                    r = a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element, b.element);
                } else if (a.cmp == null || b.cmp == null) {
                    r = a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1;
                } else {
                    r = Arrays.compareUnsigned(a.cmp, b.cmp);
                }
                return isDesc ? -r : r;
            });
        }

        int from = (int) Math.max(0, start);
        int to = (int) Math.min(items.size() - 1, end);
        List<byte[]> outVals = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            byte[] e = items.get(i).element;
            if (gets.isEmpty()) outVals.add(e);
            else for (byte[] g : gets) outVals.add(lookup(c, g, e));
        }
        if (store != null) {
            if (outVals.isEmpty()) {
                if (c.db().delete(store)) {
                    c.engine().notifications().notify(c, io.amdc.core.notify.Notifications.GENERIC, "del", store);
                }
            } else {
                ListValue list = new ListValue(c.engine().encodingLimits().listFill());
                for (byte[] b : outVals) list.push(b == null ? new byte[0] : b, false);
                c.db().set(store, list);
                c.engine().blocking().signal(c.dbIndex(), store);
                c.engine().notifications().notify(c, io.amdc.core.notify.Notifications.LIST, "sortstore", store);
            }
            c.out().integer(outVals.size());
            return;
        }
        RespOut out = c.out();
        out.array(outVals.size());
        for (byte[] b : outVals) out.bulk(b);
    }

    /**
     * Resolves a BY/GET pattern for one element: "#" is the element itself; the first '*' is
     * replaced by it; a "->field" suffix reads that field of a hash. Null when nothing is found.
     */
    static byte[] lookup(Client c, byte[] pattern, byte[] subst) {
        if (isHash(pattern)) return subst;
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) return null;
        int arrow = indexOfArrow(pattern, star + 1);
        int keyEnd = pattern.length;
        byte[] field = null;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            keyEnd = arrow;
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        }
        byte[] name = new byte[keyEnd - 1 + subst.length];
        System.arraycopy(pattern, 0, name, 0, star);
        System.arraycopy(subst, 0, name, star, subst.length);
        System.arraycopy(pattern, star + 1, name, star + subst.length, keyEnd - star - 1);
        Object v = c.db().get(name);
        if (v == null) return null;
        if (field != null) return v instanceof FieldSource h ? h.fieldValue(field) : null;
        return v instanceof byte[] b ? b : null;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) return i;
        }
        return -1;
    }

    private static int indexOfArrow(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '-' && b[i + 1] == '>') return i;
        }
        return -1;
    }
}
