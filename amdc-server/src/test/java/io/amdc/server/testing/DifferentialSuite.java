package io.amdc.server.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Base of a differential test class: one AMDC and one redis-server for the whole class, and a
 * fresh key prefix per test ({@code $} in {@link #all} lines) so tests do not see each other's keys.
 */
public abstract class DifferentialSuite {
    protected static Differential d;
    private static int seq;
    /** This test's key prefix. */
    protected String p;

    @BeforeAll
    static void startServers() {
        assumeTrue(RedisServerProcess.available());
        // As on the redis-server side, so sequences may use DEBUG SLEEP to let TTLs pass.
        d = new Differential("enable-debug-command yes");
    }

    @AfterAll
    static void stopServers() {
        if (d != null) d.close();
        d = null;
    }

    @BeforeEach
    void freshPrefix() {
        p = "t" + (seq++) + ":";
        if (d != null) d.mismatches().clear();
    }

    /** Runs each line on both servers with {@code $} replaced by this test's prefix; asserts no mismatch. */
    protected void all(String... lines) {
        String[] l = new String[lines.length];
        for (int i = 0; i < lines.length; i++) l[i] = lines[i].replace("$", p);
        d.runAll(l);
    }
}
