package io.amdc.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of the request grammar, with the error texts redis-server gives for them. */
class RequestParserTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<String> parseAll(RequestParser p, ByteBuf in) {
        List<String> out = new ArrayList<>();
        byte[][] argv;
        while ((argv = p.parse(in)) != null) {
            List<String> a = new ArrayList<>();
            for (byte[] b : argv) a.add(new String(b, StandardCharsets.ISO_8859_1));
            out.add(String.join("|", a));
        }
        return out;
    }

    private static void assertError(String input, String message) {
        RequestParser p = new RequestParser();
        assertThatThrownBy(() -> parseAll(p, buf(input))).isInstanceOf(ProtocolException.class)
                .hasMessage(message);
    }

    /** A pipeline repeating a command name shares one array for it; other names parse as sent. */
    @Test
    void repeatedCommandNamesShareOneArray() {
        RequestParser p = new RequestParser();
        ByteBuf in = buf("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n"
                + "*2\r\n$3\r\nGET\r\n$3\r\nSET\r\n*2\r\n$3\r\nset\r\n$1\r\nc\r\n");
        byte[][] first = p.parse(in), second = p.parse(in), third = p.parse(in), fourth = p.parse(in);
        assertThat(second[0]).isSameAs(first[0]);
        assertThat(new String(second[1], StandardCharsets.ISO_8859_1)).isEqualTo("b");
        assertThat(new String(third[0], StandardCharsets.ISO_8859_1)).isEqualTo("GET");
        assertThat(third[1]).isNotSameAs(first[0]).isEqualTo(first[0]); // only names are shared
        assertThat(new String(fourth[0], StandardCharsets.ISO_8859_1)).isEqualTo("set");
        assertThat(p.parse(in)).isNull();
    }

    @Test
    void multibulkCountMustBeAStrictInteger() {
        for (String bad : new String[]{"*abc\r\n", "*\r\n", "*-\r\n", "*+1\r\n", "*01\r\n", "*-0\r\n", "*1 \r\n",
                "*9223372036854775807\r\n", "*99999999999999999999\r\n", "*2147483648\r\n"}) {
            assertError(bad, "Protocol error: invalid multibulk length");
        }
    }

    @Test
    void bulkLengthMustBeAStrictNonNegativeIntegerWithinTheLimit() {
        for (String bad : new String[]{"*3\r\n$x\r\n", "*1\r\n$abc\r\n", "*1\r\n$-1\r\n", "*1\r\n$\r\n", "*1\r\n$-0\r\n",
                "*1\r\n$+4\r\n", "*1\r\n$04\r\n", "*1\r\n$4 \r\n", "*1\r\n$99999999999999999999\r\n",
                "*1\r\n$536870913\r\n"}) {
            assertError(bad, "Protocol error: invalid bulk length");
        }
        RequestParser p = new RequestParser();
        p.maxBulkLen(1024 * 1024);
        assertThatThrownBy(() -> p.parse(buf("*1\r\n$1048577\r\n"))).hasMessage("Protocol error: invalid bulk length");
        RequestParser ok = new RequestParser();
        ok.maxBulkLen(1024 * 1024);
        assertThat(ok.parse(buf("*1\r\n$1048576\r\n"))).isNull();
    }

    @Test
    void expectedDollarQuotesTheOffendingByteOnceItsLineIsComplete() {
        assertError("*1\r\nx\r\n", "Protocol error: expected '$', got 'x'");
        assertError("*1\r\n*1\r\n", "Protocol error: expected '$', got '*'");
        assertError("*1\r\n\r\n", "Protocol error: expected '$', got ' '");
        assertError("*1\r\n\nxyz\r\n", "Protocol error: expected '$', got ' '");
        assertError("*1\r\n\u00ffxyz\r\n", "Protocol error: expected '$', got '\u00ff'");
        // Redis waits for the line before judging its first byte.
        assertThat(new RequestParser().parse(buf("*1\r\nx"))).isNull();
        assertThat(new RequestParser().parse(buf("*1\r\nxyz\r"))).isNull();
    }

    @Test
    void emptyRequestsAreSkipped() {
        RequestParser p = new RequestParser();
        assertThat(parseAll(p, buf("*0\r\n*-1\r\n*-5\r\n\r\n\r\n \r\n\nPING\r\n*1\r\n$4\r\nPING\r\n")))
                .containsExactly("PING", "PING");
        assertThat(parseAll(new RequestParser(), buf("*-9223372036854775808\r\nPING\n"))).containsExactly("PING");
    }

    @Test
    void manyBlankLinesDoNotRecurse() {
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < 200_000; i++) in.writeBytes(i % 2 == 0 ? new byte[]{'\r', '\n'} : new byte[]{'*', '0', '\r', '\n'});
        in.writeBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(parseAll(new RequestParser(), in)).containsExactly("PING");
    }

    @Test
    void bulkTerminatorBytesAreNotChecked() {
        // Redis skips the two bytes after a bulk without looking at them.
        assertThat(parseAll(new RequestParser(), buf("*1\r\n$4\r\nPINGxxPING\r\n"))).containsExactly("PING", "PING");
    }

    @Test
    void inlineQuotingAndErrors() {
        RequestParser p = new RequestParser();
        assertThat(parseAll(p, buf("SET \"a b\" 'c d'\r\nECHO \"\\x41\\n\\t\\\\\"\nPING\r\rPING\r\nX a\"b c\" d\r\nECHO \"\\x4g\"\r\n")))
                .containsExactly("SET|a b|c d", "ECHO|A\n\t\\", "PING|PING", "X|ab c|d", "ECHO|x4g");
        assertError("SET \"a b\r\n", "Protocol error: unbalanced quotes in request");
        assertError("SET 'a\r\n", "Protocol error: unbalanced quotes in request");
        assertError("SET \"a\"b c\r\n", "Protocol error: unbalanced quotes in request");
        assertThat(p.lastWasInline()).isTrue();
    }

    @Test
    void oversizedLinesWithoutTerminator() {
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(new byte[RequestParser.INLINE_MAX]).setByte(0, 'a');
        for (int i = 0; i < in.writerIndex(); i++) in.setByte(i, 'a');
        assertThat(p.parse(in)).isNull(); // exactly 64 KB is still allowed
        in.writeByte('a');
        assertThatThrownBy(() -> p.parse(in)).hasMessage("Protocol error: too big inline request");

        ByteBuf count = Unpooled.buffer().writeByte('*');
        for (int i = 0; i < RequestParser.INLINE_MAX; i++) count.writeByte('1');
        assertThatThrownBy(() -> new RequestParser().parse(count)).hasMessage("Protocol error: too big mbulk count string");

        ByteBuf bulk = buf("*1\r\n$");
        for (int i = 0; i < RequestParser.INLINE_MAX; i++) bulk.writeByte('1');
        assertThatThrownBy(() -> new RequestParser().parse(bulk)).hasMessage("Protocol error: too big bulk count string");
    }

    @Test
    void unauthenticatedClientsGetSmallLimits() {
        RequestParser p = new RequestParser();
        p.authenticated(false);
        assertThat(p.parse(buf("*10\r\n"))).isNull();
        RequestParser q = new RequestParser();
        q.authenticated(false);
        assertThatThrownBy(() -> q.parse(buf("*11\r\n"))).hasMessage("Protocol error: unauthenticated multibulk length");
        RequestParser r = new RequestParser();
        r.authenticated(false);
        assertThat(r.parse(buf("*1\r\n$16384\r\n"))).isNull();
        RequestParser s = new RequestParser();
        s.authenticated(false);
        assertThatThrownBy(() -> s.parse(buf("*1\r\n$16385\r\n"))).hasMessage("Protocol error: unauthenticated bulk length");
    }

    @Test
    void bigBulkIsStreamedOutOfTheInputBuffer() {
        int len = 3 * 1024 * 1024;
        RequestParser p = new RequestParser();
        ByteBuf in = buf("*2\r\n$3\r\nSET\r\n$" + len + "\r\n");
        assertThat(p.parse(in)).isNull();
        byte[] chunk = new byte[64 * 1024];
        int sent = 0;
        while (sent < len) {
            int n = Math.min(chunk.length, len - sent);
            for (int i = 0; i < n; i++) chunk[i] = (byte) (sent + i);
            in.writeBytes(chunk, 0, n);
            sent += n;
            assertThat(p.parse(in)).isNull();
            // Input is drained as it arrives; the partial value is accounted as pending.
            assertThat(in.readableBytes()).isZero();
            assertThat(p.pendingBytes()).isGreaterThanOrEqualTo(sent);
            in.discardReadBytes();
        }
        in.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[][] argv = p.parse(in);
        assertThat(argv).hasNumberOfRows(2);
        assertThat(argv[1]).hasSize(len);
        for (int i = 0; i < len; i += 4099) assertThat(argv[1][i]).isEqualTo((byte) i);
        assertThat(p.pendingBytes()).isZero();
    }

    @Test
    void strictNumberParsing() {
        assertThat(RequestParser.parseNumber(buf("0"), 0, 1)).isZero();
        assertThat(RequestParser.parseNumber(buf("-1"), 0, 2)).isEqualTo(-1);
        assertThat(RequestParser.parseNumber(buf("9223372036854775807"), 0, 19)).isEqualTo(Long.MAX_VALUE);
        assertThat(RequestParser.parseNumber(buf("9223372036854775808"), 0, 19)).isEqualTo(Long.MIN_VALUE);
        assertThat(RequestParser.parseNumber(buf("12a"), 0, 3)).isEqualTo(Long.MIN_VALUE);
    }
}
