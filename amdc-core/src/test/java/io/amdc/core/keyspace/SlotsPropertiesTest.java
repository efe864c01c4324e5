package io.amdc.core.keyspace;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The table-driven CRC16 (two bytes per step) against the bit-by-bit definition. */
class SlotsPropertiesTest {
    private static int reference(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
        return crc;
    }

    @Property(tries = 3000)
    void crc16MatchesTheDefinition(@ForAll @Size(max = 64) byte[] key) {
        assertThat(Slots.crc16(key, 0, key.length)).isEqualTo(reference(key));
    }

    @Test
    void knownValues() {
        assertThat(Slots.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0x31c3);
        // Redis Cluster's CLUSTER KEYSLOT answers for these keys.
        assertThat(Slots.slot("foo".getBytes(StandardCharsets.US_ASCII))).isEqualTo(12182);
        assertThat(Slots.slot("bar".getBytes(StandardCharsets.US_ASCII))).isEqualTo(5061);
        assertThat(Slots.slot("{user1000}.following".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Slots.slot("user1000".getBytes(StandardCharsets.US_ASCII)));
    }
}
