package io.amdc.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the same commands against AMDC and against Debian's redis-server and asserts the replies
 * are byte-identical. Use {@link #run} per command, or {@link #runAll} for a script.
 */
public final class Differential implements AutoCloseable {
    private final AmdcServer amdc;
    private final RedisServerProcess redis;
    private final RawClient a;
    private final RawClient r;
    private final List<String> mismatches = new ArrayList<>();

    public Differential(String... amdcConfig) {
        amdc = AmdcServer.start(amdcConfig);
        redis = RedisServerProcess.start();
        a = amdc.client();
        r = redis.client();
    }

    public RawClient amdc() {
        return a;
    }

    public RawClient redis() {
        return r;
    }

    /** Sends to both and records a mismatch; returns AMDC's rendered reply. */
    public String run(Object... cmd) {
        byte[] ra = a.callRaw(cmd);
        byte[] rr = r.callRaw(cmd);
        if (!java.util.Arrays.equals(ra, rr)) {
            mismatches.add(describe(cmd) + "\n   amdc:  " + escape(ra) + "\n   redis: " + escape(rr));
        }
        return RawClient.render(ra);
    }

    /** Runs each line, split on spaces (no quoting), and asserts no mismatch. */
    public void runAll(String... lines) {
        for (String l : lines) run((Object[]) l.trim().split("\\s+"));
        assertSame();
    }

    public void assertSame() {
        assertThat(mismatches).as("replies that differ from redis-server").isEmpty();
    }

    public List<String> mismatches() {
        return mismatches;
    }

    private static String describe(Object[] cmd) {
        StringBuilder sb = new StringBuilder();
        for (Object o : cmd) sb.append(o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o).append(' ');
        return sb.toString().trim();
    }

    private static String escape(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.length() > 400) s = s.substring(0, 400) + "...";
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public void close() {
        a.close();
        r.close();
        amdc.close();
        redis.close();
    }
}
