package io.amdc.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/amdc-env.sh's choice of AOT cache flags, for the JDK running this test. */
class LauncherAotTest {
    private static final Path ENV = Path.of("..", "bin", "amdc-env.sh").toAbsolutePath().normalize();
    private static final boolean AOT_JDK = Runtime.version().feature() >= 25;

    @TempDir
    Path dir;

    private String flags(Path lib, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". \"$0\" && amdc_aot_flags \"$1\" \"$2\"",
                ENV.toString(), System.getProperty("java.home"), lib.toString());
        pb.environment().remove("AMDC_AOT");
        pb.environment().remove("AMDC_AOT_OUTPUT");
        pb.environment().remove("AMDC_GC");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theServerStartsWithAFreshCacheAndSkipsAStaleOrUnwantedOne() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.writeString(lib.resolve("amdc-core.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path cache = dir.resolve("amdc.aot");

        assertThat(flags(lib, Map.of())).as("no cache yet").isEmpty();

        Files.writeString(cache, "cache");
        String expected = AOT_JDK ? "-XX:AOTCache=" + cache : "";
        assertThat(flags(lib, Map.of())).isEqualTo(expected);
        assertThat(flags(lib, Map.of("AMDC_AOT", "no"))).as("switched off").isEmpty();
        assertThat(flags(lib, Map.of("AMDC_GC", "zgc"))).as("recorded under G1").isEmpty();
        assertThat(flags(lib, Map.of("AMDC_AOT_OUTPUT", "/tmp/x.aot")))
                .as("a training run records").isEqualTo(AOT_JDK ? "-XX:AOTCacheOutput=/tmp/x.aot" : "");

        // A jar rebuilt after the training: the JVM would refuse the cache, so it is not offered.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(flags(lib, Map.of())).as("stale cache").isEmpty();
    }
}
