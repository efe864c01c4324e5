package io.amdc.persist.rdb;

/**
 * LZF, the compression of RDB strings. Format: a control byte below 32 starts a literal run of
 * ctrl+1 bytes; otherwise its top 3 bits are the match length - 2 (7 means an extra length byte
 * follows) and its low 5 bits with the next byte the back-reference distance - 1 (up to 8191).
 */
public final class Lzf {
    private static final int HASH_BITS = 14;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    private static final class HashState {
        final int[] htab = new int[1 << HASH_BITS];
        int base = 1;
    }

    private static final ThreadLocal<HashState> STATE = ThreadLocal.withInitial(HashState::new);

    /** Decompresses exactly {@code outLen} bytes; null when the data is malformed. */
    public static byte[] decompress(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        int n = in.length;
        while (ip < n) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int len = ctrl + 1;
                if (op + len > outLen || ip + len > n) return null;
                System.arraycopy(in, ip, out, op, len);
                ip += len;
                op += len;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= n) return null;
                    len += in[ip++] & 0xff;
                }
                if (ip >= n) return null;
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLen) return null;
                for (int k = 0; k < len; k++) out[op++] = out[ref++];
            }
        }
        return op == outLen ? out : null;
    }

    /**
     * Compresses {@code in}; returns the compressed bytes, or null when they would not be at
     * least 4 bytes smaller (then the string is stored plain, as Redis does).
     */
    public static byte[] compress(byte[] in) {
        int n = in.length;
        int limit = n - 4;
        if (limit <= 0) return null;
        byte[] out = new byte[limit + 3];
        // The hash table is reused per thread: entries of earlier calls are told apart by a base
        // that grows with every call, so there is neither a 64 KB allocation nor a fill per string.
        HashState st = STATE.get();
        if (st.base > Integer.MAX_VALUE - n - 2) {
            java.util.Arrays.fill(st.htab, 0);
            st.base = 1;
        }
        int[] htab = st.htab;
        int base = st.base;
        st.base += n + 1;
        int ip = 0;
        int litStart = 0;
        int lit = 0;
        int op = 1;
        while (ip + 2 < n) {
            int h = (((in[ip] & 0xff) << 16 | (in[ip + 1] & 0xff) << 8 | (in[ip + 2] & 0xff)) * 0x9E3779B1) >>> (32 - HASH_BITS);
            int v = htab[h];
            int ref = v >= base ? v - base : -1;
            htab[h] = base + ip;
            int off = ip - ref - 1;
            if (ref >= 0 && off < MAX_OFF && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int max = Math.min(MAX_REF, n - ip);
                int len = 3;
                while (len < max && in[ref + len] == in[ip + len]) len++;
                if (op + 3 > limit) return null;
                if (lit > 0) out[litStart] = (byte) (lit - 1);
                else op--;
                int l = len - 2;
                if (l < 7) {
                    out[op++] = (byte) ((l << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (l - 7);
                }
                out[op++] = (byte) off;
                ip += len;
                litStart = op++;
                lit = 0;
            } else {
                if (op >= limit) return null;
                out[op++] = in[ip++];
                if (++lit == 32) {
                    out[litStart] = 31;
                    litStart = op++;
                    lit = 0;
                }
            }
        }
        while (ip < n) {
            if (op >= limit) return null;
            out[op++] = in[ip++];
            if (++lit == 32) {
                out[litStart] = 31;
                litStart = op++;
                lit = 0;
            }
        }
        if (lit > 0) out[litStart] = (byte) (lit - 1);
        else op--;
        if (op >= limit) return null;
        return java.util.Arrays.copyOf(out, op);
    }
}
