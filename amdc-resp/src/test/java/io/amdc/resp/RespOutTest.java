package io.amdc.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Wire forms of every reply type under RESP2 and RESP3. */
class RespOutTest {
    private static String wire(int protocol, Consumer<RespOut> writer) {
        RespOut out = new RespOut();
        ByteBuf b = Unpooled.buffer();
        out.target(b);
        out.protocol(protocol);
        writer.accept(out);
        out.spill();
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void both(Consumer<RespOut> writer, String resp2, String resp3) {
        assertThat(wire(2, writer)).as("RESP2").isEqualTo(resp2);
        assertThat(wire(3, writer)).as("RESP3").isEqualTo(resp3);
    }

    @Test
    void streamIdsAreWrittenAsUnsignedBulkStrings() {
        long[][] ids = {{0, 0}, {1, 0}, {1700000000123L, 7}, {Long.MAX_VALUE, Long.MAX_VALUE}, {-1L, -1L},
                {-1L, 5}, {5, -1L}, {123456789, 10}};
        for (long[] id : ids) {
            String text = Long.toUnsignedString(id[0]) + "-" + Long.toUnsignedString(id[1]);
            both(o -> o.bulkStreamId(id[0], id[1]), "$" + text.length() + "\r\n" + text + "\r\n",
                    "$" + text.length() + "\r\n" + text + "\r\n");
        }
        // The digits go through the same scratch as integers: one must not spoil the other.
        both(o -> {
            o.bulkStreamId(1700000000123L, 42);
            o.integer(-98765);
            o.bulkStreamId(9, 9);
        }, "$16\r\n1700000000123-42\r\n:-98765\r\n$3\r\n9-9\r\n", "$16\r\n1700000000123-42\r\n:-98765\r\n$3\r\n9-9\r\n");
    }

    @Test
    void stagedRepliesKeepTheirOrderAcrossSizesAndTargets() {
        RespOut out = new RespOut();
        ByteBuf first = Unpooled.buffer();
        out.target(first);
        StringBuilder expected = new StringBuilder();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            // Small values stay in the stage; values over half of it go to the buffer directly,
            // after what was staged before them.
            int len = r.nextInt(10) == 0 ? 2000 + r.nextInt(9000) : r.nextInt(40);
            String v = String.valueOf((char) ('a' + i % 26)).repeat(len);
            out.bulk(v);
            expected.append('$').append(len).append("\r\n").append(v).append("\r\n");
            out.integer(i);
            expected.append(':').append(i).append("\r\n");
            if (i % 7 == 0) {
                out.dbl(i + 0.5);
                expected.append('$').append(Doubles.format(i + 0.5).length()).append("\r\n")
                        .append(Doubles.format(i + 0.5)).append("\r\n");
            }
        }
        out.simple("END");
        expected.append("+END\r\n");
        ByteBuf second = Unpooled.buffer();
        out.target(second); // what was staged belongs to the first buffer
        out.ok();
        assertThat(first.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected.toString());
        assertThat(out.buffer().toString(StandardCharsets.ISO_8859_1)).isEqualTo("+OK\r\n");
        out.integer(5);
        out.discard();
        assertThat(out.buffer().toString(StandardCharsets.ISO_8859_1)).isEqualTo("+OK\r\n");
    }

    @Test
    void scalars() {
        both(RespOut::ok, "+OK\r\n", "+OK\r\n");
        both(o -> o.simple("PONG"), "+PONG\r\n", "+PONG\r\n");
        both(o -> o.error("ERR x"), "-ERR x\r\n", "-ERR x\r\n");
        String utf8 = new String("-ERR \u00e9\r\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        both(o -> o.error("ERR \u00e9"), utf8, utf8);
        both(o -> o.integer(0), ":0\r\n", ":0\r\n");
        both(o -> o.integer(1023), ":1023\r\n", ":1023\r\n");
        both(o -> o.integer(1024), ":1024\r\n", ":1024\r\n");
        both(o -> o.integer(-7), ":-7\r\n", ":-7\r\n");
        both(o -> o.integer(Long.MIN_VALUE), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n");
        both(o -> o.integer(Long.MAX_VALUE), ":9223372036854775807\r\n", ":9223372036854775807\r\n");
        both(o -> o.bulk("hi"), "$2\r\nhi\r\n", "$2\r\nhi\r\n");
        both(o -> o.bulk(new byte[0]), "$0\r\n\r\n", "$0\r\n\r\n");
        both(o -> o.bulk(new byte[]{'a', 'b', 'c', 'd'}, 1, 2), "$2\r\nbc\r\n", "$2\r\nbc\r\n");
        both(o -> o.bulkLong(-42), "$3\r\n-42\r\n", "$3\r\n-42\r\n");
        String big = "x".repeat(600);
        both(o -> o.bulk(big), "$600\r\n" + big + "\r\n", "$600\r\n" + big + "\r\n");
    }

    @Test
    void nulls() {
        both(RespOut::nullBulk, "$-1\r\n", "_\r\n");
        both(RespOut::nullArray, "*-1\r\n", "_\r\n");
        both(o -> o.bulk((byte[]) null), "$-1\r\n", "_\r\n");
        both(o -> o.bulk((String) null), "$-1\r\n", "_\r\n");
    }

    @Test
    void aggregates() {
        both(o -> {
            o.map(2);
            o.bulk("a");
            o.integer(1);
            o.bulk("b");
            o.integer(2);
        }, "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n", "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
        both(o -> o.map(0), "*0\r\n", "%0\r\n");
        both(o -> {
            o.set(1);
            o.bulk("m");
        }, "*1\r\n$1\r\nm\r\n", "~1\r\n$1\r\nm\r\n");
        both(o -> {
            o.push(2);
            o.bulk("message");
            o.bulk("x");
        }, "*2\r\n$7\r\nmessage\r\n$1\r\nx\r\n", ">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n");
        both(o -> o.array(12), "*12\r\n", "*12\r\n");
    }

    @Test
    void booleansDoublesAndVerbatim() {
        both(o -> o.bool(true), ":1\r\n", "#t\r\n");
        both(o -> o.bool(false), ":0\r\n", "#f\r\n");
        both(o -> o.dbl(1.5), "$3\r\n1.5\r\n", ",1.5\r\n");
        both(o -> o.dbl(3), "$1\r\n3\r\n", ",3\r\n");
        both(o -> o.dbl(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n");
        both(o -> o.dbl(Double.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n");
        both(o -> o.verbatim("a\r\nb"), "$4\r\na\r\nb\r\n", "=8\r\ntxt:a\r\nb\r\n");
        both(o -> o.verbatim("é"), "$2\r\n\u00c3\u00a9\r\n", "=6\r\ntxt:\u00c3\u00a9\r\n");
    }

    @Test
    void mutedWritesNothing() {
        both(o -> {
            o.muted(true);
            o.ok();
            o.map(3);
            o.bulk("x");
            o.dbl(1);
            o.bool(true);
            o.nullBulk();
            o.verbatim("v");
            o.push(1);
            o.error("ERR e");
        }, "", "");
    }
}
