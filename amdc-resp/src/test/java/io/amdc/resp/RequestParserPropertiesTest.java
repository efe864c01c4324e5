package io.amdc.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Property tests: any valid encoding of any argv, cut anywhere into chunks, parses back to that argv. */
class RequestParserPropertiesTest {

    @Property(tries = 300)
    void multibulkRoundTripsAcrossArbitraryChunks(@ForAll("commands") List<List<byte[]>> commands,
                                                  @ForAll long seed) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (List<byte[]> argv : commands) wire.writeBytes(multibulk(argv));
        assertParsesTo(feedInChunks(wire.toByteArray(), new Random(seed), commands.size()), commands);
    }

    @Property(tries = 300)
    void inlineRoundTripsAcrossArbitraryChunks(@ForAll("inlineCommands") List<List<byte[]>> commands,
                                               @ForAll long seed) {
        Random rnd = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (List<byte[]> argv : commands) wire.writeBytes(inline(argv, rnd));
        assertParsesTo(feedInChunks(wire.toByteArray(), rnd, commands.size()), commands);
    }

    @Property(tries = 200)
    void mixedInlineAndMultibulkWithBlankLinesAndEmptyMultibulks(@ForAll("inlineCommands") List<List<byte[]>> commands,
                                                                 @ForAll long seed) {
        Random rnd = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (List<byte[]> argv : commands) {
            switch (rnd.nextInt(4)) {
                case 0 -> wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                case 1 -> wire.writeBytes("*0\r\n".getBytes(StandardCharsets.US_ASCII));
                case 2 -> wire.writeBytes("*-1\r\n".getBytes(StandardCharsets.US_ASCII));
                default -> { }
            }
            wire.writeBytes(rnd.nextBoolean() ? inline(argv, rnd) : multibulk(argv));
        }
        assertParsesTo(feedInChunks(wire.toByteArray(), rnd, commands.size()), commands);
    }

    /** Garbage may be refused, but only with a ProtocolException, and the parser never loops or overreads. */
    @Property(tries = 500)
    void garbageOnlyEverRaisesProtocolErrors(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 255) Integer> bytes,
                                             @ForAll long seed) {
        byte[] data = new byte[bytes.size()];
        Random rnd = new Random(seed);
        for (int i = 0; i < data.length; i++) {
            // Bias towards protocol characters so the interesting paths are reached.
            data[i] = rnd.nextInt(3) == 0 ? (byte) "*$\r\n0123456789- \"'"
                    .charAt(rnd.nextInt(17)) : bytes.get(i).byteValue();
        }
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        try {
            int pos = 0;
            while (pos < data.length) {
                int n = 1 + rnd.nextInt(Math.min(40, data.length - pos));
                in.writeBytes(data, pos, n);
                pos += n;
                int guard = 0;
                while (p.parse(in) != null) {
                    assertThat(++guard).isLessThan(1000);
                }
            }
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).startsWith("Protocol error: ");
        }
    }

    @Provide
    Arbitrary<List<List<byte[]>>> commands() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        // A few args cross RequestParser.BIG_ARG so the streaming path is covered.
        Arbitrary<byte[]> big = Arbitraries.integers().between(RequestParser.BIG_ARG - 2, RequestParser.BIG_ARG * 5)
                .map(n -> {
                    byte[] b = new byte[n];
                    new Random(n).nextBytes(b);
                    return b;
                });
        Arbitrary<byte[]> arg = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, small), net.jqwik.api.Tuple.of(1, big));
        return arg.list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<List<byte[]>>> inlineCommands() {
        Arbitrary<byte[]> arg = Arbitraries.bytes().array(byte[].class).ofMaxSize(30);
        return arg.list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(8);
    }

    private static void assertParsesTo(List<byte[][]> parsed, List<List<byte[]>> expected) {
        assertThat(parsed).hasSameSizeAs(expected);
        for (int i = 0; i < parsed.size(); i++) {
            assertThat(parsed.get(i)).as("command %d", i).isDeepEqualTo(expected.get(i).toArray(new byte[0][]));
        }
    }

    /** Feeds the bytes in random chunks, as reads from a socket would deliver them. */
    private static List<byte[][]> feedInChunks(byte[] wire, Random rnd, int expectedCommands) {
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        List<byte[][]> out = new ArrayList<>();
        int pos = 0;
        while (pos < wire.length) {
            int max = rnd.nextInt(4) == 0 ? 3 : 5000;
            int n = Math.min(wire.length - pos, 1 + rnd.nextInt(max));
            in.writeBytes(wire, pos, n);
            pos += n;
            byte[][] argv;
            while ((argv = p.parse(in)) != null) out.add(argv);
            if (rnd.nextBoolean()) in.discardReadBytes();
            assertThat(out.size()).isLessThanOrEqualTo(expectedCommands);
        }
        assertThat(in.isReadable()).isFalse();
        return out;
    }

    static byte[] multibulk(List<byte[]> argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    /** An inline line for argv using randomly chosen valid quoting for each argument. */
    static byte[] inline(List<byte[]> argv, Random rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) sb.append(" \t".charAt(rnd.nextInt(2)));
        for (int i = 0; i < argv.size(); i++) {
            if (i > 0) sb.append(rnd.nextBoolean() ? " " : " \t ");
            byte[] a = argv.get(i);
            boolean bareOk = a.length > 0 && !(i == 0 && a[0] == '*');
            boolean singleOk = true;
            for (byte c : a) {
                boolean printable = c >= 0x21 && c <= 0x7e;
                if (!printable || c == '"' || c == '\'') bareOk = false;
                if (!(printable || c == ' ') || c == '\\') singleOk = false;
            }
            int form = rnd.nextInt(3);
            if (form == 0 && bareOk) {
                for (byte c : a) sb.append((char) c);
            } else if (form == 1 && singleOk) {
                sb.append('\'');
                for (byte c : a) sb.append(c == '\'' ? "\\'" : String.valueOf((char) c));
                sb.append('\'');
            } else {
                sb.append('"');
                for (byte c : a) {
                    int u = c & 0xff;
                    if (c == '"' || c == '\\') sb.append('\\').append((char) c);
                    else if (u >= 0x20 && u <= 0x7e) sb.append((char) c);
                    else if (c == '\n' && rnd.nextBoolean()) sb.append("\\n");
                    else sb.append(String.format("\\x%02x", u));
                }
                sb.append('"');
            }
        }
        sb.append(rnd.nextBoolean() ? "\r\n" : "\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 50)
    void pendingBytesTracksPartialCommands(@ForAll @IntRange(min = 1, max = 20) int args) {
        List<byte[]> argv = new ArrayList<>();
        for (int i = 0; i < args; i++) argv.add(new byte[i * 3]);
        byte[] wire = multibulk(argv);
        RequestParser p = new RequestParser();
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(wire, 0, wire.length - 1);
        assertThat(p.parse(in)).isNull();
        long held = p.pendingBytes() + in.readableBytes();
        assertThat(held).isGreaterThan(0);
        in.writeBytes(wire, wire.length - 1, 1);
        assertThat(p.parse(in)).hasNumberOfRows(args);
        assertThat(p.pendingBytes()).isZero();
    }

}
