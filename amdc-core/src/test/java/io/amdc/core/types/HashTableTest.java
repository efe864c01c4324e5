package io.amdc.core.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The table overwrites its value arrays in place, so it must never share one with anybody. */
class HashTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(HashTable t, String field) {
        int slot = t.find(b(field));
        return slot < 0 ? null : new String(t.valueAt(slot), StandardCharsets.UTF_8);
    }

    @Test
    void aSameLengthReplacementReusesTheTablesArray() {
        HashTable t = new HashTable(4);
        t.put(b("f"), b("aaa"));
        byte[] stored = t.valueAt(t.find(b("f")));
        assertThat(t.put(b("f"), b("bbb"))).isFalse();
        assertThat(t.valueAt(t.find(b("f")))).isSameAs(stored);
        assertThat(value(t, "f")).isEqualTo("bbb");
        t.put(b("f"), b("cccc"));
        assertThat(value(t, "f")).isEqualTo("cccc");
        HashTable fresh = new HashTable(4);
        fresh.put(b("f"), b("dddd"));
        assertThat(t.memoryUsage()).isEqualTo(fresh.memoryUsage());
    }

    @Test
    void theCallersArraysStayTheCallers() {
        HashTable t = new HashTable(4);
        byte[] first = b("aaa");
        t.put(b("f"), first);
        byte[] second = b("bbb");
        t.put(b("f"), second);
        // The argument arrays of earlier commands (kept by a script's effect records, for one)
        // must still say what they said.
        assertThat(first).isEqualTo(b("aaa"));
        assertThat(second).isEqualTo(b("bbb"));
        second[0] = 'x';
        t.put(b("f"), b("ccc"));
        assertThat(value(t, "f")).isEqualTo("ccc");
        byte[] longer = b("dddd");
        t.put(b("f"), longer);
        longer[0] = 'x';
        assertThat(value(t, "f")).isEqualTo("dddd");
    }

    @Test
    void aCopyIsIndependentOfInPlaceWrites() {
        HashTable t = new HashTable(4);
        for (int i = 0; i < 100; i++) t.put(b("f" + i), b("v" + i));
        HashTable c = t.copy();
        for (int i = 0; i < 100; i++) t.put(b("f" + i), b("w" + i));
        for (int i = 0; i < 100; i++) {
            assertThat(value(c, "f" + i)).isEqualTo("v" + i);
            assertThat(value(t, "f" + i)).isEqualTo("w" + i);
        }
    }
}
