package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.util.Arrays;

/**
 * Bit commands over string values (Redis's bitops.c). Bit 0 is the most significant bit of byte 0.
 * Writes grow the byte[] when needed and otherwise edit it in place: a string value is owned by
 * exactly one key, so no copy is needed per SETBIT.
 */
final class BitmapFamily {
    private BitmapFamily() {
    }

    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    static void declare(CommandTable t) {
        t.add("setbit", 4, "write denyoom", "@bitmap", 1, 1, 1, BitmapFamily::setbit)
                .doc("Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.", "2.2.0", "bitmap", "O(1)");
        t.add("getbit", 3, "readonly fast", "@bitmap", 1, 1, 1, BitmapFamily::getbit)
                .doc("Returns a bit value by offset.", "2.2.0", "bitmap", "O(1)");
        t.add("bitcount", -2, "readonly", "@bitmap", 1, 1, 1, BitmapFamily::bitcount)
                .doc("Counts the number of set bits (population counting) in a string.", "2.6.0", "bitmap", "O(N)");
        t.add("bitpos", -3, "readonly", "@bitmap", 1, 1, 1, BitmapFamily::bitpos)
                .doc("Finds the first set (1) or clear (0) bit in a string.", "2.8.7", "bitmap", "O(N)");
        t.add("bitop", -4, "write denyoom", "@bitmap", 2, -1, 1, BitmapFamily::bitop)
                .doc("Performs bitwise operations on multiple strings, and stores the result.", "2.6.0", "bitmap", "O(N)");
        t.add("bitfield", -2, "write denyoom", "@bitmap", 1, 1, 1, (c, a) -> bitfield(c, a, false))
                .doc("Performs arbitrary bitfield integer operations on strings.", "3.2.0", "bitmap", "O(1) for each subcommand specified");
        t.add("bitfield_ro", -2, "readonly fast", "@bitmap", 1, 1, 1, (c, a) -> bitfield(c, a, true))
                .doc("Performs arbitrary read-only bitfield integer operations on strings.", "6.0.0", "bitmap", "O(1) for each subcommand specified");
    }

    /** The string at key, null when absent, WRONGTYPE for other types. */
    private static byte[] lookup(Db db, byte[] key) {
        Object v = db.get(key);
        if (v != null && !(v instanceof byte[])) throw CommandError.wrongType();
        return (byte[]) v;
    }

    /** Parses a bit offset; with {@code hash} "#n" means n * bits. Limited by proto-max-bulk-len bytes. */
    private static long bitOffset(Client c, byte[] arg, boolean allowHash, int bits) {
        boolean hash = allowHash && arg.length > 0 && arg[0] == '#';
        byte[] num = hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg;
        long v = Bytes.toLong(num, BAD_OFFSET);
        if (hash) {
            try {
                v = Math.multiplyExact(v, bits);
            } catch (ArithmeticException e) {
                throw new CommandError(BAD_OFFSET);
            }
        }
        if (v < 0 || (v >> 3) >= c.engine().config().getLong("proto-max-bulk-len")) throw new CommandError(BAD_OFFSET);
        return v;
    }

    static void setbit(Client c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], false, 0);
        byte[] bitArg = argv[3];
        if (bitArg.length != 1 || (bitArg[0] != '0' && bitArg[0] != '1')) {
            throw new CommandError("ERR bit is not an integer or out of range");
        }
        Db db = c.db();
        byte[] existing = lookup(db, argv[1]);
        byte[] v = grow(db, argv[1], existing, (int) (offset >> 3) + 1);
        int idx = (int) (offset >> 3);
        int mask = 0x80 >>> (offset & 7);
        int old = (v[idx] & mask) != 0 ? 1 : 0;
        if (bitArg[0] == '1') v[idx] |= (byte) mask;
        else v[idx] &= (byte) ~mask;
        // Small strings are read as copies of their packed cell: store the edited array back.
        db.update(argv[1], v);
        // Like Redis, announced when the string was created or grown, or the bit changed.
        if (v != existing || old != bitArg[0] - '0') c.engine().notifications().notify(c, Notifications.STRING, "setbit", argv[1]);
        c.out().integer(old);
    }

    /** Returns a value at least {@code bytes} long, storing a new or grown array under key if needed. */
    private static byte[] grow(Db db, byte[] key, byte[] v, int bytes) {
        if (v != null && v.length >= bytes) return v;
        byte[] n = v == null ? new byte[bytes] : Arrays.copyOf(v, bytes);
        db.update(key, n);
        return n;
    }

    static void getbit(Client c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], false, 0);
        byte[] v = lookup(c.db(), argv[1]);
        long idx = offset >> 3;
        int bit = v != null && idx < v.length && (v[(int) idx] & (0x80 >>> (offset & 7))) != 0 ? 1 : 0;
        c.out().integer(bit);
    }

    /** Resolves [start end] (possibly negative) against len; returns null when the range is empty. */
    private static long[] range(long start, long end, long len, boolean invertedNegativeIsEmpty) {
        if (invertedNegativeIsEmpty && start < 0 && end < 0 && start > end) return null;
        if (start < 0) start = Math.max(0, len + start);
        if (end < 0) end = Math.max(0, len + end);
        if (end >= len) end = len - 1;
        if (start > end || len == 0) return null;
        return new long[]{start, end};
    }

    /** True for BIT, false for BYTE, syntax error otherwise. */
    private static boolean bitUnit(byte[] a) {
        if (Bytes.eqIgnoreCase(a, "BIT")) return true;
        if (Bytes.eqIgnoreCase(a, "BYTE")) return false;
        throw CommandError.syntax();
    }

    static void bitcount(Client c, byte[][] argv) {
        byte[] v = lookup(c.db(), argv[1]);
        // Redis 7.x answers 0 for a missing key before looking at the other arguments.
        if (v == null) {
            c.out().integer(0);
            return;
        }
        long firstBit = 0;
        long lastBit = (long) v.length * 8 - 1;
        if (argv.length == 4 || argv.length == 5) {
            long start = Bytes.toLong(argv[2]);
            long end = Bytes.toLong(argv[3]);
            boolean bit = argv.length == 5 && bitUnit(argv[4]);
            long[] r = range(start, end, bit ? (long) v.length * 8 : v.length, true);
            if (r == null) {
                c.out().integer(0);
                return;
            }
            firstBit = bit ? r[0] : r[0] * 8;
            lastBit = bit ? r[1] : r[1] * 8 + 7;
        } else if (argv.length != 2) {
            throw CommandError.syntax();
        }
        c.out().integer(countBits(v, firstBit, lastBit));
    }

    private static long countBits(byte[] v, long firstBit, long lastBit) {
        if (lastBit < firstBit) return 0;
        int fb = (int) (firstBit >> 3);
        int lb = (int) (lastBit >> 3);
        long n = 0;
        if (fb == lb) {
            int mask = (0xFF >>> (firstBit & 7)) & (0xFF << (7 - (lastBit & 7)));
            return Integer.bitCount(v[fb] & mask & 0xFF);
        }
        n += Integer.bitCount(v[fb] & (0xFF >>> (firstBit & 7)));
        n += Integer.bitCount(v[lb] & (0xFF << (7 - (lastBit & 7))) & 0xFF);
        int i = fb + 1;
        for (; i + 8 <= lb; i += 8) n += Long.bitCount(longAt(v, i));
        for (; i < lb; i++) n += Integer.bitCount(v[i] & 0xFF);
        return n;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private static long longAt(byte[] v, int i) {
        return (long) LONGS.get(v, i);
    }

    static void bitpos(Client c, byte[][] argv) {
        long bitArg = Bytes.toLong(argv[2]);
        if (bitArg != 0 && bitArg != 1) throw new CommandError("ERR The bit argument must be 1 or 0.");
        int bit = (int) bitArg;
        byte[] v = lookup(c.db(), argv[1]);
        // Redis 7.x answers for a missing key before looking at the range arguments.
        if (v == null) {
            c.out().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (argv.length > 6) throw CommandError.syntax();
        boolean endGiven = argv.length >= 5;
        long start = argv.length >= 4 ? Bytes.toLong(argv[3]) : 0;
        long end = endGiven ? Bytes.toLong(argv[4]) : -1;
        boolean bitMode = argv.length == 6 && bitUnit(argv[5]);
        long len = bitMode ? (long) v.length * 8 : v.length;
        // unlike BITCOUNT, BITPOS has no early exit for an inverted negative range: it clamps first
        long[] r = range(start, end, len, false);
        if (r == null) {
            c.out().integer(-1);
            return;
        }
        long firstBit = bitMode ? r[0] : r[0] * 8;
        long lastBit = bitMode ? r[1] : r[1] * 8 + 7;
        long pos = findBit(v, firstBit, lastBit, bit);
        if (pos < 0 && bit == 0 && !endGiven) pos = lastBit + 1; // clear bits past the end, as Redis pads
        c.out().integer(pos);
    }

    private static long findBit(byte[] v, long firstBit, long lastBit, int bit) {
        long p = firstBit;
        // bit by bit up to a byte boundary, then whole bytes, then the tail
        while (p <= lastBit && (p & 7) != 0) {
            if (bitAt(v, p) == bit) return p;
            p++;
        }
        int skip = bit == 1 ? 0 : 0xFF;
        while (p + 7 <= lastBit && (v[(int) (p >> 3)] & 0xFF) == skip) p += 8;
        while (p <= lastBit) {
            if (bitAt(v, p) == bit) return p;
            p++;
        }
        return -1;
    }

    private static int bitAt(byte[] v, long p) {
        int idx = (int) (p >> 3);
        if (idx >= v.length) return 0;
        return (v[idx] >>> (7 - (p & 7))) & 1;
    }

    static void bitop(Client c, byte[][] argv) {
        byte[] op = argv[1];
        int kind;
        if (Bytes.eqIgnoreCase(op, "AND")) kind = 0;
        else if (Bytes.eqIgnoreCase(op, "OR")) kind = 1;
        else if (Bytes.eqIgnoreCase(op, "XOR")) kind = 2;
        else if (Bytes.eqIgnoreCase(op, "NOT")) kind = 3;
        else throw CommandError.syntax();
        if (kind == 3 && argv.length != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        Db db = c.db();
        int n = argv.length - 3;
        byte[][] src = new byte[n][];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            byte[] v = lookup(db, argv[3 + i]);
            src[i] = v == null ? EMPTY : v;
            maxLen = Math.max(maxLen, src[i].length);
        }
        if (maxLen == 0) {
            if (db.delete(argv[2])) c.engine().notifications().notify(c, Notifications.GENERIC, "del", argv[2]);
            c.out().integer(0);
            return;
        }
        byte[] res = new byte[maxLen];
        if (kind == 3) {
            for (int j = 0; j < maxLen; j++) res[j] = (byte) ~src[0][j];
        } else {
            System.arraycopy(src[0], 0, res, 0, src[0].length);
            for (int i = 1; i < n; i++) {
                byte[] s = src[i];
                for (int j = 0; j < maxLen; j++) {
                    byte b = j < s.length ? s[j] : 0;
                    if (kind == 0) res[j] &= b;
                    else if (kind == 1) res[j] |= b;
                    else res[j] ^= b;
                }
            }
        }
        db.set(argv[2], res);
        c.engine().notifications().notify(c, Notifications.STRING, "set", argv[2]);
        c.out().integer(maxLen);
    }

    private static final byte[] EMPTY = new byte[0];

    private static final int OP_GET = 0;
    private static final int OP_SET = 1;
    private static final int OP_INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    /** One parsed BITFIELD operation. */
    private record FieldOp(int op, boolean signed, int bits, long offset, long value, int overflow) {
    }

    static void bitfield(Client c, byte[][] argv, boolean readOnly) {
        FieldOp[] ops = new FieldOp[argv.length];
        int count = 0;
        int overflow = WRAP;
        boolean writes = false;
        long highestByte = -1;
        for (int i = 2; i < argv.length; i++) {
            byte[] a = argv[i];
            int left = argv.length - i - 1;
            int op;
            if (Bytes.eqIgnoreCase(a, "GET") && left >= 2) op = OP_GET;
            else if (Bytes.eqIgnoreCase(a, "SET") && left >= 3) op = OP_SET;
            else if (Bytes.eqIgnoreCase(a, "INCRBY") && left >= 3) op = OP_INCRBY;
            else if (Bytes.eqIgnoreCase(a, "OVERFLOW") && left >= 1) {
                byte[] o = argv[++i];
                if (Bytes.eqIgnoreCase(o, "WRAP")) overflow = WRAP;
                else if (Bytes.eqIgnoreCase(o, "SAT")) overflow = SAT;
                else if (Bytes.eqIgnoreCase(o, "FAIL")) overflow = FAIL;
                else throw new CommandError("ERR Invalid OVERFLOW type specified");
                continue;
            } else {
                throw CommandError.syntax();
            }
            byte[] type = argv[i + 1];
            boolean signed;
            int bits;
            if (type.length >= 2 && (type[0] == 'i' || type[0] == 'u')) {
                signed = type[0] == 'i';
                long b = Bytes.toLong(Arrays.copyOfRange(type, 1, type.length), BAD_TYPE);
                if (b < 1 || (signed && b > 64) || (!signed && b > 63)) throw new CommandError(BAD_TYPE);
                bits = (int) b;
            } else {
                throw new CommandError(BAD_TYPE);
            }
            long offset = bitOffset(c, argv[i + 2], true, bits);
            long value = 0;
            if (op != OP_GET) {
                value = Bytes.toLong(argv[i + 3]);
                i += 3;
                writes = true;
                highestByte = Math.max(highestByte, (offset + bits - 1) >> 3);
            } else {
                i += 2;
            }
            ops[count++] = new FieldOp(op, signed, bits, offset, value, overflow);
        }
        if (readOnly && writes) throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        Db db = c.db();
        byte[] v = lookup(db, argv[1]);
        // Any write op creates/extends the string to cover every written field, even ones that FAIL.
        if (writes) v = grow(db, argv[1], v, (int) highestByte + 1);
        c.out().array(count);
        boolean changed = false;
        for (int k = 0; k < count; k++) {
            FieldOp f = ops[k];
            long raw = v == null ? 0 : readBits(v, f.offset, f.bits);
            long cur = f.signed ? signExtend(raw, f.bits) : raw;
            if (f.op == OP_GET) {
                c.out().integer(cur);
                continue;
            }
            long target;
            boolean over;
            long wrapped;
            if (f.op == OP_SET) {
                wrapped = f.value;
                // an unsigned field takes the value as unsigned 64-bit: negatives overflow upwards
                over = f.signed ? !fits(f.value, true, f.bits) : Long.compareUnsigned(f.value, max(false, f.bits)) > 0;
                target = f.value;
            } else {
                wrapped = cur + f.value;
                long sum;
                try {
                    sum = Math.addExact(cur, f.value);
                    over = !fits(sum, f.signed, f.bits);
                    target = sum;
                } catch (ArithmeticException e) {
                    over = true;
                    target = f.value > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
                }
            }
            long store;
            if (!over) {
                store = target;
            } else if (f.overflow == FAIL) {
                c.out().nullBulk();
                continue;
            } else if (f.overflow == WRAP) {
                store = f.signed ? signExtend(wrapped & mask(f.bits), f.bits) : wrapped & mask(f.bits);
            } else {
                boolean up = f.op == OP_SET && !f.signed || f.value > 0;
                store = up ? max(f.signed, f.bits) : min(f.signed, f.bits);
            }
            writeBits(v, f.offset, f.bits, store);
            changed = true;
            c.out().integer(f.op == OP_SET ? cur : store);
        }
        if (changed) {
            // Small strings are read as copies of their packed cell: store the edited array back.
            db.update(argv[1], v);
            c.engine().notifications().notify(c, Notifications.STRING, "setbit", argv[1]);
        }
    }

    private static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    private static long max(boolean signed, int bits) {
        return signed ? (bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1) : (1L << bits) - 1;
    }

    private static long min(boolean signed, int bits) {
        return signed ? (bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1))) : 0;
    }

    private static boolean fits(long v, boolean signed, int bits) {
        return v >= min(signed, bits) && v <= max(signed, bits);
    }

    private static long signExtend(long raw, int bits) {
        return bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
    }

    private static long readBits(byte[] v, long offset, int bits) {
        long r = 0;
        for (int j = 0; j < bits; j++) r = (r << 1) | bitAt(v, offset + j);
        return r;
    }

    private static void writeBits(byte[] v, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long p = offset + j;
            int idx = (int) (p >> 3);
            int m = 0x80 >>> (p & 7);
            if (((value >>> (bits - 1 - j)) & 1) != 0) v[idx] |= (byte) m;
            else v[idx] &= (byte) ~m;
        }
    }
}
