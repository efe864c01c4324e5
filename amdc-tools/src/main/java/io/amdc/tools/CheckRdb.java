package io.amdc.tools;

import io.amdc.persist.rdb.RdbFiles;
import io.amdc.persist.rdb.RdbFormatException;
import io.amdc.persist.rdb.RdbInput;
import io.amdc.persist.rdb.RdbReader;
import io.amdc.persist.rdb.RdbSalvage;
import io.amdc.persist.rdb.RdbValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * {@code amdc-check-rdb FILE [--fix OUT]}: verifies an RDB file's structure and checksum and
 * prints a summary (version, aux fields, keys per type and database, expiries, biggest keys).
 * Exit 0 when the file is sound, 1 with the offset and reason when it is damaged, 2 on bad usage.
 * With --fix, every key that decoded intact is written to OUT.
 */
public final class CheckRdb {
    private CheckRdb() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    record Big(String key, int db, String type, long size) {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        Path fix = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--fix") && i + 1 < args.length) fix = Path.of(args[++i]);
            else if (file == null && !args[i].startsWith("--")) file = Path.of(args[i]);
            else {
                err.println("Usage: amdc-check-rdb FILE [--fix OUT]");
                return 2;
            }
        }
        if (file == null) {
            err.println("Usage: amdc-check-rdb FILE [--fix OUT]");
            return 2;
        }
        if (!Files.isReadable(file)) {
            err.println("Cannot open " + file);
            return 2;
        }
        Map<String, String> aux = new TreeMap<>();
        Map<Integer, Map<String, long[]>> perDb = new TreeMap<>();
        PriorityQueue<Big> biggest = new PriorityQueue<>(Comparator.comparingLong(Big::size));
        long[] keys = {0};
        long[] expires = {0};
        long[] functions = {0};
        List<String> skipped = new ArrayList<>();
        int[] version = {0};
        RdbSalvage salvage = null;
        long t0 = System.nanoTime();
        try (RdbInput in = RdbFiles.open(file)) {
            if (fix != null) salvage = new RdbSalvage(fix);
            RdbSalvage sv = salvage;
            RdbReader reader = new RdbReader(in);
            try {
                reader.readFile(new RdbReader.Listener() {
                    int lastPct = -1;

                    @Override
                    public void version(int v) {
                        version[0] = v;
                    }

                    @Override
                    public void aux(String key, byte[] value) {
                        aux.put(key, new String(value, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void key(int db, byte[] key, Object value, long expireMs, long idle, int freq, long offset)
                            throws IOException {
                        String type = value instanceof byte[] ? "string" : ((RdbValue) value).typeName();
                        long size = value instanceof byte[] b ? b.length : ((RdbValue) value).size();
                        long[] c = perDb.computeIfAbsent(db, d -> new TreeMap<>()).computeIfAbsent(type, t -> new long[2]);
                        c[0]++;
                        if (expireMs != 0) {
                            c[1]++;
                            expires[0]++;
                        }
                        keys[0]++;
                        biggest.add(new Big(new String(key, StandardCharsets.UTF_8), db, type, size));
                        if (biggest.size() > 10) biggest.poll();
                        if (sv != null) sv.key(db, key, value, expireMs);
                    }

                    @Override
                    public void function(byte[] code, long offset) {
                        functions[0]++;
                    }

                    @Override
                    public void skipped(String what) {
                        skipped.add(what);
                    }

                    @Override
                    public void progress(long offset, long total) {
                        int pct = total == 0 ? 100 : (int) (offset * 100 / total);
                        if (total > (8 << 20) && pct != lastPct) {
                            err.print("\r[" + pct + "%] " + offset + " of " + total + " bytes");
                            if (pct == 100) err.println();
                        }
                        lastPct = pct;
                    }
                }, true);
            } catch (RdbFormatException e) {
                summary(out, file, version[0], aux, perDb, keys[0], expires[0], functions[0], biggest, skipped);
                err.println();
                err.println("--- RDB ERROR DETECTED ---");
                err.println("[offset " + e.offset() + "] " + e.reason());
                err.println("[additional info] " + keys[0] + " keys read intact before the error");
                if (salvage != null) {
                    salvage.finish();
                    out.println("Salvaged " + salvage.keys() + " keys into " + fix);
                }
                return 1;
            }
            summary(out, file, version[0], aux, perDb, keys[0], expires[0], functions[0], biggest, skipped);
            if (salvage != null) {
                salvage.finish();
                out.println("Salvaged " + salvage.keys() + " keys into " + fix);
            }
            out.printf("Checksum OK. RDB looks OK! (%.3f s)%n", (System.nanoTime() - t0) / 1e9);
            return 0;
        } catch (IOException e) {
            err.println("Error reading " + file + ": " + e.getMessage());
            return 1;
        } finally {
            if (salvage != null) {
                try {
                    salvage.close();
                } catch (IOException ignored) {
                    // the temporary file is gone or was committed already
                }
            }
        }
    }

    private static void summary(PrintStream out, Path file, int version, Map<String, String> aux,
                                Map<Integer, Map<String, long[]>> perDb, long keys, long expires, long functions,
                                PriorityQueue<Big> biggest, List<String> skipped) {
        out.println("[info] checking " + file);
        out.println("[info] RDB version " + version);
        aux.forEach((k, v) -> out.println("[info] AUX " + k + " = '" + v + "'"));
        perDb.forEach((db, types) -> types.forEach((t, c) ->
                out.println("[info] db " + db + ": " + c[0] + " " + t + " keys (" + c[1] + " with expiry)")));
        out.println("[info] " + keys + " keys read, " + expires + " expires, " + functions + " function libraries");
        for (String s : skipped) out.println("[warning] skipped " + s);
        List<Big> top = new ArrayList<>(biggest);
        top.sort(Comparator.comparingLong(Big::size).reversed());
        for (Big b : top) {
            out.println("[info] big key: db " + b.db() + " " + b.type() + " '" + b.key() + "' size " + b.size()
                    + (b.type().equals("string") ? " bytes" : " elements"));
        }
    }
}
