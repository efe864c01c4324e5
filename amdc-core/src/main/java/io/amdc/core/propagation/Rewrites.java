package io.amdc.core.propagation;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.session.Client;
import io.amdc.core.types.HashValue;
import io.amdc.core.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic records for commands whose argv would replay differently later: relative
 * expiry times become absolute ones, float arithmetic becomes the resulting value. Each rewrite
 * reads the key's state right after the command (its slot lock is still held), so the record is
 * the effect, whatever path the command took.
 */
public final class Rewrites {
    private Rewrites() {
    }

    private static final byte[] DEL = b("DEL");
    private static final byte[] SET = b("SET");
    private static final byte[] PXAT = b("PXAT");
    private static final byte[] KEEPTTL = b("KEEPTTL");
    private static final byte[] PEXPIREAT = b("PEXPIREAT");
    private static final byte[] PERSIST = b("PERSIST");
    private static final byte[] HPEXPIREAT = b("HPEXPIREAT");
    private static final byte[] HDEL = b("HDEL");
    private static final byte[] HSET = b("HSET");
    private static final byte[] FIELDS = b("FIELDS");
    private static final byte[] ONE = b("1");

    /** Attaches the rewrites to the commands that need them. */
    public static void install(CommandTable t) {
        for (String n : new String[] {"expire", "pexpire", "expireat", "pexpireat"}) on(t, n, Rewrites::expire);
        on(t, "setex", Rewrites::stringState);
        on(t, "psetex", Rewrites::stringState);
        on(t, "set", (c, a) -> hasRelativeOrAbsoluteTtl(a, 3) ? stringState(c, a) : a);
        on(t, "getex", Rewrites::getex);
        on(t, "incrbyfloat", (c, a) -> c.db().peek(a[1]) instanceof byte[] v ? new byte[][] {SET, a[1], v, KEEPTTL} : null);
        on(t, "hincrbyfloat", Rewrites::hincrbyfloat);
        on(t, "hexpire", Rewrites::fieldExpire);
        on(t, "hpexpire", Rewrites::fieldExpire);
    }

    private static void on(CommandTable t, String name, Rewrite r) {
        CommandSpec s = t.lookup(b(name));
        if (s != null) s.rewrite = r;
    }

    /** Any EXPIRE variant: the key's resulting absolute expiry, or its deletion. */
    private static byte[][] expire(Client c, byte[][] a) {
        long at = c.db().expireTime(a[1]);
        if (at == -2) return new byte[][] {DEL, a[1]}; // a time in the past deleted it (or it never existed)
        if (at == 0) return null;                      // NX/XX/GT/LT refused: nothing changed
        return new byte[][] {PEXPIREAT, a[1], Bytes.fromLong(at)};
    }

    /** SET with a TTL, SETEX, PSETEX: the resulting string and its absolute expiry. */
    private static byte[][] stringState(Client c, byte[][] a) {
        Db db = c.db();
        Object v = db.peek(a[1]);
        if (v == null) return new byte[][] {DEL, a[1]};
        if (!(v instanceof byte[] s)) return null; // SET NX against another type: untouched
        long at = db.expireTime(a[1]);
        return at > 0 ? new byte[][] {SET, a[1], s, PXAT, Bytes.fromLong(at)} : new byte[][] {SET, a[1], s};
    }

    private static boolean hasRelativeOrAbsoluteTtl(byte[][] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (Bytes.eqIgnoreCase(a[i], "EX") || Bytes.eqIgnoreCase(a[i], "PX")
                    || Bytes.eqIgnoreCase(a[i], "EXAT")) return true;
        }
        return false;
    }

    /** GETEX with an option: the key's resulting expiry; GETEX alone changes nothing. */
    private static byte[][] getex(Client c, byte[][] a) {
        if (a.length == 2) return null;
        long at = c.db().expireTime(a[1]);
        if (at == -2) return new byte[][] {DEL, a[1]};
        if (at == 0) return new byte[][] {PERSIST, a[1]};
        return new byte[][] {PEXPIREAT, a[1], Bytes.fromLong(at)};
    }

    /** HINCRBYFLOAT: the resulting text (float formatting must not be redone on replay), then the field's TTL it kept. */
    private static byte[][] hincrbyfloat(Client c, byte[][] a) {
        if (!(c.db().peek(a[1]) instanceof HashValue h)) return null;
        byte[] v = h.get(a[2]);
        if (v == null) return null;
        long at = h.expireAt(a[2]);
        if (at <= 0) return new byte[][] {HSET, a[1], a[2], v};
        c.propagate(HSET, a[1], a[2], v);
        c.propagate(HPEXPIREAT, a[1], Bytes.fromLong(at), FIELDS, ONE, a[2]);
        return null;
    }

    /** HEXPIRE / HPEXPIRE: one absolute-time record per field that has an expiry now. */
    private static byte[][] fieldExpire(Client c, byte[][] a) {
        Object v = c.db().peek(a[1]);
        int first = -1;
        for (int i = 3; i < a.length - 1; i++) {
            if (Bytes.eqIgnoreCase(a[i], "FIELDS")) {
                first = i + 2;
                break;
            }
        }
        if (first < 0) return null;
        for (int i = first; i < a.length; i++) {
            if (!(v instanceof HashValue h)) {
                c.propagate(DEL, a[1]); // the last field expired at once: the hash is gone
                return null;
            }
            long at = h.expireAt(a[i]);
            if (at == -2) c.propagate(HDEL, a[1], a[i]);
            else if (at > 0) c.propagate(HPEXPIREAT, a[1], Bytes.fromLong(at), FIELDS, ONE, a[i]);
        }
        return null;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
