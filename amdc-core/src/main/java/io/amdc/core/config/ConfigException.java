package io.amdc.core.config;

/** A bad line in a config file: start-up stops with Redis's "FATAL CONFIG FILE ERROR" report. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String source, int line, String text, String reason) {
        super("\n*** FATAL CONFIG FILE ERROR (AMDC) ***\n"
                + "Reading the configuration file" + (source == null ? "" : " " + source) + ", at line " + line + "\n"
                + ">>> '" + text + "'\n"
                + reason);
    }
}
