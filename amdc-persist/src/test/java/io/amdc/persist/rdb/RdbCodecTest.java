package io.amdc.persist.rdb;

import io.amdc.core.config.Config;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RdbCodecTest {
    @Test
    void crc64MatchesRedisCheckValue() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        // slicing-by-8 and byte-wise paths agree at every split
        byte[] r = new byte[1000];
        new Random(1).nextBytes(r);
        long whole = Crc64.of(r, 0, r.length);
        for (int cut = 0; cut < 20; cut++) assertThat(Crc64.update(Crc64.of(r, 0, cut), r, cut, r.length - cut)).isEqualTo(whole);
    }

    @Test
    void lzfRoundTrips() {
        Random rnd = new Random(3);
        for (int t = 0; t < 300; t++) {
            int n = rnd.nextInt(20000) + 5;
            byte[] b = new byte[n];
            int alphabet = 1 + rnd.nextInt(t % 3 == 0 ? 255 : 4);
            for (int i = 0; i < n; i++) b[i] = (byte) rnd.nextInt(alphabet);
            byte[] c = Lzf.compress(b);
            if (c == null) continue;
            assertThat(c.length).isLessThan(n - 4);
            assertThat(Lzf.decompress(c, n)).isEqualTo(b);
        }
        assertThat(Lzf.decompress(new byte[] {(byte) 0xE0, 5, 0}, 10)).isNull(); // back-reference before the start
    }

    @Test
    void listpackEncoderAndDecoderAgree() throws Exception {
        Packed.ListpackWriter w = new Packed.ListpackWriter();
        List<byte[]> items = new ArrayList<>();
        for (String s : new String[] {"0", "127", "128", "-1", "-4096", "4095", "4096", "32767", "-32769", "8388607",
                "2147483647", "-2147483649", "9223372036854775807", "-9223372036854775808", "007", "x", "",
                "y".repeat(63), "y".repeat(64), "z".repeat(4095), "z".repeat(4096), "w".repeat(20000)}) {
            items.add(s.getBytes(StandardCharsets.US_ASCII));
            w.add(s.getBytes(StandardCharsets.US_ASCII));
        }
        List<byte[]> back = Packed.listpack(w.finish());
        assertThat(back).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) assertThat(back.get(i)).isEqualTo(items.get(i));
    }

    /** A valid file with every neutral type, written by the salvage writer. */
    static byte[] sampleFile(Path dir) throws IOException {
        Path f = dir.resolve("sample.rdb");
        try (RdbSalvage s = new RdbSalvage(f)) {
            Random rnd = new Random(11);
            for (int i = 0; i < 200; i++) {
                byte[] k = ("key" + i).getBytes(StandardCharsets.US_ASCII);
                Object v = switch (i % 4) {
                    case 0 -> ("value" + i).repeat(1 + rnd.nextInt(20)).getBytes(StandardCharsets.US_ASCII);
                    case 1 -> new RdbValue.ListVal(List.of("a".getBytes(), Integer.toString(i).getBytes(), "bcd".repeat(30).getBytes()));
                    case 2 -> new RdbValue.ZSetVal(List.of("m1".getBytes(), "m2".getBytes()), new double[] {1.5, -i});
                    default -> new RdbValue.HashVal(List.of("f".getBytes(), "g".getBytes()), List.of("1".getBytes(), "xyz".getBytes()), null);
                };
                s.key(i % 3, k, v, i % 5 == 0 ? 4_000_000_000_000L : 0);
            }
            s.finish();
        }
        return Files.readAllBytes(f);
    }

    static int load(byte[] file, Config cfg) throws IOException {
        int[] n = {0};
        new RdbReader(RdbInput.of(file, 0, file.length)).readFile((db, key, value, exp, idle, freq, off) -> {
            try {
                ValueCodec.materialize(value, cfg);
            } catch (ValueCodec.InvalidValue e) {
                throw new RdbFormatException(off, e.getMessage());
            } catch (ValueCodec.UnsupportedType ignored) {
                // sets/streams: not in this build
            }
            n[0]++;
        }, true);
        return n[0];
    }

    @Test
    void fuzzedFilesFailCleanly() throws Exception {
        Path dir = Files.createTempDirectory("rdbfuzz");
        byte[] good = sampleFile(dir);
        Config cfg = new Config();
        assertThat(load(good, cfg)).isEqualTo(200);
        Random rnd = new Random(42);
        int rejected = 0;
        for (int t = 0; t < 3000; t++) {
            byte[] b;
            switch (t % 3) {
                case 0 -> b = java.util.Arrays.copyOf(good, rnd.nextInt(good.length)); // truncated
                case 1 -> {
                    b = good.clone();
                    for (int m = 0, k = 1 + rnd.nextInt(4); m < k; m++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                default -> {
                    b = good.clone();
                    int at = 9 + rnd.nextInt(b.length - 20);
                    // hostile lengths: 32/64-bit length prefixes claiming gigabytes
                    b[at] = (byte) (rnd.nextBoolean() ? 0x80 : 0x81);
                    for (int i = 1; i < 9 && at + i < b.length; i++) b[at + i] = (byte) 0x7f;
                }
            }
            try {
                load(b, cfg);
                // a mutation may hit bytes the CRC then catches, or be harmless (e.g. inside an AUX value)
            } catch (RdbFormatException e) {
                rejected++;
                assertThat(e.getMessage()).contains("offset");
            }
        }
        assertThat(rejected).isGreaterThan(2500);
    }

    @Test
    void wrongVersionAndSignature() {
        assertThatThrownBy(() -> load("REDIS0099\u00ff".getBytes(StandardCharsets.US_ASCII), new Config()))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("version 99");
        assertThatThrownBy(() -> load("NOTREDIS0\u00ff".getBytes(StandardCharsets.US_ASCII), new Config()))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("signature");
    }
}
