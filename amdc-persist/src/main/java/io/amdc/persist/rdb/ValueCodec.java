package io.amdc.persist.rdb;

import io.amdc.core.config.Config;
import io.amdc.core.types.HashValue;
import io.amdc.core.types.ListValue;
import io.amdc.core.types.SetValue;
import io.amdc.core.types.StreamGroup;
import io.amdc.core.types.StreamId;
import io.amdc.core.types.StreamValue;
import io.amdc.core.types.ZSet;

import java.util.Arrays;
import java.util.List;

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
            case RdbValue.SetVal s -> {
                return materializeSet(s, cfg);
            }
            case RdbValue.StreamVal s -> {
                return materializeStream(s, cfg);
            }
        }
    }

    private static SetValue materializeSet(RdbValue.SetVal s, Config cfg) throws InvalidValue {
        List<byte[]> ms = s.members();
        if (ms.isEmpty()) throw new InvalidValue("empty set");
        SetValue.Limits lim = new SetValue.Limits(cfg.getLong("set-max-intset-entries"),
                cfg.getLong("set-max-listpack-entries"), cfg.getLong("set-max-listpack-value"));
        // Redis picks the encoding from the member count up front; the adds then convert as usual.
        SetValue set = SetValue.create(ms.get(0), ms.size(), lim);
        for (byte[] m : ms) {
            if (!set.add(m, lim)) throw new InvalidValue("duplicate set member");
        }
        return set;
    }

    private static StreamValue materializeStream(RdbValue.StreamVal s, Config cfg) throws InvalidValue {
        StreamValue st = new StreamValue();
        long maxEntries = cfg.getLong("stream-node-max-entries");
        long maxBytes = cfg.getLong("stream-node-max-bytes");
        StreamId prev = null;
        for (RdbValue.StreamEntry e : s.entries()) {
            StreamId id = id(e.id());
            if (prev != null && id.compareTo(prev) <= 0) throw new InvalidValue("stream entries out of order");
            prev = id;
            byte[][] fv = new byte[e.fields().length * 2][];
            for (int i = 0; i < e.fields().length; i++) {
                fv[2 * i] = e.fields()[i];
                fv[2 * i + 1] = e.values()[i];
            }
            st.append(id, fv, 0, e.fields().length, maxEntries, maxBytes);
        }
        if (st.length() != s.length()) throw new InvalidValue("stream length does not match its entries");
        StreamId last = id(s.lastId());
        if (prev != null && last.compareTo(prev) < 0) throw new InvalidValue("stream last id below its top entry");
        st.lastId(last);
        // A version-1 stream lacks the counters: Redis then counts every live entry as added.
        st.entriesAdded(s.entriesAdded() >= 0 ? s.entriesAdded() : s.length());
        if (s.maxDeletedId() != null) st.maxDeletedId(id(s.maxDeletedId()));
        for (RdbValue.StreamGroup g : s.groups()) {
            StreamGroup sg = st.createGroup(g.name(), id(g.lastId()), g.entriesRead());
            if (sg == null) throw new InvalidValue("duplicate stream consumer group");
            // The group PEL comes first without owners; each consumer then claims its IDs.
            for (RdbValue.StreamPending p : g.pending()) {
                sg.pel.put(id(p.id()), new StreamGroup.Nack(p.deliveryTimeMs(), p.deliveryCount(), null));
            }
            for (RdbValue.StreamConsumer c : g.consumers()) {
                StreamGroup.Consumer sc = sg.createConsumer(c.name(), c.seenTimeMs());
                if (sc == null) throw new InvalidValue("duplicate stream consumer");
                sc.activeTime = c.activeTimeMs();
                for (RdbValue.StreamId pid : c.pending()) {
                    StreamId id = id(pid);
                    StreamGroup.Nack n = sg.pel.get(id);
                    if (n == null || n.consumer != null) throw new InvalidValue("consumer PEL entry not in the group PEL");
                    n.consumer = sc;
                    sc.pel.put(id, n);
                }
            }
            for (StreamGroup.Nack n : sg.pel.values()) {
                if (n.consumer == null) throw new InvalidValue("group PEL entry without a consumer");
            }
        }
        return st;
    }

    private static StreamId id(RdbValue.StreamId r) {
        return new StreamId(r.ms(), r.seq());
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
        } else if (value instanceof SetValue s) {
            writeSet(o, s, compress);
        } else if (value instanceof StreamValue s) {
            writeStream(o, s, compress);
        } else {
            for (RdbTypeExtension e : RdbTypeExtension.REGISTERED) {
                RdbValue r = e.describe(value);
                if (r != null) throw new UnsupportedType("extension values cannot be saved: " + r.typeName());
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

    /**
     * Intsets as RDB_TYPE_SET_INTSET; everything else as a plain RDB_TYPE_SET, because the listpack
     * set type (20) needs RDB 11, which Redis 7.0 refuses (AMDC writes version 10 so 7.0 loads it).
     * The loader re-picks the listpack encoding from the member count anyway.
     */
    private static void writeSet(RdbOutput o, SetValue set, boolean compress) {
        byte[][] members = set.toArray();
        if ("intset".equals(set.encoding())) {
            long[] ints = new long[members.length];
            int enc = 2;
            for (int i = 0; i < members.length; i++) {
                long v = RdbStrings.parseCanonical(members[i]);
                ints[i] = v;
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) enc = 8;
                else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && enc < 4) enc = 4;
            }
            Arrays.sort(ints);
            RdbOutput b = new RdbOutput(8 + ints.length * enc);
            b.le(enc, 4);
            b.le(ints.length, 4);
            for (long v : ints) b.le(v, enc);
            o.u8(RdbConst.T_SET_INTSET);
            o.string(b.toByteArray(), compress);
            return;
        }
        o.u8(RdbConst.T_SET);
        o.length(members.length);
        for (byte[] m : members) o.string(m, compress);
    }

    /** Entries per saved stream listpack node (Redis's stream-node-max-entries default). */
    private static final int STREAM_NODE_ENTRIES = 100;

    /**
     * RDB_TYPE_STREAM_LISTPACKS_2, the newest stream type Redis 7.0 loads (_3 only adds the
     * consumers' active time, which 7.0 then takes from the seen time, as we do on load).
     * Only live entries are written: deleted ones carry no information the counters do not keep.
     */
    private static void writeStream(RdbOutput o, StreamValue s, boolean compress) {
        List<StreamValue.Entry> entries = s.entries();
        int nodes = (entries.size() + STREAM_NODE_ENTRIES - 1) / STREAM_NODE_ENTRIES;
        o.u8(RdbConst.T_STREAM_LISTPACKS_2);
        o.length(nodes);
        for (int from = 0; from < entries.size(); from += STREAM_NODE_ENTRIES) {
            List<StreamValue.Entry> node = entries.subList(from, Math.min(entries.size(), from + STREAM_NODE_ENTRIES));
            StreamId master = node.get(0).id();
            byte[][] mfv = node.get(0).fieldsAndValues();
            int nmf = mfv.length / 2;
            Packed.ListpackWriter w = new Packed.ListpackWriter();
            w.addInt(node.size()); // live entries
            w.addInt(0); // deleted entries
            w.addInt(nmf);
            for (int i = 0; i < nmf; i++) w.add(mfv[2 * i]);
            w.addInt(0); // master entry terminator
            for (StreamValue.Entry e : node) {
                byte[][] fv = e.fieldsAndValues();
                boolean same = fv.length == mfv.length;
                for (int i = 0; same && i < nmf; i++) same = Arrays.equals(fv[2 * i], mfv[2 * i]);
                w.addInt(same ? 2 : 0);
                w.addInt(e.id().ms() - master.ms());
                w.addInt(e.id().seq() - master.seq());
                if (same) {
                    for (int i = 0; i < nmf; i++) w.add(fv[2 * i + 1]);
                } else {
                    w.addInt(fv.length / 2);
                    for (byte[] x : fv) w.add(x);
                }
                // Elements of this entry before the count, for backward iteration.
                w.addInt(same ? nmf + 3 : fv.length + 4);
            }
            o.string(rawId(master), compress);
            o.string(w.finish(), compress);
        }
        o.length(s.length());
        lenId(o, s.lastId());
        lenId(o, s.length() == 0 ? StreamId.MIN : s.firstId());
        lenId(o, s.maxDeletedId());
        o.length(s.entriesAdded());
        o.length(s.groupCount());
        for (StreamGroup g : s.groups()) {
            o.string(g.name, compress);
            lenId(o, g.lastId);
            o.length(g.entriesRead);
            o.length(g.pel.size());
            for (var e : g.pel.entrySet()) {
                o.write(rawId(e.getKey()));
                o.le(e.getValue().deliveryTime, 8);
                o.length(e.getValue().deliveryCount);
            }
            o.length(g.consumerCount());
            for (StreamGroup.Consumer c : g.consumers()) {
                o.string(c.name, compress);
                o.le(c.seenTime, 8);
                o.length(c.pel.size());
                for (StreamId id : c.pel.keySet()) o.write(rawId(id));
            }
        }
    }

    private static void lenId(RdbOutput o, StreamId id) {
        o.length(id.ms());
        o.length(id.seq());
    }

    /** A stream ID as 128 bits big-endian (node keys and PEL entries). */
    private static byte[] rawId(StreamId id) {
        RdbOutput b = new RdbOutput(16);
        b.be(id.ms(), 8);
        b.be(id.seq(), 8);
        return b.toByteArray();
    }
}
