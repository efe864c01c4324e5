package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.params.BitPosParams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bitmap commands through Jedis. */
class BitmapCommandsTest {
    private static AmdcServer server;
    private Jedis j;

    @BeforeAll
    static void start() {
        server = AmdcServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() {
        j = new Jedis(server.host(), server.port());
    }

    @AfterEach
    void disconnect() {
        j.close();
    }

    @Test
    void setbitGetbitBitcount() {
        assertThat(j.setbit("b1", 7, true)).isFalse();
        assertThat(j.setbit("b1", 7, true)).isTrue();
        assertThat(j.getbit("b1", 7)).isTrue();
        assertThat(j.getbit("b1", 6)).isFalse();
        assertThat(j.getbit("b1", 1000)).isFalse();
        assertThat(j.get("b1")).isEqualTo("\u0001");
        j.setbit("b1", 100, true);
        assertThat(j.strlen("b1")).isEqualTo(13L);
        assertThat(j.bitcount("b1")).isEqualTo(2L);
        assertThat(j.bitcount("b1", 1, -1)).isEqualTo(1L);
        assertThat(j.bitcount("b1", 0, 7, BitCountOption.BIT)).isEqualTo(1L);
        assertThat(j.bitcount("b1", 8, 99, BitCountOption.BIT)).isZero();
        assertThatThrownBy(() -> j.setbit("b1", -1, true)).hasMessage("ERR bit offset is not an integer or out of range");
        assertThatThrownBy(() -> j.sendCommand(redis.clients.jedis.Protocol.Command.SETBIT, "b1", "1", "2"))
                .hasMessage("ERR bit is not an integer or out of range");
    }

    @Test
    void bitposAndBitop() {
        j.set("p1".getBytes(), new byte[]{(byte) 0xff, (byte) 0xf0, 0});
        assertThat(j.bitpos("p1", false)).isEqualTo(12L);
        assertThat(j.bitpos("p1", true, new BitPosParams(1))).isEqualTo(8L);
        assertThat(j.bitpos("p1", true, new BitPosParams(2, -1))).isEqualTo(-1L);
        assertThat(j.sendCommand(redis.clients.jedis.Protocol.Command.BITPOS, "p1", "1", "9", "20", "BIT")).isEqualTo(9L);
        j.set("p2".getBytes(), new byte[]{(byte) 0xff, (byte) 0xff});
        assertThat(j.bitpos("p2", false)).isEqualTo(16L);
        assertThat(j.bitpos("p2", false, new BitPosParams(0, -1))).isEqualTo(-1L);
        assertThat(j.bitpos("nope", true)).isEqualTo(-1L);
        assertThat(j.bitpos("nope", false)).isZero();

        j.set("o1", "abc");
        j.set("o2", "xy");
        assertThat(j.bitop(BitOP.AND, "o3", "o1", "o2")).isEqualTo(3L);
        assertThat(j.get("o3".getBytes())).containsExactly('a' & 'x', 'b' & 'y', 0);
        assertThat(j.bitop(BitOP.XOR, "o3", "o1", "o2")).isEqualTo(3L);
        assertThat(j.get("o3".getBytes())).containsExactly('a' ^ 'x', 'b' ^ 'y', 'c');
        assertThat(j.bitop(BitOP.NOT, "o3", "o2")).isEqualTo(2L);
        assertThat(j.get("o3".getBytes())).containsExactly((byte) ~'x', (byte) ~'y');
        assertThat(j.bitop(BitOP.OR, "o3", "nope1", "nope2")).isZero();
        assertThat(j.get("o3")).isNull();
        assertThatThrownBy(() -> j.bitop(BitOP.NOT, "o3", "o1", "o2"))
                .hasMessage("ERR BITOP NOT must be called with a single source key.");
    }

    @Test
    void bitfield() {
        assertThat(j.bitfield("f1", "SET", "u8", "0", "200", "GET", "u8", "0", "INCRBY", "u8", "0", "100"))
                .containsExactly(0L, 200L, 44L);
        assertThat(j.bitfield("f1", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1000", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"))
                .containsExactly(255L, null);
        assertThat(j.bitfield("f1", "SET", "i16", "#1", "-300", "GET", "i16", "#1", "GET", "i64", "0"))
                .containsExactly(0L, -300L, -71777407551406080L);
        assertThat(j.bitfieldReadonly("f1", "GET", "u4", "0", "GET", "i4", "0")).containsExactly(15L, -1L);
        assertThatThrownBy(() -> j.bitfield("f1", "GET", "u64", "0"))
                .hasMessage("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        assertThatThrownBy(() -> j.bitfield("f1", "OVERFLOW", "NOPE")).hasMessage("ERR Invalid OVERFLOW type specified");
        assertThatThrownBy(() -> j.bitfieldReadonly("f1", "SET", "u8", "0", "1"))
                .hasMessage("ERR BITFIELD_RO only supports the GET subcommand");
    }
}
