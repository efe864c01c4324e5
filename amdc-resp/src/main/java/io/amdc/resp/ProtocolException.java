package io.amdc.resp;

/** Malformed request bytes; the message is Redis's text, sent as "-ERR <message>" before closing. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
