package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.types.Hll;
import io.amdc.core.util.Bytes;

import java.util.Random;

/** HyperLogLog commands (Redis's hyperloglog.c semantics). Sketches are plain string values in Redis's byte format. */
final class HyperLogLogFamily {
    private HyperLogLogFamily() {
    }

    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    static void declare(CommandTable t) {
        t.add("pfadd", -2, "write denyoom fast", "@hyperloglog", 1, 1, 1, HyperLogLogFamily::pfadd)
                .doc("Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.", "2.8.9", "hyperloglog", "O(1) to add every element.");
        t.add("pfcount", -2, "readonly", "@hyperloglog", 1, -1, 1, HyperLogLogFamily::pfcount)
                .doc("Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).", "2.8.9", "hyperloglog",
                        "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.");
        t.add("pfmerge", -2, "write denyoom", "@hyperloglog", 1, -1, 1, HyperLogLogFamily::pfmerge)
                .doc("Merges one or more HyperLogLog values into a single key.", "2.8.9", "hyperloglog", "O(N) to merge N HyperLogLogs, but with high constant times.");
        t.add("pfdebug", 3, "write denyoom admin", "@hyperloglog", 2, 2, 1, HyperLogLogFamily::pfdebug)
                .doc("Internal commands for debugging HyperLogLog values.", "2.8.9", "hyperloglog", "N/A");
        t.add("pfselftest", 1, "admin", "@hyperloglog", HyperLogLogFamily::pfselftest)
                .doc("An internal command for testing HyperLogLog values.", "2.8.9", "hyperloglog", "N/A");
    }

    /** The sketch stored at key, null when absent; errors for non-strings and non-sketch strings. */
    private static byte[] sketchAt(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null) return null;
        if (!(v instanceof byte[] b)) throw CommandError.wrongType();
        if (!Hll.isValid(b)) throw new CommandError(NOT_HLL);
        return b;
    }

    private static int sparseMax(Client c) {
        return (int) Math.min(Integer.MAX_VALUE, c.engine().config().getLong("hll-sparse-max-bytes"));
    }

    static void pfadd(Client c, byte[][] argv) {
        Db db = c.db();
        byte[] stored = sketchAt(db, argv[1]);
        boolean created = stored == null;
        Hll.Sketch s = new Hll.Sketch(created ? Hll.create() : stored, sparseMax(c));
        boolean updated = created;
        try {
            for (int i = 2; i < argv.length; i++) {
                if (s.add(argv[i])) updated = true;
            }
        } catch (Hll.Corrupt e) {
            throw new CommandError(CORRUPT);
        }
        if (updated) {
            s.invalidate();
            db.update(argv[1], s.result());
            c.engine().notifications().notify(c, Notifications.STRING, "pfadd", argv[1]);
        }
        c.out().integer(updated ? 1 : 0);
    }

    static void pfcount(Client c, byte[][] argv) {
        Db db = c.db();
        try {
            if (argv.length == 2) {
                byte[] b = sketchAt(db, argv[1]);
                if (b == null) {
                    c.out().integer(0);
                    return;
                }
                if (Hll.cacheValid(b)) {
                    c.out().integer(Hll.cached(b));
                    return;
                }
                long card = Hll.count(b);
                // Redis caches the count inside the value, so a later GET shows it: write a fresh copy.
                byte[] copy = b.clone();
                Hll.storeCache(copy, card);
                db.update(argv[1], copy);
                c.out().integer(card);
                return;
            }
            byte[] max = new byte[Hll.REGISTERS];
            for (int i = 1; i < argv.length; i++) {
                byte[] b = sketchAt(db, argv[i]);
                if (b != null) Hll.mergeInto(max, b);
            }
            c.out().integer(Hll.countRaw(max));
        } catch (Hll.Corrupt e) {
            throw new CommandError(CORRUPT);
        }
    }

    static void pfmerge(Client c, byte[][] argv) {
        Db db = c.db();
        byte[] max = new byte[Hll.REGISTERS];
        boolean useDense = false;
        byte[] dest = null;
        try {
            for (int i = 1; i < argv.length; i++) {
                byte[] b = sketchAt(db, argv[i]);
                if (b == null) continue;
                if (i == 1) dest = b;
                if (Hll.encoding(b) == Hll.DENSE) useDense = true;
                Hll.mergeInto(max, b);
            }
            Hll.Sketch s = new Hll.Sketch(dest == null ? Hll.create() : dest, sparseMax(c));
            if (useDense) s.toDenseNow();
            for (int j = 0; j < Hll.REGISTERS; j++) {
                if (max[j] != 0) s.set(j, max[j]);
            }
            s.invalidate();
            db.update(argv[1], s.result());
        } catch (Hll.Corrupt e) {
            throw new CommandError(CORRUPT);
        }
        c.engine().notifications().notify(c, Notifications.STRING, "pfadd", argv[1]);
        c.out().ok();
    }

    static void pfdebug(Client c, byte[][] argv) {
        Db db = c.db();
        String cmd = Bytes.str(argv[1]);
        byte[] b = sketchAtForDebug(db, argv[2]);
        try {
            if (Bytes.eqIgnoreCase(argv[1], "GETREG")) {
                if (Hll.encoding(b) == Hll.SPARSE) {
                    b = Hll.toDense(b);
                    db.update(argv[2], b);
                }
                c.out().array(Hll.REGISTERS);
                for (int j = 0; j < Hll.REGISTERS; j++) c.out().integer(Hll.denseGet(b, j));
            } else if (Bytes.eqIgnoreCase(argv[1], "DECODE")) {
                if (Hll.encoding(b) != Hll.SPARSE) throw new CommandError("ERR HLL encoding is not sparse");
                c.out().bulk(Hll.decode(b));
            } else if (Bytes.eqIgnoreCase(argv[1], "ENCODING")) {
                c.out().simple(Hll.encoding(b) == Hll.SPARSE ? "sparse" : "dense");
            } else if (Bytes.eqIgnoreCase(argv[1], "TODENSE")) {
                boolean conv = Hll.encoding(b) == Hll.SPARSE;
                if (conv) db.update(argv[2], Hll.toDense(b));
                c.out().integer(conv ? 1 : 0);
            } else {
                throw new CommandError("ERR Unknown PFDEBUG subcommand '" + cmd + "'");
            }
        } catch (Hll.Corrupt e) {
            throw new CommandError(CORRUPT);
        }
    }

    private static byte[] sketchAtForDebug(Db db, byte[] key) {
        byte[] b = sketchAt(db, key);
        if (b == null) throw new CommandError("ERR The specified key does not exist");
        return b;
    }

    /**
     * Checks the register packing and that sparse and dense sketches fed the same elements agree
     * register for register and in their counts, with a small relative error against the truth.
     */
    static void pfselftest(Client c, byte[][] argv) {
        Random rnd = new Random(0x5eed);
        byte[] dense = Hll.toDense(Hll.create());
        for (int round = 0; round < 10; round++) {
            int[] want = new int[Hll.REGISTERS];
            byte[] d = dense.clone();
            Hll.Sketch s = new Hll.Sketch(d, Integer.MAX_VALUE);
            for (int j = 0; j < Hll.REGISTERS; j++) {
                want[j] = rnd.nextInt(64);
                if (want[j] > 0) s.set(j, want[j]);
            }
            byte[] r = s.result();
            for (int j = 0; j < Hll.REGISTERS; j++) {
                if (Hll.denseGet(r, j) != want[j]) {
                    throw new CommandError("ERR TESTFAILED Register error at " + j);
                }
            }
        }
        Hll.Sketch sparse = new Hll.Sketch(Hll.create(), sparseMax(c));
        Hll.Sketch full = new Hll.Sketch(dense.clone(), Integer.MAX_VALUE);
        byte[] el = new byte[8];
        for (long n = 1; n <= 100_000; n++) {
            for (int k = 0; k < 8; k++) el[k] = (byte) (n >>> (8 * k));
            sparse.add(el);
            full.add(el);
            if ((n & (n - 1)) == 0 || n % 10_000 == 0) {
                byte[] a = sparse.result();
                byte[] b = full.result();
                long ca = Hll.count(a);
                long cb = Hll.count(b);
                if (ca != cb) throw new CommandError("ERR TESTFAILED sparse/dense mismatch at " + n);
                double err = Math.abs(n - cb) / (double) n;
                double bound = n < 10 ? 0.5 : 5 * 1.04 / Math.sqrt(Hll.REGISTERS);
                if (err > bound) {
                    throw new CommandError("ERR TESTFAILED Too big error. card:" + n + " error:" + (long) Math.abs(n - cb));
                }
            }
        }
        c.out().ok();
    }
}
