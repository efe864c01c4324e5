package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential scripts with several connections per server (WATCH needs a second writer, pub/sub a
 * publisher) and commands answered by several replies (SUBSCRIBE a b). A line is
 * "[client] [replies|]COMMAND args", e.g. "1 SET k v" or "0 2|SUBSCRIBE a b"; client defaults to 0,
 * replies to 1, "sleep 20" pauses, and a leading "! " runs a line without comparing replies.
 */
final class TwoServers implements AutoCloseable {
    final AmdcServer amdc;
    final RedisServerProcess redis;
    private final List<RawClient> a = new ArrayList<>();
    private final List<RawClient> r = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();

    TwoServers(int clients, String... amdcConfig) {
        amdc = AmdcServer.start(amdcConfig);
        redis = RedisServerProcess.start();
        for (int i = 0; i < clients; i++) {
            a.add(amdc.client());
            r.add(redis.client());
        }
    }

    RawClient amdc(int i) {
        return a.get(i);
    }

    void run(String... lines) {
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("sleep")) {
                try {
                    Thread.sleep(Long.parseLong(w[1]));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                continue;
            }
            // "!" first: run on both, do not compare (replies that differ by version, like HELLO).
            boolean compare = !w[0].equals("!");
            if (!compare) w = Arrays.copyOfRange(w, 1, w.length);
            int client = 0;
            int first = 0;
            if (w[0].matches("\\d+")) {
                client = Integer.parseInt(w[0]);
                first = 1;
            }
            int replies = 1;
            String cmd0 = w[first];
            int bar = cmd0.indexOf('|');
            if (bar > 0 && cmd0.substring(0, bar).matches("\\d+")) {
                replies = Integer.parseInt(cmd0.substring(0, bar));
                w[first] = cmd0.substring(bar + 1);
            }
            Object[] cmd = Arrays.copyOfRange(w, first, w.length, Object[].class);
            for (int i = 0; i < cmd.length; i++) {
                if ("''".equals(cmd[i])) cmd[i] = "";
            }
            byte[] ra;
            byte[] rr;
            try {
                ra = exchange(a.get(client), cmd, replies);
                rr = exchange(r.get(client), cmd, replies);
            } catch (RuntimeException e) {
                throw new AssertionError("no reply to: " + line + " (after mismatches " + mismatches + ")", e);
            }
            if (compare && !Arrays.equals(ra, rr)) {
                mismatches.add(line + "\n   amdc:  " + esc(ra) + "\n   redis: " + esc(rr));
            }
        }
        assertThat(mismatches).as("replies that differ from redis-server").isEmpty();
    }

    private static byte[] exchange(RawClient c, Object[] cmd, int replies) {
        if (cmd.length > 0 && !cmd[0].equals("-")) c.send(RawClient.encode(cmd));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < replies; i++) out.writeBytes(c.readRaw());
        return out.toByteArray();
    }

    private static String esc(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public void close() {
        for (RawClient c : a) c.close();
        for (RawClient c : r) c.close();
        amdc.close();
        redis.close();
    }
}
