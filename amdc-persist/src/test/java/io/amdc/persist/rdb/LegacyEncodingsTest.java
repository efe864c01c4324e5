package io.amdc.persist.rdb;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.types.TypedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pre-listpack encodings Redis 5/6 write (RDB version 9): zipmap, ziplist (list, zset, hash),
 * quicklist of ziplists and intset, built byte by byte from the documented format and loaded
 * through the start-up path ({@link RdbPersistence#loadAtStartup}).
 */
class LegacyEncodingsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ builders

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) o.write((int) (v >>> (8 * i)));
    }

    /** A ziplist; each entry picks its own encoding so every form can be exercised. */
    static final class Ziplist {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int prevLen;
        private int lastStart = -1;
        private int count;
        private boolean widePrevlen;

        /** The next entry stores its prevlen in the 5-byte form even when it would fit in one. */
        Ziplist widePrevlen() {
            widePrevlen = true;
            return this;
        }

        private void entry(byte[] encAndData) {
            int start = 10 + body.size();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            if (prevLen < 254 && !widePrevlen) {
                e.write(prevLen);
            } else {
                e.write(0xFE);
                le(e, prevLen, 4);
            }
            widePrevlen = false;
            e.writeBytes(encAndData);
            byte[] x = e.toByteArray();
            body.writeBytes(x);
            prevLen = x.length;
            lastStart = start;
            count++;
        }

        /** String with the smallest length form: 6-bit, 14-bit (big-endian) or 32-bit (big-endian). */
        Ziplist str(byte[] s) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int n = s.length;
            if (n < 64) {
                e.write(n);
            } else if (n < 16384) {
                e.write(0x40 | (n >>> 8));
                e.write(n & 0xff);
            } else {
                e.write(0x80);
                for (int i = 3; i >= 0; i--) e.write(n >>> (8 * i));
            }
            e.writeBytes(s);
            entry(e.toByteArray());
            return this;
        }

        Ziplist str(String s) {
            return str(b(s));
        }

        /** Integer in the smallest form: 4-bit immediate, int8, int16, int24, int32, int64. */
        Ziplist num(long v) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            if (v >= 0 && v <= 12) {
                e.write(0xF1 + (int) v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                e.write(0xFE);
                le(e, v, 1);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                e.write(0xC0);
                le(e, v, 2);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                e.write(0xF0);
                le(e, v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                e.write(0xD0);
                le(e, v, 4);
            } else {
                e.write(0xE0);
                le(e, v, 8);
            }
            entry(e.toByteArray());
            return this;
        }

        /** Raw entry bytes after the prevlen, for corrupt cases. */
        Ziplist raw(int... bytes) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            for (int x : bytes) e.write(x);
            entry(e.toByteArray());
            return this;
        }

        byte[] build() {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            le(o, 10 + body.size() + 1, 4);
            le(o, lastStart < 0 ? 10 : lastStart, 4);
            le(o, count, 2);
            o.writeBytes(body.toByteArray());
            o.write(0xFF);
            return o.toByteArray();
        }
    }

    static byte[] intset(int width, long... sorted) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        le(o, width, 4);
        le(o, sorted.length, 4);
        for (long v : sorted) le(o, v, width);
        return o.toByteArray();
    }

    /** A zipmap: count byte, then (len key len free value) pairs, 0xFF. */
    static byte[] zipmap(String... kv) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(kv.length / 2);
        for (int i = 0; i < kv.length; i += 2) {
            zipmapLen(o, kv[i].length());
            o.writeBytes(b(kv[i]));
            zipmapLen(o, kv[i + 1].length());
            int free = i == 0 ? 2 : 0; // unused trailing bytes after a value, as an update leaves them
            o.write(free);
            o.writeBytes(b(kv[i + 1]));
            for (int f = 0; f < free; f++) o.write('#');
        }
        o.write(0xFF);
        return o.toByteArray();
    }

    private static void zipmapLen(ByteArrayOutputStream o, int n) {
        if (n < 254) {
            o.write(n);
        } else {
            o.write(254);
            le(o, n, 4);
        }
    }

    /** An RDB file of version 9 (what Redis 5 and 6 write). */
    static final class Rdb {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final Map<String, Long> keyOffsets = new LinkedHashMap<>();

        Rdb() {
            o.writeBytes(b("REDIS0009"));
            aux("redis-ver", "6.2.14");
            aux("redis-bits", "64");
            o.write(0xFE); // SELECTDB
            len(0);
        }

        void len(long n) {
            if (n < 64) {
                o.write((int) n);
            } else if (n < 16384) {
                o.write(0x40 | (int) (n >>> 8));
                o.write((int) n & 0xff);
            } else {
                o.write(0x80);
                for (int i = 3; i >= 0; i--) o.write((int) (n >>> (8 * i)));
            }
        }

        void string(byte[] s) {
            len(s.length);
            o.writeBytes(s);
        }

        void aux(String k, String v) {
            o.write(0xFA);
            string(b(k));
            string(b(v));
        }

        Rdb key(int type, String key, byte[] blob) {
            keyOffsets.put(key, (long) o.size());
            o.write(type);
            string(b(key));
            string(blob);
            return this;
        }

        Rdb quicklist(String key, byte[]... nodes) {
            keyOffsets.put(key, (long) o.size());
            o.write(14);
            string(b(key));
            len(nodes.length);
            for (byte[] n : nodes) string(n);
            return this;
        }

        enum Sum { CRC, ZERO, WRONG }

        byte[] finish(Sum sum) {
            o.write(0xFF);
            byte[] body = o.toByteArray();
            long crc = switch (sum) {
                case CRC -> Crc64.of(body, 0, body.length);
                case ZERO -> 0;
                case WRONG -> Crc64.of(body, 0, body.length) ^ 1;
            };
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.writeBytes(body);
            le(f, crc, 8);
            return f.toByteArray();
        }
    }

    // ------------------------------------------------------------------ loading

    private Engine load(byte[] file, String... config) throws IOException {
        Config cfg = new Config();
        assertThat(cfg.apply("dir", List.of(dir.toString()), true)).isNull();
        for (int i = 0; i < config.length; i += 2) assertThat(cfg.apply(config[i], List.of(config[i + 1]), true)).isNull();
        Files.write(dir.resolve(cfg.get("dbfilename")), file);
        Engine e = new Engine(cfg);
        RdbPersistence.install(e).loadAtStartup();
        return e;
    }

    /** A loaded value in neutral form (written back with the saver, read as a payload). */
    private static RdbValue neutral(Engine e, String key) throws Exception {
        Object v = e.keyspace().db(0).peek(b(key));
        assertThat(v).as(key).isNotNull();
        RdbOutput o = new RdbOutput(64);
        ValueCodec.write(o, v, false);
        byte[] bytes = o.toByteArray();
        return (RdbValue) new RdbReader(RdbInput.of(bytes, 0, bytes.length)).readPayloadValue(RdbReader.MAX_VERSION);
    }

    private static String encoding(Engine e, String key) {
        return ((TypedValue) e.keyspace().db(0).peek(b(key))).encoding();
    }

    private static List<String> strs(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] x : l) out.add(new String(x, StandardCharsets.UTF_8));
        return out;
    }

    private static List<String> list(Engine e, String key) throws Exception {
        return strs(((RdbValue.ListVal) neutral(e, key)).elements());
    }

    private static Map<String, String> hash(Engine e, String key) throws Exception {
        RdbValue.HashVal h = (RdbValue.HashVal) neutral(e, key);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < h.fields().size(); i++) {
            m.put(new String(h.fields().get(i), StandardCharsets.UTF_8), new String(h.values().get(i), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Members in score order as "member=score". */
    private static List<String> zset(Engine e, String key) throws Exception {
        RdbValue.ZSetVal z = (RdbValue.ZSetVal) neutral(e, key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < z.members().size(); i++) out.add(new String(z.members().get(i), StandardCharsets.UTF_8) + "=" + z.scores()[i]);
        return out;
    }

    // ------------------------------------------------------------------ the file

    private static final String S300 = "p".repeat(300);
    private static final String S20K = "q".repeat(20_000);
    private static final String S100 = "m".repeat(100);

    /** Every integer form, every string length form, 1- and 5-byte prevlens (natural and forced). */
    private static Ziplist allForms() {
        return new Ziplist()
                .num(0).num(7).num(12)                         // 4-bit immediates
                .num(13).num(-1).num(127).num(-128)            // int8
                .num(128).num(-32768).num(32767)               // int16
                .num(32768).num(-8388608).num(8388607)         // int24
                .num(8388608).num(Integer.MIN_VALUE).num(Integer.MAX_VALUE) // int32
                .num(Long.MIN_VALUE).num(Long.MAX_VALUE).num(4294967296L)   // int64
                .str("").str("a").str("x".repeat(63))         // 6-bit lengths
                .str(S100).str(S300)                           // 14-bit lengths
                .str("after-300")                              // prevlen 5 bytes (previous entry >= 254)
                .str(S20K)                                     // 32-bit length
                .num(-5)                                       // prevlen 5 bytes after the 32-bit string
                .widePrevlen().str("wide")                     // 5-byte prevlen for a small previous entry
                .str("007").str("-0").str("1e3");             // strings that look numeric stay strings
    }

    private static List<String> allFormsExpected() {
        return List.of("0", "7", "12", "13", "-1", "127", "-128", "128", "-32768", "32767", "32768", "-8388608",
                "8388607", "8388608", "-2147483648", "2147483647", "-9223372036854775808", "9223372036854775807",
                "4294967296", "", "a", "x".repeat(63), S100, S300, "after-300", S20K, "-5", "wide", "007", "-0", "1e3");
    }

    private static byte[] legacyFile(Rdb.Sum sum) {
        Rdb r = new Rdb();
        r.key(9, "zipmap", zipmap("f1", "v1", "num", "42", "long", S300, "empty", ""));
        r.key(10, "zl-list", allForms().build());
        r.quicklist("ql-list",
                new Ziplist().str("a").num(1).num(-300).build(),
                allForms().build(),
                new Ziplist().str("tail").build());
        r.key(11, "is16", intset(2, -32768, -1, 0, 5, 32767));
        r.key(11, "is32", intset(4, Integer.MIN_VALUE, -40000, 3, 70000, Integer.MAX_VALUE));
        r.key(11, "is64", intset(8, Long.MIN_VALUE, -5_000_000_000L, 0, 5_000_000_000L, Long.MAX_VALUE));
        r.key(12, "zl-zset", new Ziplist()
                .num(5).str("-inf")                 // integer member, string score
                .str("int-score").num(-3)           // string member, integer score (int8)
                .str("half").str("1.5")
                .num(1000000).num(70000)            // int24 member, int24 score
                .str("big").num(Long.MAX_VALUE)     // int64 score
                .str("top").str("inf")
                .build());
        r.key(13, "zl-hash", new Ziplist()
                .str("name").str("amdc")
                .num(1).num(-70000)
                .str("long").str(S300)
                .str("neg").num(Long.MIN_VALUE)
                .build());
        return r.finish(sum);
    }

    private void assertLegacyContents(Engine e) throws Exception {
        assertThat(e.keyspace().db(0).size()).isEqualTo(8);

        assertThat(hash(e, "zipmap")).isEqualTo(Map.of("f1", "v1", "num", "42", "long", S300, "empty", ""));
        assertThat(encoding(e, "zipmap")).isEqualTo("hashtable"); // a 300-byte value exceeds hash-max-listpack-value

        assertThat(list(e, "zl-list")).containsExactlyElementsOf(allFormsExpected());
        assertThat(encoding(e, "zl-list")).isEqualTo("quicklist");

        List<String> ql = new ArrayList<>(List.of("a", "1", "-300"));
        ql.addAll(allFormsExpected());
        ql.add("tail");
        assertThat(list(e, "ql-list")).containsExactlyElementsOf(ql);

        assertThat(new TreeSet<>(strs(((RdbValue.SetVal) neutral(e, "is16")).members())))
                .isEqualTo(new TreeSet<>(List.of("-32768", "-1", "0", "5", "32767")));
        assertThat(new TreeSet<>(strs(((RdbValue.SetVal) neutral(e, "is32")).members())))
                .isEqualTo(new TreeSet<>(List.of("-2147483648", "-40000", "3", "70000", "2147483647")));
        assertThat(new TreeSet<>(strs(((RdbValue.SetVal) neutral(e, "is64")).members())))
                .isEqualTo(new TreeSet<>(List.of("-9223372036854775808", "-5000000000", "0", "5000000000", "9223372036854775807")));
        for (String k : List.of("is16", "is32", "is64")) assertThat(encoding(e, k)).as(k).isEqualTo("intset");

        assertThat(zset(e, "zl-zset")).containsExactly("5=-Infinity", "int-score=-3.0", "half=1.5",
                "1000000=70000.0", "big=" + (double) Long.MAX_VALUE, "top=Infinity");
        assertThat(encoding(e, "zl-zset")).isEqualTo("listpack");

        Map<String, String> h = hash(e, "zl-hash");
        assertThat(h).isEqualTo(Map.of("name", "amdc", "1", "-70000", "long", S300, "neg", "-9223372036854775808"));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void loadsEveryLegacyEncodingWithChecksum() throws Exception {
        assertLegacyContents(load(legacyFile(Rdb.Sum.CRC)));
    }

    @Test
    void zeroChecksumMeansNotChecked() throws Exception {
        assertLegacyContents(load(legacyFile(Rdb.Sum.ZERO)));
    }

    @Test
    void wrongChecksumIsRefusedUnlessChecksumsAreOff() throws Exception {
        byte[] f = legacyFile(Rdb.Sum.WRONG);
        assertThatThrownBy(() -> load(f)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("CRC error").hasMessageContaining("at offset " + (f.length - 8));
        assertLegacyContents(load(f, "rdbchecksum", "no"));
    }

    @Test
    void smallLegacyValuesGetPackedEncodings() throws Exception {
        Rdb r = new Rdb();
        r.key(9, "zm", zipmap("a", "1", "b", "2"));
        r.key(10, "zl", new Ziplist().str("x").num(2).build());
        r.key(13, "zh", new Ziplist().str("f").num(9).build());
        Engine e = load(r.finish(Rdb.Sum.CRC));
        assertThat(encoding(e, "zm")).isEqualTo("listpack");
        assertThat(encoding(e, "zl")).isEqualTo("listpack");
        assertThat(encoding(e, "zh")).isEqualTo("listpack");
        assertThat(hash(e, "zm")).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(list(e, "zl")).containsExactly("x", "2");
        assertThat(hash(e, "zh")).isEqualTo(Map.of("f", "9"));
    }

    /** Redis 7.0 loads a quicklist with an empty ziplist node, skipping the node (checked with redis-server). */
    @Test
    void emptyQuicklistNodeIsSkipped() throws Exception {
        Rdb r = new Rdb();
        r.quicklist("ql", new Ziplist().build(), new Ziplist().str("x").num(3).build(), new Ziplist().build());
        Engine e = load(r.finish(Rdb.Sum.CRC));
        assertThat(list(e, "ql")).containsExactly("x", "3");

        // ...but a quicklist with only empty nodes is an empty key, which redis-server 7.0 refuses too.
        Rdb empty = new Rdb();
        empty.quicklist("ql", new Ziplist().build());
        assertThatThrownBy(() -> load(empty.finish(Rdb.Sum.CRC))).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("empty list value at offset ");
    }

    /** A file whose second key holds the given (bad) ziplist; the first key is good. */
    private void assertRefused(int type, byte[] badZiplist, String reason) throws IOException {
        Rdb r = new Rdb();
        r.key(10, "good", new Ziplist().str("ok").build());
        r.key(type, "bad", badZiplist);
        long badAt = r.keyOffsets.get("bad");
        byte[] f = r.finish(Rdb.Sum.CRC);
        assertThatThrownBy(() -> load(f))
                .as(reason)
                .isInstanceOfSatisfying(RdbFormatException.class, ex -> {
                    // The offset points into the bad key's record (its start, or inside its blob).
                    assertThat(ex.offset()).isBetween(badAt, (long) f.length - 9);
                    assertThat(ex.reason()).containsIgnoringCase(reason);
                })
                .hasMessageContaining("at offset ");
    }

    @Test
    void corruptZiplistsAreRefusedWithAnOffset() throws Exception {
        // prevlen that does not match the previous entry's length
        byte[] badPrev = new Ziplist().str("abc").str("def").build();
        badPrev[10 + 5] = 9; // second entry's prevlen byte (first entry: prevlen, enc, 3 bytes)
        assertRefused(10, badPrev, "prevlen");

        // 0xFF where a prevlen is expected but not at the end; a prevlen byte of 0xFF cannot exist
        byte[] badPrevByte = new Ziplist().str("abc").str("def").build();
        badPrevByte[10 + 5] = (byte) 0xFE; // announces a 5-byte prevlen that is not there
        assertRefused(10, badPrevByte, "ziplist");

        // string length running past the end of the blob
        byte[] pastEnd = new Ziplist().str("abcdef").build();
        pastEnd[11] = 0x30; // claims 48 bytes
        assertRefused(10, pastEnd, "past the end");

        // 14-bit length past the end
        assertRefused(13, new Ziplist().raw(0x41, 0x00, 'a').build(), "past the end");

        // invalid encoding byte (0x81: 10xxxxxx with a non-zero low part)
        assertRefused(10, new Ziplist().raw(0x81, 0, 0, 0, 1, 'a').build(), "encoding");
        // invalid integer encoding byte
        assertRefused(12, new Ziplist().raw(0xC1, 0, 0).str("1").build(), "encoding");

        // header byte count that disagrees with the blob, and a wrong entry count
        byte[] badCount = new Ziplist().str("a").str("b").build();
        badCount[8] = 3;
        assertRefused(10, badCount, "entries");

        // an odd number of entries in a zset or hash ziplist
        assertRefused(12, new Ziplist().str("m").build(), "odd");
        // a zset score that is not a number
        assertRefused(12, new Ziplist().str("m").str("nope").build(), "not a number");

        // a ziplist node of a quicklist
        Rdb r = new Rdb();
        byte[] node = new Ziplist().str("abc").str("def").build();
        node[10 + 5] = 1;
        r.quicklist("ql", new Ziplist().str("fine").build(), node);
        byte[] f = r.finish(Rdb.Sum.CRC);
        assertThatThrownBy(() -> load(f)).isInstanceOf(RdbFormatException.class).hasMessageContaining("prevlen")
                .hasMessageContaining("at offset ");
    }

    @Test
    void corruptIntsetAndZipmapAreRefused() throws Exception {
        assertRefused(11, intset(2, 5, 3), "sorted");
        assertRefused(11, intset(3, 1), "encoding");
        byte[] shortSet = Arrays.copyOf(intset(4, 1, 2), 14);
        assertRefused(11, shortSet, "intset");
        byte[] zm = zipmap("k", "v");
        zm[1] = 40; // key length past the end
        assertRefused(9, zm, "past the end");
    }
}
