package io.amdc.persist.rdb;

/**
 * CRC-64 as Redis uses it for RDB files and DUMP payloads: the Jones polynomial
 * (0xad93d23594c935a9, processed reflected as 0x95ac9329ac4bc9b5), initial value 0, no final xor.
 * Check value: crc64("123456789") == 0xe9c6d914c4b8d9caL. Slicing-by-8 tables for speed.
 */
public final class Crc64 {
    private static final long POLY = 0x95ac9329ac4bc9b5L;
    private static final long[][] T = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            T[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            for (int t = 1; t < 8; t++) T[t][i] = T[0][(int) (T[t - 1][i] & 0xff)] ^ (T[t - 1][i] >>> 8);
        }
    }

    private Crc64() {
    }

    public static long update(long crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            long x = crc ^ ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56);
            crc = T[7][(int) (x & 0xff)] ^ T[6][(int) ((x >>> 8) & 0xff)] ^ T[5][(int) ((x >>> 16) & 0xff)]
                    ^ T[4][(int) ((x >>> 24) & 0xff)] ^ T[3][(int) ((x >>> 32) & 0xff)] ^ T[2][(int) ((x >>> 40) & 0xff)]
                    ^ T[1][(int) ((x >>> 48) & 0xff)] ^ T[0][(int) (x >>> 56)];
            i += 8;
        }
        for (; i < end; i++) crc = T[0][(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        return crc;
    }

    public static long of(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }
}
