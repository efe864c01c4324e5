package io.amdc.core.util;

import io.amdc.core.command.CommandError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The allocation-free number paths against the JDK's own formatting and parsing. */
class BytesPropertiesTest {
    @Provide
    Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1000, 1000),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 9L, 10L, -9L, -10L));
    }

    @Property(tries = 2000)
    void longsFormatAndParseLikeTheJdk(@ForAll("longs") long v) {
        byte[] b = Bytes.fromLong(v);
        assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        assertThat(Bytes.digits(v)).isEqualTo(b.length);
        byte[] padded = ("xx" + v + "yy").getBytes(StandardCharsets.US_ASCII);
        assertThat(Bytes.toLong(padded, 2, padded.length - 2)).isEqualTo(v);
        byte[] into = new byte[b.length + 4];
        Bytes.writeLong(into, 2, b.length, v);
        assertThat(new String(into, 2, b.length, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }

    @Provide
    Arbitrary<String> numberTexts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(18),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(18).map(s -> "-" + s),
                Arbitraries.of("0", "-0", "007", "-007", "123456789012345", "1234567890123456", "+5", "1.5", "-", "1e3"));
    }

    @Property(tries = 2000)
    void doublesParseLikeTheJdk(@ForAll("numberTexts") String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (s.equals("-")) {
            assertThatThrownBy(() -> Bytes.toDouble(b)).isInstanceOf(CommandError.class);
            return;
        }
        double want = Double.parseDouble(s);
        assertThat(Double.doubleToRawLongBits(Bytes.toDouble(b))).isEqualTo(Double.doubleToRawLongBits(want));
    }
}
