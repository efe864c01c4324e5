package io.amdc.server.families;

import io.amdc.core.keyspace.Slots;
import io.amdc.core.types.TypedValue;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * String and bitmap commands against a key of another type. No other type exists on this branch,
 * so a stand-in value is put in the keyspace directly; the expected replies (and which check
 * comes first) were taken from redis-server with a list in that key.
 */
class StringWrongTypeTest {
    private static final String WT = "!WRONGTYPE Operation against a key holding the wrong kind of value";

    /** Any non-string value. */
    private static final class Other extends io.amdc.core.types.AccountedValue {
        public String typeName() {
            return "list";
        }

        public String encoding() {
            return "listpack";
        }

        public long memoryUsage() {
            return 16;
        }

        public TypedValue copy() {
            return this;
        }
    }

    @Test
    void wrongTypeRepliesAndCheckOrder() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            byte[] key = "l".getBytes(StandardCharsets.UTF_8);
            int slot = Slots.slot(key);
            s.engine().keyspace().lock(slot);
            try {
                s.engine().keyspace().db(0).set(key, new Other());
            } finally {
                s.engine().keyspace().unlock(slot);
            }
            c.call("SET", "f", "abc");
            String[][] cases = {
                    {"GET l", WT}, {"MGET l f", "[(nil), abc]"}, {"SETNX l x", "(integer) 0"}, {"MSETNX l x", "(integer) 0"},
                    {"BITOP AND d l", WT}, {"BITCOUNT l 0", WT}, {"BITPOS l 1 x", WT},
                    {"BITPOS l 2", "!ERR The bit argument must be 1 or 0."}, {"GETEX l EX abc", WT},
                    {"GETRANGE l x 1", "!ERR value is not an integer or out of range"}, {"GETRANGE l 0 1", WT},
                    {"SETRANGE l -1 x", "!ERR offset is out of range"}, {"SETRANGE l 0 x", WT}, {"APPEND l x", WT},
                    {"INCRBYFLOAT l x", WT}, {"INCRBY l x", "!ERR value is not an integer or out of range"}, {"INCR l", WT},
                    {"DECRBY l 1", WT}, {"GETBIT l x", "!ERR bit offset is not an integer or out of range"}, {"GETBIT l 0", WT},
                    {"SETBIT l 0 2", "!ERR bit is not an integer or out of range"}, {"SETBIT l 0 1", WT},
                    {"BITFIELD_RO l GET u8 0", WT}, {"BITFIELD l SET u8 0 1", WT},
                    {"BITFIELD l GET bad 0", "!ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."},
                    {"SET l x GET EX 0", "!ERR invalid expire time in 'set' command"}, {"SET l x GET", WT},
                    {"GETEX l PERSIST", WT}, {"STRLEN l", WT}, {"GETDEL l", WT}, {"GETSET l x", WT},
                    {"LCS l f", "!ERR The specified keys must contain string values"},
                    {"LCS f l", "!ERR The specified keys must contain string values"},
                    {"BITOP AND l f", "(integer) 3"}, {"GET l", "abc"},
            };
            for (String[] tc : cases) {
                assertThat(c.call((Object[]) tc[0].split(" "))).as(tc[0]).isEqualTo(tc[1]);
            }
        }
    }
}
