package io.amdc.persist.rdb;

import java.io.IOException;
import java.util.List;

/** Encodes decoded (neutral) values back to RDB with plain encodings; used by salvage. */
final class NeutralWriter {
    private NeutralWriter() {
    }

    static void write(RdbOutput o, Object value) throws IOException {
        switch (value) {
            case byte[] s -> {
                o.u8(RdbConst.T_STRING);
                o.string(s, true);
            }
            case RdbValue.ListVal l -> {
                o.u8(RdbConst.T_LIST_QUICKLIST_2);
                o.length(l.elements().size());
                for (byte[] e : l.elements()) {
                    o.length(1); // plain node: one element each, simple and always valid
                    o.string(e, true);
                }
            }
            case RdbValue.SetVal s -> {
                o.u8(RdbConst.T_SET);
                strings(o, s.members());
            }
            case RdbValue.ZSetVal z -> {
                o.u8(RdbConst.T_ZSET_2);
                o.length(z.members().size());
                for (int i = 0; i < z.members().size(); i++) {
                    o.string(z.members().get(i), true);
                    o.le(Double.doubleToRawLongBits(z.scores()[i]), 8);
                }
            }
            case RdbValue.HashVal h -> {
                o.u8(RdbConst.T_HASH);
                o.length(h.fields().size());
                for (int i = 0; i < h.fields().size(); i++) {
                    o.string(h.fields().get(i), true);
                    o.string(h.values().get(i), true);
                }
            }
            case RdbValue.StreamVal s -> throw new IOException("re-encoding streams is not supported");
            default -> throw new IOException("unknown value " + value.getClass());
        }
    }

    private static void strings(RdbOutput o, List<byte[]> l) {
        o.length(l.size());
        for (byte[] e : l) o.string(e, true);
    }
}
