package io.amdc.persist.rdb;

import io.amdc.persist.rdb.RdbValue.StreamConsumer;
import io.amdc.persist.rdb.RdbValue.StreamEntry;
import io.amdc.persist.rdb.RdbValue.StreamGroup;
import io.amdc.persist.rdb.RdbValue.StreamId;
import io.amdc.persist.rdb.RdbValue.StreamPending;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an RDB file (versions 1 to 12, everything Redis 2.x to 7.2 writes) into events for a
 * {@link Listener}, or a single DUMP payload value. Values come out as byte[] (strings) or
 * {@link RdbValue}s. Every damaged or hostile input ends in an {@link RdbFormatException} naming
 * the offset; lengths are checked against the bytes left before anything is allocated.
 */
public final class RdbReader {
    public static final int MAX_VERSION = 12;

    /** Receives the content of a file in order. */
    public interface Listener {
        default void version(int v) {
        }

        default void aux(String key, byte[] value) {
        }

        default void selectDb(int db) {
        }

        default void resizeDb(long size, long expires) {
        }

        /** One key. expireMs is 0 when none; idleSec/freq are -1 when the file has no LRU/LFU info. */
        void key(int db, byte[] key, Object value, long expireMs, long idleSec, int freq, long offset)
                throws IOException;

        /** A function library's source (opcode 245); {@code offset} is where its opcode starts. */
        default void function(byte[] code, long offset) throws IOException {
        }

        /** A part of the file skipped (module data, unknown aux); the reason is for the log. */
        default void skipped(String what) {
        }

        default void progress(long offset, long total) {
        }
    }

    private final RdbInput in;
    private int version;

    public RdbReader(RdbInput in) {
        this.in = in;
    }

    public int version() {
        return version;
    }

    /** Reads a whole file; returns the checksum stored at its end (0 when absent or disabled). */
    public void readFile(Listener l, boolean verifyChecksum) throws IOException {
        byte[] magic = in.bytes(9);
        String m = new String(magic, StandardCharsets.US_ASCII);
        if (!m.startsWith("REDIS")) throw new RdbFormatException(0, "wrong signature trying to load DB from file");
        try {
            version = Integer.parseInt(m.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException(5, "bad RDB version field '" + m.substring(5) + "'");
        }
        if (version < 1 || version > MAX_VERSION) {
            throw new RdbFormatException(5, "can't handle RDB format version " + version);
        }
        l.version(version);
        int db = 0;
        long expire = 0;
        long idle = -1;
        int freq = -1;
        long nextProgress = 0;
        while (true) {
            if (in.offset() >= nextProgress) {
                l.progress(in.offset(), in.length());
                nextProgress = in.offset() + Math.max(1 << 20, in.length() / 100);
            }
            long at = in.offset();
            int type = in.u8();
            switch (type) {
                case RdbConst.OP_EXPIRETIME -> {
                    expire = in.le(4) * 1000;
                    continue;
                }
                case RdbConst.OP_EXPIRETIME_MS -> {
                    expire = in.le(8);
                    continue;
                }
                case RdbConst.OP_FREQ -> {
                    freq = in.u8();
                    continue;
                }
                case RdbConst.OP_IDLE -> {
                    idle = length();
                    continue;
                }
                case RdbConst.OP_EOF -> {
                    long computed = in.crc();
                    if (version >= 5) {
                        long stored = in.le(8);
                        if (verifyChecksum && stored != 0 && stored != computed) {
                            throw new RdbFormatException(in.offset() - 8, String.format(
                                    "RDB CRC error: stored %016x, computed %016x", stored, computed));
                        }
                    }
                    if (in.remaining() > 0) l.skipped(in.remaining() + " bytes after the end marker");
                    l.progress(in.length(), in.length());
                    return;
                }
                case RdbConst.OP_SELECTDB -> {
                    long n = length();
                    if (n > Integer.MAX_VALUE) throw new RdbFormatException(at, "bad database number " + n);
                    db = (int) n;
                    l.selectDb(db);
                    continue;
                }
                case RdbConst.OP_RESIZEDB -> {
                    long a = length();
                    long b = length();
                    l.resizeDb(a, b);
                    continue;
                }
                case RdbConst.OP_SLOT_INFO -> {
                    length();
                    length();
                    length();
                    continue;
                }
                case RdbConst.OP_AUX -> {
                    byte[] k = string();
                    byte[] v = string();
                    l.aux(new String(k, StandardCharsets.UTF_8), v);
                    continue;
                }
                case RdbConst.OP_MODULE_AUX -> {
                    long moduleId = length();
                    long whenOp = length();
                    length(); // when
                    if (whenOp != 2) throw in.error("bad module aux 'when' opcode " + whenOp);
                    skipModuleValue();
                    l.skipped("module aux data of module " + moduleName(moduleId));
                    continue;
                }
                case RdbConst.OP_FUNCTION2 -> {
                    l.function(string(), at);
                    continue;
                }
                case RdbConst.OP_FUNCTION_PRE_GA -> throw new RdbFormatException(at,
                        "pre-release function library format (Redis 7.0 RC) is not supported");
                default -> {
                }
            }
            byte[] key = string();
            Object value = value(type, at);
            l.key(db, key, value, expire, idle, freq, at);
            expire = 0;
            idle = -1;
            freq = -1;
        }
    }

    /** A DUMP payload: type byte + value, then version and CRC (already checked by the caller). */
    public Object readPayloadValue(int payloadVersion) throws IOException {
        version = payloadVersion;
        int type = in.u8();
        return value(type, 0);
    }

    private static String moduleName(long id) {
        // The 64-bit id holds 9 chars of 6 bits (name) then a 10-bit encoding version.
        String cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder sb = new StringBuilder();
        long name = id >>> 10;
        for (int i = 8; i >= 0; i--) sb.append(cs.charAt((int) ((name >>> (6 * i)) & 63)));
        return sb + " (version " + (id & 1023) + ")";
    }

    // ------------------------------------------------------------------ primitives

    private static final long ENCODED = Long.MIN_VALUE;

    /** A length, or ENCODED|special-type for the 11xxxxxx form. */
    private long rawLength() throws IOException {
        int b = in.u8();
        switch (b >>> 6) {
            case 0:
                return b & 0x3F;
            case 1:
                return ((b & 0x3F) << 8) | in.u8();
            case 2:
                if (b == 0x80) return in.be(4);
                if (b == 0x81) {
                    long v = in.be(8);
                    if (v < 0) throw in.error("length out of range");
                    return v;
                }
                throw in.error("bad length encoding 0x" + Integer.toHexString(b));
            default:
                return ENCODED | (b & 0x3F);
        }
    }

    long length() throws IOException {
        long n = rawLength();
        if (n < 0) throw in.error("encoded value where a length was expected");
        return n;
    }

    /** A length that will size a collection: it cannot exceed the bytes left (each item takes one at least). */
    private int count() throws IOException {
        long n = length();
        if (n > in.remaining()) throw in.error("element count " + n + " exceeds the " + in.remaining() + " bytes left");
        return (int) n;
    }

    byte[] string() throws IOException {
        long n = rawLength();
        if (n >= 0) return in.bytes(n);
        int enc = (int) (n & 0x3F);
        switch (enc) {
            case 0:
                return RdbStrings.ofLong((byte) in.u8());
            case 1:
                return RdbStrings.ofLong((short) in.le(2));
            case 2:
                return RdbStrings.ofLong((int) in.le(4));
            case 3: {
                long clen = length();
                long ulen = length();
                if (clen > in.remaining()) throw in.error("compressed length " + clen + " exceeds the bytes left");
                // LZF expands at most ~256x per back-reference: a larger claim is a lie.
                if (ulen > clen * 300L + 64 || ulen > Integer.MAX_VALUE - 16) {
                    throw in.error("implausible uncompressed length " + ulen + " for " + clen + " compressed bytes");
                }
                long at = in.offset();
                byte[] c = in.bytes(clen);
                byte[] out = Lzf.decompress(c, (int) ulen);
                if (out == null) throw new RdbFormatException(at, "invalid LZF compressed string");
                return out;
            }
            default:
                throw in.error("unknown string encoding " + enc);
        }
    }

    private double binaryDouble() throws IOException {
        return Double.longBitsToDouble(in.le(8));
    }

    /** The old zset score: 1-byte length then text; 253 nan, 254 +inf, 255 -inf. */
    private double textDouble() throws IOException {
        int len = in.u8();
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> {
                double d = RdbStrings.parseDouble(in.bytes(len));
                if (Double.isNaN(d)) throw in.error("bad score text");
                yield d;
            }
        };
    }

    private byte[] blob() throws IOException {
        return string();
    }

    private RdbFormatException bad(long at, Packed.BadBlob e) {
        return new RdbFormatException(at, e.getMessage());
    }

    // ------------------------------------------------------------------ values

    private Object value(int type, long at) throws IOException {
        long valueAt = in.offset();
        try {
            switch (type) {
                case RdbConst.T_STRING:
                    return string();
                case RdbConst.T_LIST: {
                    int n = count();
                    List<byte[]> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) l.add(string());
                    return nonEmpty(new RdbValue.ListVal(l), at);
                }
                case RdbConst.T_SET: {
                    int n = count();
                    List<byte[]> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) l.add(string());
                    return nonEmpty(new RdbValue.SetVal(l), at);
                }
                case RdbConst.T_ZSET:
                case RdbConst.T_ZSET_2: {
                    int n = count();
                    List<byte[]> m = new ArrayList<>(n);
                    double[] s = new double[n];
                    for (int i = 0; i < n; i++) {
                        m.add(string());
                        s[i] = type == RdbConst.T_ZSET_2 ? binaryDouble() : textDouble();
                        if (Double.isNaN(s[i])) throw in.error("zset score is NaN");
                    }
                    return nonEmpty(new RdbValue.ZSetVal(m, s), at);
                }
                case RdbConst.T_HASH: {
                    int n = count();
                    List<byte[]> f = new ArrayList<>(n);
                    List<byte[]> v = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        f.add(string());
                        v.add(string());
                    }
                    return nonEmpty(new RdbValue.HashVal(f, v, null), at);
                }
                case RdbConst.T_HASH_ZIPMAP: {
                    List<byte[]> f = new ArrayList<>();
                    List<byte[]> v = new ArrayList<>();
                    Packed.zipmap(blob(), f, v);
                    return nonEmpty(new RdbValue.HashVal(f, v, null), at);
                }
                case RdbConst.T_LIST_ZIPLIST:
                    return nonEmpty(new RdbValue.ListVal(Packed.ziplist(blob())), at);
                case RdbConst.T_SET_INTSET:
                    return nonEmpty(new RdbValue.SetVal(Packed.intset(blob())), at);
                case RdbConst.T_SET_LISTPACK:
                    return nonEmpty(new RdbValue.SetVal(Packed.listpack(blob())), at);
                case RdbConst.T_ZSET_ZIPLIST:
                    return pairsToZset(Packed.ziplist(blob()), at);
                case RdbConst.T_ZSET_LISTPACK:
                    return pairsToZset(Packed.listpack(blob()), at);
                case RdbConst.T_HASH_ZIPLIST:
                    return pairsToHash(Packed.ziplist(blob()), at);
                case RdbConst.T_HASH_LISTPACK:
                    return pairsToHash(Packed.listpack(blob()), at);
                case RdbConst.T_LIST_QUICKLIST:
                case RdbConst.T_LIST_QUICKLIST_2: {
                    int nodes = count();
                    List<byte[]> l = new ArrayList<>();
                    for (int i = 0; i < nodes; i++) {
                        long container = type == RdbConst.T_LIST_QUICKLIST ? 2 : length();
                        byte[] b = blob();
                        if (container == 1) {
                            l.add(b);
                        } else if (container == 2) {
                            List<byte[]> part = type == RdbConst.T_LIST_QUICKLIST ? Packed.ziplist(b) : Packed.listpack(b);
                            // Redis skips an empty node (older versions could leave one); an all-empty list is refused below.
                            l.addAll(part);
                        } else {
                            throw in.error("bad quicklist container " + container);
                        }
                    }
                    return nonEmpty(new RdbValue.ListVal(l), at);
                }
                case RdbConst.T_STREAM_LISTPACKS:
                case RdbConst.T_STREAM_LISTPACKS_2:
                case RdbConst.T_STREAM_LISTPACKS_3:
                    return stream(type);
                case RdbConst.T_MODULE_2: {
                    long id = length();
                    skipModuleValue();
                    throw new RdbFormatException(at, "module value of module " + moduleName(id) + " cannot be loaded");
                }
                case RdbConst.T_MODULE:
                    throw new RdbFormatException(at, "module value (pre-4.0 format) cannot be loaded");
                default:
                    throw new RdbFormatException(at, "unknown RDB value type " + type);
            }
        } catch (Packed.BadBlob e) {
            throw bad(valueAt, e);
        }
    }

    private RdbValue nonEmpty(RdbValue v, long at) throws RdbFormatException {
        if (v.size() == 0) throw new RdbFormatException(at, "empty " + v.typeName() + " value");
        return v;
    }

    private RdbValue pairsToZset(List<byte[]> items, long at) throws IOException {
        if ((items.size() & 1) != 0) throw new RdbFormatException(at, "zset blob with an odd number of entries");
        int n = items.size() / 2;
        List<byte[]> m = new ArrayList<>(n);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            m.add(items.get(2 * i));
            s[i] = RdbStrings.parseDouble(items.get(2 * i + 1));
            if (Double.isNaN(s[i])) throw new RdbFormatException(at, "zset blob score is not a number");
        }
        return nonEmpty(new RdbValue.ZSetVal(m, s), at);
    }

    private RdbValue pairsToHash(List<byte[]> items, long at) throws IOException {
        if ((items.size() & 1) != 0) throw new RdbFormatException(at, "hash blob with an odd number of entries");
        int n = items.size() / 2;
        List<byte[]> f = new ArrayList<>(n);
        List<byte[]> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            f.add(items.get(2 * i));
            v.add(items.get(2 * i + 1));
        }
        return nonEmpty(new RdbValue.HashVal(f, v, null), at);
    }

    /** Module data in the self-describing opcode form: (opcode, value)* then EOF (0). */
    private void skipModuleValue() throws IOException {
        while (true) {
            long op = length();
            switch ((int) op) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> length();
                case 3 -> in.skip(4);
                case 4 -> in.skip(8);
                case 5 -> string();
                default -> throw in.error("bad module data opcode " + op);
            }
        }
    }

    // ------------------------------------------------------------------ streams

    private StreamId rawId(byte[] b, int off) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) ms = (ms << 8) | (b[off + i] & 0xff);
        for (int i = 0; i < 8; i++) seq = (seq << 8) | (b[off + 8 + i] & 0xff);
        return new StreamId(ms, seq);
    }

    private StreamId lenId() throws IOException {
        return new StreamId(u64(), u64());
    }

    /** An unsigned 64-bit stream field written as an RDB length. */
    private long u64() throws IOException {
        int b = in.u8();
        return switch (b >>> 6) {
            case 0 -> b & 0x3F;
            case 1 -> ((b & 0x3F) << 8) | in.u8();
            case 2 -> {
                if (b == 0x80) yield in.be(4);
                if (b == 0x81) yield in.be(8);
                throw in.error("bad length encoding 0x" + Integer.toHexString(b));
            }
            default -> throw in.error("encoded value where a length was expected");
        };
    }

    private RdbValue stream(int type) throws IOException, Packed.BadBlob {
        int nodes = count();
        List<StreamEntry> entries = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            long at = in.offset();
            byte[] nodeKey = string();
            if (nodeKey.length != 16) throw new RdbFormatException(at, "stream node key is not a 128-bit id");
            StreamId master = rawId(nodeKey, 0);
            at = in.offset();
            List<byte[]> lp = Packed.listpack(string());
            if (lp.isEmpty()) throw new RdbFormatException(at, "empty stream listpack");
            try {
                streamNode(master, lp, entries);
            } catch (RuntimeException e) {
                throw new RdbFormatException(at, "malformed stream listpack (" + e.getMessage() + ")");
            }
        }
        long length = length();
        StreamId last = lenId();
        StreamId first = null;
        StreamId maxDel = null;
        long added = -1;
        if (type >= RdbConst.T_STREAM_LISTPACKS_2) {
            first = lenId();
            maxDel = lenId();
            added = u64();
        }
        int ngroups = count();
        List<StreamGroup> groups = new ArrayList<>(ngroups);
        for (int g = 0; g < ngroups; g++) {
            byte[] name = string();
            StreamId gl = lenId();
            long read = type >= RdbConst.T_STREAM_LISTPACKS_2 ? u64() : -1;
            int npel = count();
            List<StreamPending> pel = new ArrayList<>(npel);
            for (int i = 0; i < npel; i++) {
                byte[] id = in.bytes(16);
                long time = in.le(8);
                long deliveries = length();
                pel.add(new StreamPending(rawId(id, 0), time, deliveries));
            }
            int ncons = count();
            List<StreamConsumer> cons = new ArrayList<>(ncons);
            for (int c = 0; c < ncons; c++) {
                byte[] cname = string();
                long seen = in.le(8);
                long active = type >= RdbConst.T_STREAM_LISTPACKS_3 ? in.le(8) : seen;
                int n = count();
                List<StreamId> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) ids.add(rawId(in.bytes(16), 0));
                cons.add(new StreamConsumer(cname, seen, active, ids));
            }
            groups.add(new StreamGroup(name, gl, read, pel, cons));
        }
        return new RdbValue.StreamVal(entries, length, last, first, maxDel, added, groups);
    }

    private static long num(byte[] b) {
        long v = RdbStrings.parseCanonical(b);
        if (v == RdbStrings.NOT_INT) throw new IllegalStateException("expected an integer");
        return v;
    }

    /**
     * One stream listpack: a master entry (count, deleted, field count, fields..., 0) then entries
     * (flags, ms delta, seq delta, [values of the master fields | field count, field/value...],
     * entry element count). Flag 1 = deleted, 2 = same fields as the master.
     */
    private static void streamNode(StreamId master, List<byte[]> lp, List<StreamEntry> out) {
        int p = 0;
        long count = num(lp.get(p++));
        long deleted = num(lp.get(p++));
        int nmf = (int) num(lp.get(p++));
        byte[][] mfields = new byte[nmf][];
        for (int i = 0; i < nmf; i++) mfields[i] = lp.get(p++);
        if (num(lp.get(p++)) != 0) throw new IllegalStateException("bad master entry terminator");
        long seen = 0;
        while (p < lp.size()) {
            int flags = (int) num(lp.get(p++));
            long ms = master.ms() + num(lp.get(p++));
            long seq = master.seq() + num(lp.get(p++));
            byte[][] f;
            byte[][] v;
            if ((flags & 2) != 0) {
                f = mfields;
                v = new byte[nmf][];
                for (int i = 0; i < nmf; i++) v[i] = lp.get(p++);
            } else {
                int n = (int) num(lp.get(p++));
                if (n < 0 || n > lp.size()) throw new IllegalStateException("bad field count");
                f = new byte[n][];
                v = new byte[n][];
                for (int i = 0; i < n; i++) {
                    f[i] = lp.get(p++);
                    v[i] = lp.get(p++);
                }
            }
            p++; // lp-count, for backward iteration
            seen++;
            if ((flags & 1) == 0) out.add(new StreamEntry(new StreamId(ms, seq), f, v));
        }
        if (seen != count + deleted) throw new IllegalStateException("entry count mismatch");
    }
}
