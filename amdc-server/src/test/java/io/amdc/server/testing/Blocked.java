package io.amdc.server.testing;

import io.amdc.core.session.Client;

/** Helpers for tests of blocking commands: send without reading, wait until clients block. */
public final class Blocked {
    private Blocked() {
    }

    /** Sends a command without reading its reply (the client blocks). */
    public static void send(RawClient c, Object... cmd) {
        c.send(RawClient.encode(cmd));
    }

    public static String read(RawClient c) {
        return RawClient.render(c.readRaw());
    }

    /** Waits until exactly {@code n} clients of the in-process server are blocked. */
    public static void awaitBlocked(AmdcServer s, int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (s.engine().blocking().blockedClients() != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("blocked_clients " + s.engine().blocking().blockedClients() + " != " + n);
            }
            sleep(2);
        }
    }

    /** Waits until INFO clients reports {@code n} blocked clients (any server, e.g. redis-server). */
    public static void awaitBlockedViaInfo(RawClient admin, int n) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!admin.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("never had " + n + " blocked clients");
            sleep(5);
        }
    }

    /** The id of the (one) blocked client of the in-process server. */
    public static long blockedClientId(AmdcServer s) {
        for (Client c : s.engine().clients().values()) {
            if (c.blocked()) return c.id;
        }
        throw new AssertionError("no blocked client");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
