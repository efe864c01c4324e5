package io.amdc.tools;

import io.amdc.persist.rdb.RdbSalvage;
import io.amdc.persist.rdb.RdbValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckRdbTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = CheckRdb.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Path sample(Path dir) throws Exception {
        Path f = dir.resolve("dump.rdb");
        try (RdbSalvage s = new RdbSalvage(f)) {
            for (int i = 0; i < 100; i++) {
                s.key(i % 2, ("k" + i).getBytes(), ("value-" + i).repeat(i + 1).getBytes(), i % 10 == 0 ? 4_000_000_000_000L : 0);
            }
            s.key(0, "list".getBytes(), new RdbValue.ListVal(List.of("a".getBytes(), "b".getBytes())), 0);
            s.finish();
        }
        return f;
    }

    @Test
    void goodFileSummary() throws Exception {
        Path f = sample(Files.createTempDirectory("chk"));
        Result r = run(f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("RDB version 10").contains("AUX redis-ver")
                .contains("db 0: 50 string keys (10 with expiry)").contains("db 0: 1 list keys")
                .contains("db 1: 50 string keys").contains("101 keys read, 10 expires")
                .contains("big key: db 1 string 'k99'").contains("RDB looks OK");
    }

    @Test
    void damagedFileReportsOffsetAndFixSalvages() throws Exception {
        Path dir = Files.createTempDirectory("chk");
        Path f = sample(dir);
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.rdb");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        Path fixed = dir.resolve("fixed.rdb");
        Result r = run(cut.toString(), "--fix", fixed.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("RDB ERROR DETECTED").containsPattern("\\[offset \\d+\\]");
        assertThat(r.out()).containsPattern("Salvaged \\d+ keys");
        Result again = run(fixed.toString());
        assertThat(again.code()).isZero();

        byte[] flipped = b.clone();
        flipped[b.length - 10] ^= 0x01; // the last list element: only the checksum can tell
        Path bad = dir.resolve("crc.rdb");
        Files.write(bad, flipped);
        Result c = run(bad.toString());
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err()).contains("CRC error");
        assertThat(run("--nonsense").code()).isEqualTo(2);
    }
}
