package io.amdc.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP client that returns each reply both as raw bytes (for byte-exact
 * differential comparison) and as a readable rendering (for assertions). Speaks RESP2 and RESP3.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] head = ("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        b.writeBytes(head);
        for (Object a : args) {
            byte[] v = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(v);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    /** Sends a command and returns the reply rendered as text (see {@link #render}). */
    public String call(Object... args) {
        return render(callRaw(args));
    }

    /** Sends a command and returns the raw reply bytes. */
    public byte[] callRaw(Object... args) {
        send(encode(args));
        return readRaw();
    }

    public void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one complete reply, whatever its type, and returns its bytes. */
    public byte[] readRaw() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            readValue(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** True when the server has closed the connection (read returns EOF). */
    public boolean isClosedByServer() {
        try {
            socket.setSoTimeout(3000);
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine(ByteArrayOutputStream raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed by server");
            raw.write(c);
            if (c == '\r') {
                int n = in.read();
                raw.write(n);
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private void readValue(ByteArrayOutputStream raw) throws IOException {
        int type = in.read();
        if (type < 0) throw new IOException("connection closed by server");
        raw.write(type);
        String line = readLine(raw);
        switch (type) {
            case '$', '=', '!' -> {
                int len = Integer.parseInt(line);
                if (len < 0) return;
                raw.write(in.readNBytes(len + 2));
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < n; i++) readValue(raw);
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line);
                for (int i = 0; i < 2 * n; i++) readValue(raw);
            }
            default -> {
                // + - : _ , # ( are one line
            }
        }
    }

    /**
     * Renders a reply readably: simple strings and bulks as their text, errors as "ERR ..."
     * prefixed with "!", integers as "(integer) n", nulls as "(nil)", aggregates as "[a, b]".
     */
    public static String render(byte[] raw) {
        int[] pos = {0};
        return renderValue(raw, pos);
    }

    private static String line(byte[] raw, int[] pos) {
        int start = pos[0];
        while (raw[pos[0]] != '\r') pos[0]++;
        String s = new String(raw, start, pos[0] - start, StandardCharsets.UTF_8);
        pos[0] += 2;
        return s;
    }

    private static String renderValue(byte[] raw, int[] pos) {
        char t = (char) raw[pos[0]++];
        String l = line(raw, pos);
        switch (t) {
            case '+':
                return l;
            case '-':
                return "!" + l;
            case ':':
                return "(integer) " + l;
            case '_':
                return "(nil)";
            case ',':
                return "(double) " + l;
            case '#':
                return "(bool) " + l;
            case '(':
                return "(big) " + l;
            case '$':
            case '=':
            case '!': {
                int len = Integer.parseInt(l);
                if (len < 0) return "(nil)";
                String s = new String(raw, pos[0], len, StandardCharsets.UTF_8);
                pos[0] += len + 2;
                return s;
            }
            case '*':
            case '~':
            case '>':
            case '%':
            case '|': {
                int n = Integer.parseInt(l);
                if (n < 0) return "(nil)";
                if (t == '%' || t == '|') n *= 2;
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(renderValue(raw, pos));
                return (t == '%' ? "{" : "[") + String.join(", ", items) + (t == '%' ? "}" : "]");
            }
            default:
                throw new IllegalArgumentException("bad reply type " + t);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
