package io.amdc.persist.rdb;

import io.amdc.core.command.CommandError;
import io.amdc.core.notify.Notifications;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.Db;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.io.IOException;

/** DUMP and RESTORE with Redis's payload: type byte + value, 2-byte RDB version, CRC-64 (little-endian). */
final class DumpRestore {
    private DumpRestore() {
    }

    /** The DUMP payload of a value. */
    static byte[] payload(Object value, boolean compress) throws ValueCodec.UnsupportedType {
        RdbOutput o = new RdbOutput(64);
        ValueCodec.write(o, value, compress);
        o.le(RdbConst.WRITE_VERSION, 2);
        o.le(Crc64.of(o.array(), 0, o.size()), 8);
        return o.toByteArray();
    }

    static void dump(Client c, byte[][] argv) {
        Object v = c.db().peek(argv[1]);
        if (v == null) {
            c.out().nullBulk();
            return;
        }
        try {
            c.out().bulk(payload(v, c.engine().config().getBool("rdbcompression")));
        } catch (ValueCodec.UnsupportedType e) {
            throw new CommandError("ERR " + e.getMessage());
        }
    }

    /** Checks version and checksum; false when the payload is not acceptable. */
    static boolean verify(byte[] p) {
        if (p.length < 10) return false;
        int ver = (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        if (ver > RdbReader.MAX_VERSION) return false;
        long crc = 0;
        for (int i = 0; i < 8; i++) crc |= (long) (p[p.length - 8 + i] & 0xff) << (8 * i);
        return crc == Crc64.of(p, 0, p.length - 8);
    }

    /** The value of a verified payload. */
    static Object decode(byte[] p, Config cfg) throws IOException, ValueCodec.InvalidValue, ValueCodec.UnsupportedType {
        int ver = (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        RdbInput in = RdbInput.of(p, 0, p.length - 10);
        Object raw = new RdbReader(in).readPayloadValue(ver);
        if (in.remaining() != 0) throw in.error("trailing bytes after the value");
        return ValueCodec.materialize(raw, cfg);
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    static void restore(Client c, byte[][] argv) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < argv.length; j++) {
            int more = argv.length - j - 1;
            if (Bytes.eqIgnoreCase(argv[j], "REPLACE")) {
                replace = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "ABSTTL")) {
                absttl = true;
            } else if (Bytes.eqIgnoreCase(argv[j], "IDLETIME") && more >= 1 && freq == -1) {
                idle = Bytes.toLong(argv[++j]);
                if (idle < 0) throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
            } else if (Bytes.eqIgnoreCase(argv[j], "FREQ") && more >= 1 && idle == -1) {
                freq = Bytes.toLong(argv[++j]);
                if (freq < 0 || freq > 255) throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
            } else {
                throw CommandError.syntax();
            }
        }
        Db db = c.db();
        byte[] key = argv[1];
        if (!replace && db.exists(key)) throw new CommandError("BUSYKEY Target key name already exists.");
        long ttl = Bytes.toLong(argv[2]);
        if (ttl < 0) throw new CommandError("ERR Invalid TTL value, must be >= 0");
        byte[] p = argv[3];
        if (!verify(p)) throw new CommandError("ERR DUMP payload version or checksum are wrong");
        Object value;
        try {
            value = decode(p, c.engine().config());
        } catch (IOException | ValueCodec.InvalidValue | ValueCodec.UnsupportedType | RuntimeException e) {
            throw new CommandError("ERR Bad data format");
        }
        boolean deleted = replace && db.delete(key);
        if (ttl != 0 && !absttl) ttl += System.currentTimeMillis();
        if (ttl != 0 && ttl <= System.currentTimeMillis()) {
            // Already expired: nothing is stored, but a replaced key is gone, as Redis announces.
            if (deleted) c.engine().notifications().notify(c, Notifications.GENERIC, "del", key);
            c.out().ok();
            return;
        }
        Config cfg = c.engine().config();
        RdbPersistence.placeKey(db, key, value, ttl, RdbPersistence.accessWord(cfg, idle, (int) freq));
        c.engine().blocking().signal(c.dbIndex(), key);
        c.engine().notifications().notify(c, Notifications.GENERIC, "restore", key);
        c.out().ok();
    }
}
