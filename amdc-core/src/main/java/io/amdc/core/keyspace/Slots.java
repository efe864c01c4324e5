package io.amdc.core.keyspace;

/** Hash slots as Redis Cluster defines them: CRC16(key or its {hash tag}) mod 16384. */
public final class Slots {
    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];
    /**
     * Two bytes per step ("slicing by 2"): CRC is linear, so the second byte's lookup no longer
     * waits for the first. PAIR[a] is the CRC state two steps after index a entered, low byte zero.
     */
    private static final int[] PAIR = new int[256];

    static {
        // CRC16-CCITT (XModem): polynomial 0x1021, init 0.
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
        for (int a = 0; a < 256; a++) {
            int t = TABLE[a];
            PAIR[a] = ((t & 0xff) << 8) ^ TABLE[t >>> 8];
        }
    }

    private Slots() {
    }

    public static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            crc = PAIR[((crc >>> 8) ^ b[i]) & 0xff] ^ TABLE[(crc ^ b[i + 1]) & 0xff];
        }
        if (i < to) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        return crc;
    }

    public static int slot(byte[] key) {
        int n = key.length;
        int open = -1;
        for (int i = 0; i < n; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int j = open + 1; j < n; j++) {
                if (key[j] == '}') {
                    if (j > open + 1) return crc16(key, open + 1, j) & (COUNT - 1);
                    break;
                }
            }
        }
        return crc16(key, 0, n) & (COUNT - 1);
    }
}
