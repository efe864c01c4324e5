package io.amdc.server.families;

import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Random sequences of string and bitmap commands over a small keyspace, sent to AMDC and
 * redis-server; every reply must be byte-identical. The seed is in the failure message.
 */
class StringBitmapRandomDifferentialTest {
    private static final int OPS = 2000;

    @Test
    void randomOpsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        long seed = System.nanoTime();
        Random r = new Random(seed);
        String prefix = "r" + seed + ":";
        try (Differential d = new Differential()) {
            for (int i = 0; i < OPS; i++) {
                Object[] cmd = randomCommand(r, prefix);
                d.run(cmd);
            }
            assertThat(d.mismatches()).as("seed " + seed).isEmpty();
        }
    }

    /** Long chains of INCRBYFLOAT: the long double rounding and "%.17Lf" printing must match exactly. */
    @Test
    void incrByFloatChainsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        long seed = System.nanoTime();
        Random r = new Random(seed);
        try (Differential d = new Differential()) {
            for (int i = 0; i < 600; i++) {
                String k = "f" + seed + ":" + r.nextInt(3);
                if (r.nextInt(50) == 0) d.run("SET", k, dbl(r));
                else d.run("INCRBYFLOAT", k, r.nextBoolean() ? dbl(r) : String.valueOf(r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15)));
                d.run("GET", k);
            }
            assertThat(d.mismatches()).as("seed " + seed).isEmpty();
        }
    }

    private static String key(Random r, String prefix) {
        return prefix + "k" + r.nextInt(6);
    }

    private static byte[] value(Random r) {
        int n = r.nextInt(12);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            // mostly a small alphabet so LCS and BITPOS find things; sometimes any byte
            b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) ("abcxyz\u00ff\u0000".charAt(r.nextInt(8)));
        }
        return b;
    }

    private static String num(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> String.valueOf(r.nextInt(20) - 10);
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> "abc";
            case 3 -> String.valueOf(r.nextInt(200));
            case 4 -> String.valueOf(-r.nextInt(200));
            default -> String.valueOf(r.nextInt(40) - 20);
        };
    }

    private static String dbl(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> String.valueOf(r.nextInt(100) - 50);
            case 1 -> String.format(java.util.Locale.ROOT, "%.3f", r.nextDouble() * 100 - 50);
            case 2 -> r.nextInt(9) + "e" + (r.nextInt(40) - 20);
            case 3 -> "0." + r.nextInt(1000);
            case 4 -> String.valueOf(r.nextDouble());
            default -> "x";
        };
    }

    private static String type(Random r) {
        boolean signed = r.nextBoolean();
        int bits = 1 + r.nextInt(signed ? 64 : 63);
        if (r.nextInt(30) == 0) return "u64";
        return (signed ? "i" : "u") + bits;
    }

    private static String offset(Random r) {
        return r.nextInt(4) == 0 ? "#" + r.nextInt(5) : String.valueOf(r.nextInt(100));
    }

    private static Object[] randomCommand(Random r, String p) {
        String k = key(r, p);
        List<Object> c = new ArrayList<>();
        switch (r.nextInt(31)) {
            case 0 -> add(c, "GET", k);
            case 1 -> {
                add(c, "SET", k, value(r));
                if (r.nextInt(3) == 0) c.add(r.nextBoolean() ? "NX" : "XX");
                if (r.nextInt(3) == 0) c.add("GET");
                if (r.nextInt(4) == 0) add(c, "EX", "1000");
                if (r.nextInt(6) == 0) c.add("KEEPTTL");
            }
            case 2 -> add(c, r.nextBoolean() ? "INCR" : "DECR", k);
            case 3 -> add(c, r.nextBoolean() ? "INCRBY" : "DECRBY", k, num(r));
            case 4 -> add(c, "MSET", k, value(r), key(r, p), value(r));
            case 5 -> add(c, "MGET", k, key(r, p), key(r, p));
            case 6 -> add(c, "GETEX", k, r.nextBoolean() ? "PERSIST" : "EX", "500");
            case 7 -> add(c, "GETDEL", k);
            case 8 -> add(c, "GETSET", k, value(r));
            case 9 -> add(c, "MSETNX", k, value(r), key(r, p), value(r));
            case 10 -> add(c, "SETNX", k, value(r));
            case 11 -> add(c, r.nextBoolean() ? "SETEX" : "PSETEX", k, r.nextInt(3) == 0 ? "0" : "100000", value(r));
            case 12 -> add(c, "APPEND", k, value(r));
            case 13 -> add(c, "STRLEN", k);
            case 14 -> add(c, "INCRBYFLOAT", k, dbl(r));
            case 15 -> add(c, r.nextBoolean() ? "GETRANGE" : "SUBSTR", k, num(r), num(r));
            case 16 -> add(c, "SETRANGE", k, String.valueOf(r.nextInt(30) - 2), value(r));
            case 17 -> {
                add(c, "LCS", k, key(r, p));
                if (r.nextInt(3) == 0) c.add("LEN");
                if (r.nextBoolean()) c.add("IDX");
                if (r.nextInt(3) == 0) add(c, "MINMATCHLEN", String.valueOf(r.nextInt(4)));
                if (r.nextBoolean()) c.add("WITHMATCHLEN");
            }
            case 18, 19 -> add(c, "SETBIT", k, String.valueOf(r.nextInt(120)), r.nextInt(10) == 0 ? "2" : String.valueOf(r.nextInt(2)));
            case 20 -> add(c, "GETBIT", k, String.valueOf(r.nextInt(130)));
            case 21 -> {
                add(c, "BITCOUNT", k);
                if (r.nextInt(4) != 0) add(c, num(r), num(r));
                if (r.nextBoolean()) c.add(r.nextBoolean() ? "BIT" : "BYTE");
            }
            case 22, 23 -> {
                add(c, "BITPOS", k, r.nextInt(8) == 0 ? "2" : String.valueOf(r.nextInt(2)));
                int n = r.nextInt(4);
                if (n >= 1) c.add(num(r));
                if (n >= 2) c.add(num(r));
                if (n >= 3) c.add(r.nextBoolean() ? "BIT" : "BYTE");
            }
            case 24 -> {
                String op = new String[]{"AND", "OR", "XOR", "NOT"}[r.nextInt(4)];
                add(c, "BITOP", op, k, key(r, p));
                if (!op.equals("NOT") || r.nextInt(5) == 0) c.add(key(r, p));
            }
            case 25, 26, 27 -> {
                add(c, r.nextInt(5) == 0 ? "BITFIELD_RO" : "BITFIELD", k);
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    switch (r.nextInt(4)) {
                        case 0 -> add(c, "GET", type(r), offset(r));
                        case 1 -> add(c, "SET", type(r), offset(r), num(r));
                        case 2 -> add(c, "INCRBY", type(r), offset(r), num(r));
                        default -> add(c, "OVERFLOW", new String[]{"WRAP", "SAT", "FAIL"}[r.nextInt(3)]);
                    }
                }
            }
            case 28 -> add(c, "SET", k, String.valueOf(r.nextInt(2000) - 1000));
            case 29 -> add(c, "SET", k, dbl(r));
            default -> add(c, "SETRANGE", k, String.valueOf(r.nextInt(12)), value(r));
        }
        return c.toArray();
    }

    private static void add(List<Object> c, Object... parts) {
        for (Object o : parts) c.add(o);
    }
}
