package io.amdc.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckAofTest {
    @TempDir
    Path dir;

    private static final String GOOD = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n#TS:1700000000\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
    private static final String CUT = "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$";

    private String out;

    private int run(String stdin, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = new CheckAof(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).run(args);
        out = bytes.toString(StandardCharsets.UTF_8);
        return rc;
    }

    private Path multiPart(String incr) throws Exception {
        Files.writeString(dir.resolve("appendonly.aof.1.base.aof"), GOOD);
        Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), incr);
        return Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
    }

    @Test
    void validManifestAndFiles() throws Exception {
        assertThat(run("", multiPart(GOOD).toString())).isZero();
        assertThat(out).contains("All AOF files and manifest are valid").contains("(2 commands)");
    }

    @Test
    void truncatedTailIsReportedThenFixedAfterConfirmation() throws Exception {
        Path m = multiPart(GOOD + CUT);
        Path incr = dir.resolve("appendonly.aof.1.incr.aof");
        assertThat(run("", m.toString())).isEqualTo(1);
        assertThat(out).contains("ok_up_to=" + GOOD.length()).contains("Use the --fix option");

        assertThat(run("n\n", "--fix", m.toString())).isEqualTo(1);
        assertThat(out).contains("Continue? [y/N]").contains("Aborting");
        assertThat(Files.size(incr)).isEqualTo(GOOD.length() + CUT.length());

        assertThat(run("y\n", "--fix", m.toString())).isZero();
        assertThat(out).contains("Successfully truncated AOF appendonly.aof.1.incr.aof");
        assertThat(Files.readString(incr)).isEqualTo(GOOD);
        assertThat(run("", m.toString())).isZero();
    }

    @Test
    void yesSkipsTheQuestionAndGarbageIsBadFormat() throws Exception {
        Path f = Files.writeString(dir.resolve("single.aof"), GOOD + "garbage\r\n");
        assertThat(run("", "--fix", "--yes", f.toString())).isZero();
        assertThat(Files.readString(f)).isEqualTo(GOOD);
        assertThat(run("", "--fix")).isEqualTo(1);
        assertThat(out).startsWith("Usage: amdc-check-aof");
    }
}
