package io.amdc.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One raw conversation on a fresh connection: send bytes as they are, then collect everything the
 * server answers until it closes the connection or stays quiet for a while. For protocol-level
 * tests where replies may be partial, absent, or followed by a close.
 */
public record Exchange(byte[] reply, boolean closed) {
    public static Exchange run(int port, byte[] request, int quietMs) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.setSoTimeout(quietMs);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    return new Exchange(got.toByteArray(), false);
                } catch (IOException reset) {
                    return new Exchange(got.toByteArray(), true);
                }
                if (n < 0) return new Exchange(got.toByteArray(), true);
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        String t = text();
        if (t.length() > 300) t = t.substring(0, 300) + "...";
        return t.replace("\r", "\\r").replace("\n", "\\n") + (closed ? " [closed]" : " [open]");
    }
}
