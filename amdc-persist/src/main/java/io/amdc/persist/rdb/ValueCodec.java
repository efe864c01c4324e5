package io.amdc.persist.rdb;

import io.amdc.core.config.Config;
import io.amdc.core.types.HashValue;
import io.amdc.core.types.ListValue;
import io.amdc.core.types.ZSet;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Between AMDC's keyspace values and RDB: {@link #materialize} builds a value from its decoded
 * form (with the configured packed-encoding thresholds), {@link #write} serializes one as
 * RDB version 10 allows: listpacks for small aggregates, plain encodings for large ones.
 */
public final class ValueCodec {
    /** Listpack nodes of saved lists are cut at Redis's default node size (list-max-listpack-size -2). */
    private static final int LIST_NODE_BYTES = 8192;

    private ValueCodec() {
    }

    /** Thrown for a value that decodes but is not a valid instance of its type (duplicates...). */
    public static final class InvalidValue extends Exception {
        public InvalidValue(String m) {
            super(m, null, false, false);
        }
    }

    /** Thrown when a value's type has no codec in this build (no {@link RdbTypeExtension}). */
    public static final class UnsupportedType extends Exception {
        public UnsupportedType(String m) {
            super(m, null, false, false);
        }
    }

    public static Object materialize(Object v, Config cfg) throws InvalidValue, UnsupportedType {
        if (v instanceof byte[]) return v;
        RdbValue r = (RdbValue) v;
        switch (r) {
            case RdbValue.ListVal l -> {
                ListValue list = new ListValue((int) cfg.getLong("list-max-listpack-size"));
                long bytes = 0;
                for (byte[] e : l.elements()) bytes += e.length;
                list.growing(bytes, l.elements().size());
                for (byte[] e : l.elements()) list.push(e, false);
                return list;
            }
            case RdbValue.HashVal h -> {
                long maxE = cfg.getLong("hash-max-listpack-entries");
                long maxV = cfg.getLong("hash-max-listpack-value");
                HashValue hv = maxE == 0 ? HashValue.ofTable(h.fields().size()) : new HashValue();
                if (h.fields().size() > maxE) hv.convert();
                for (int i = 0; i < h.fields().size(); i++) {
                    if (!hv.set(h.fields().get(i), h.values().get(i), maxE, maxV)) {
                        throw new InvalidValue("duplicate hash field");
                    }
                    if (h.ttls() != null && h.ttls()[i] != 0) hv.expireAt(h.fields().get(i), h.ttls()[i]);
                }
                return hv;
            }
            case RdbValue.ZSetVal z -> {
                long maxE = cfg.getLong("zset-max-listpack-entries");
                long maxV = cfg.getLong("zset-max-listpack-value");
                int maxLen = 0;
                for (byte[] m : z.members()) maxLen = Math.max(maxLen, m.length);
                ZSet zs = ZSet.needsSkiplist(z.members().size(), maxLen, maxE, maxV) ? ZSet.skiplist() : new ZSet();
                for (int i = 0; i < z.members().size(); i++) {
                    if (!zs.put(z.members().get(i), z.scores()[i], maxE, maxV)) {
                        throw new InvalidValue("duplicate sorted set member");
                    }
                }
                return zs;
            }
            default -> {
                for (RdbTypeExtension e : RdbTypeExtension.REGISTERED) {
                    Object o = e.materialize(r, cfg);
                    if (o != null) return o;
                }
                if (r instanceof RdbValue.SetVal s) {
                    Set<String> seen = new HashSet<>();
                    for (byte[] m : s.members()) {
                        if (!seen.add(Arrays.toString(m))) throw new InvalidValue("duplicate set member");
                    }
                }
                throw new UnsupportedType("no " + r.typeName() + " type in this build");
            }
        }
    }

    /** Writes type byte + value. */
    public static void write(RdbOutput o, Object value, boolean compress) throws UnsupportedType {
        if (value instanceof byte[] s) {
            o.u8(RdbConst.T_STRING);
            o.string(s, compress);
        } else if (value instanceof ListValue l) {
            writeList(o, l, compress);
        } else if (value instanceof HashValue h) {
            writeHash(o, h, compress);
        } else if (value instanceof ZSet z) {
            writeZSet(o, z, compress);
        } else {
            for (RdbTypeExtension e : RdbTypeExtension.REGISTERED) {
                RdbValue r = e.describe(value);
                if (r instanceof RdbValue.SetVal s) {
                    writeSet(o, s.members(), compress);
                    return;
                }
            }
            throw new UnsupportedType("cannot save a value of type " + value.getClass().getSimpleName());
        }
    }

    private static void writeList(RdbOutput o, ListValue l, boolean compress) {
        // Elements into listpacks of about one default node each.
        java.util.ArrayList<byte[]> nodes = new java.util.ArrayList<>();
        Packed.ListpackWriter[] cur = {new Packed.ListpackWriter()};
        l.forEachElement(e -> {
            if (cur[0].count() > 0 && cur[0].bytes() + e.length + 11 > LIST_NODE_BYTES) {
                nodes.add(cur[0].finish());
                cur[0] = new Packed.ListpackWriter();
            }
            cur[0].add(e);
        });
        if (cur[0].count() > 0) nodes.add(cur[0].finish());
        o.u8(RdbConst.T_LIST_QUICKLIST_2);
        o.length(nodes.size());
        for (byte[] n : nodes) {
            o.length(2); // packed container
            o.string(n, compress);
        }
    }

    private static void writeHash(RdbOutput o, HashValue h, boolean compress) {
        if (h.isPacked()) {
            Packed.ListpackWriter w = new Packed.ListpackWriter();
            h.forEach((fb, fo, fl, vb, vo, vl) -> {
                w.add(Arrays.copyOfRange(fb, fo, fo + fl));
                w.add(Arrays.copyOfRange(vb, vo, vo + vl));
            });
            o.u8(RdbConst.T_HASH_LISTPACK);
            o.string(w.finish(), compress);
            return;
        }
        o.u8(RdbConst.T_HASH);
        o.length(h.size());
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            o.string(Arrays.copyOfRange(fb, fo, fo + fl), compress);
            o.string(Arrays.copyOfRange(vb, vo, vo + vl), compress);
        });
    }

    private static void writeZSet(RdbOutput o, ZSet z, boolean compress) {
        if (z.packed()) {
            Packed.ListpackWriter w = new Packed.ListpackWriter();
            z.forRange(0, z.size() - 1, false, (m, s) -> {
                w.add(m);
                if (s == Math.rint(s) && Math.abs(s) < 1e17) w.addInt((long) s);
                else w.add(RdbStrings.ofDouble(s));
            });
            o.u8(RdbConst.T_ZSET_LISTPACK);
            o.string(w.finish(), compress);
            return;
        }
        o.u8(RdbConst.T_ZSET_2);
        o.length(z.size());
        // Highest score first, as Redis writes it (its loader then inserts at the head cheaply).
        z.forRange(0, z.size() - 1, true, (m, s) -> {
            o.string(m, compress);
            o.le(Double.doubleToRawLongBits(s), 8);
        });
    }

    private static void writeSet(RdbOutput o, List<byte[]> members, boolean compress) {
        long[] ints = new long[members.size()];
        boolean allInts = members.size() <= 512;
        for (int i = 0; allInts && i < members.size(); i++) {
            long v = RdbStrings.parseCanonical(members.get(i));
            if (v == RdbStrings.NOT_INT) allInts = false;
            ints[i] = v;
        }
        if (allInts && !members.isEmpty()) {
            Arrays.sort(ints);
            int enc = 2;
            for (long v : ints) {
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) enc = 8;
                else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && enc < 4) enc = 4;
            }
            RdbOutput b = new RdbOutput(8 + ints.length * enc);
            b.le(enc, 4);
            b.le(ints.length, 4);
            for (long v : ints) b.le(v, enc);
            o.u8(RdbConst.T_SET_INTSET);
            o.string(b.toByteArray(), compress);
            return;
        }
        o.u8(RdbConst.T_SET);
        o.length(members.size());
        for (byte[] m : members) o.string(m, compress);
    }
}
