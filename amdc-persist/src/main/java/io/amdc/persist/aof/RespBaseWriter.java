package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.types.ElementSource;
import io.amdc.core.types.HashValue;
import io.amdc.core.types.TypedValue;
import io.amdc.core.types.ZSet;
import io.amdc.core.util.Log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A base file of RESP commands that rebuild the keyspace: SET, RPUSH, SADD, HSET, ZADD in
 * batches of {@value #ITEMS_PER_CMD} items (as Redis's rewrite does), then PEXPIREAT for keys with
 * a TTL. Slots may be written from several threads; each slot's commands go out as one block.
 */
final class RespBaseWriter implements BaseWriter {
    static final int ITEMS_PER_CMD = 64;

    private final Engine engine;
    private final FileChannel channel;
    private final OutputStream out;
    private int lastDb = -1;
    private long keys;
    private final java.util.Set<String> skippedTypes = new java.util.HashSet<>();

    RespBaseWriter(Engine engine, Path file) throws IOException {
        this.engine = engine;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    @Override
    public String extension() {
        return "aof";
    }

    long keys() {
        return keys;
    }

    @Override
    public void writeSlot(int slot) throws IOException {
        Keyspace ks = engine.keyspace();
        for (int d = 0; d < ks.databases(); d++) {
            Db db = ks.db(d);
            if (db.table(slot) == null) continue;
            List<byte[]> slotKeys = new ArrayList<>();
            db.forEachKey(slot, slotKeys::add);
            if (slotKeys.isEmpty()) continue;
            Cmds cmds = new Cmds();
            for (byte[] k : slotKeys) {
                Object v = db.peek(k);
                if (v == null) continue;
                if (!emit(cmds, k, v)) continue;
                long at = db.expireTime(k);
                if (at > 0) cmds.add("PEXPIREAT", k, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
            }
            write(d, cmds);
        }
    }

    private synchronized void write(int db, Cmds cmds) throws IOException {
        if (cmds.count == 0) return;
        if (db != lastDb) {
            Cmds sel = new Cmds();
            sel.add("SELECT", Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
            out.write(sel.buf.toByteArray());
            lastDb = db;
        }
        cmds.buf.writeTo(out);
        keys += cmds.keys;
    }

    /** Appends the commands that recreate {@code key}; false for a type this writer cannot express. */
    private boolean emit(Cmds c, byte[] key, Object v) {
        c.keys++;
        if (v instanceof byte[] s) {
            c.add("SET", key, s);
            return true;
        }
        TypedValue t = (TypedValue) v;
        switch (t.typeName()) {
            case "list", "set" -> {
                ElementSource es = (ElementSource) t;
                List<byte[]> batch = new ArrayList<>(ITEMS_PER_CMD);
                String cmd = t.typeName().equals("list") ? "RPUSH" : "SADD";
                es.forEachElement(e -> {
                    batch.add(e);
                    if (batch.size() == ITEMS_PER_CMD) {
                        c.addBatch(cmd, key, batch);
                        batch.clear();
                    }
                });
                if (!batch.isEmpty()) c.addBatch(cmd, key, batch);
                return true;
            }
            case "hash" -> {
                HashValue h = (HashValue) t;
                List<byte[]> batch = new ArrayList<>(ITEMS_PER_CMD * 2);
                List<byte[]> withTtl = new ArrayList<>();
                h.forEach((fb, fo, fl, vb, vo, vl) -> {
                    byte[] f = Arrays.copyOfRange(fb, fo, fo + fl);
                    batch.add(f);
                    batch.add(Arrays.copyOfRange(vb, vo, vo + vl));
                    if (batch.size() == ITEMS_PER_CMD * 2) {
                        c.addBatch("HSET", key, batch);
                        batch.clear();
                    }
                    withTtl.add(f);
                });
                if (!batch.isEmpty()) c.addBatch("HSET", key, batch);
                for (byte[] f : withTtl) {
                    long at = h.expireAt(f);
                    if (at > 0) {
                        c.add("HPEXPIREAT", key, Long.toString(at).getBytes(StandardCharsets.US_ASCII),
                                "FIELDS".getBytes(StandardCharsets.US_ASCII), new byte[] {'1'}, f);
                    }
                }
                return true;
            }
            case "zset" -> {
                ZSet z = (ZSet) t;
                List<byte[]> batch = new ArrayList<>(ITEMS_PER_CMD * 2);
                z.forRange(0, z.size() - 1, false, (m, score) -> {
                    batch.add(score(score));
                    batch.add(m);
                    if (batch.size() == ITEMS_PER_CMD * 2) {
                        c.addBatch("ZADD", key, batch);
                        batch.clear();
                    }
                });
                if (!batch.isEmpty()) c.addBatch("ZADD", key, batch);
                return true;
            }
            default -> {
                c.keys--;
                if (skippedTypes.add(t.typeName())) {
                    Log.warning("AOF rewrite: values of type '" + t.typeName() + "' cannot be written yet; skipped");
                }
                return false;
            }
        }
    }

    /** A score as Redis's rewrite writes it ("%.17g", inf/-inf): it parses back to the same double. */
    private static byte[] score(double d) {
        return io.amdc.resp.Doubles.format(d).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public synchronized void finish() throws IOException {
        out.flush();
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** RESP-encoded commands of one slot and database. */
    private static final class Cmds {
        final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        int count;
        long keys;

        void add(String name, byte[]... args) {
            header(1 + args.length);
            bulk(name.getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) bulk(a);
            count++;
        }

        void addBatch(String name, byte[] key, List<byte[]> items) {
            header(2 + items.size());
            bulk(name.getBytes(StandardCharsets.US_ASCII));
            bulk(key);
            for (byte[] a : items) bulk(a);
            count++;
        }

        private void header(int n) {
            buf.writeBytes(("*" + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void bulk(byte[] a) {
            buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.write(a, 0, a.length);
            buf.write('\r');
            buf.write('\n');
        }
    }
}
