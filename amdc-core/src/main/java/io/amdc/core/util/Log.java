package io.amdc.core.util;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Server log in Redis's line format: "pid:M 22 Nov 2026 10:00:00.123 * message". */
public final class Log {
    public static final int DEBUG = 0;
    public static final int VERBOSE = 1;
    public static final int NOTICE = 2;
    public static final int WARNING = 3;
    private static final char[] MARKS = {'.', '-', '*', '#'};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
    private static final long PID = ProcessHandle.current().pid();
    private static volatile int level = NOTICE;
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    public static void level(String name) {
        level = switch (name) {
            case "debug" -> DEBUG;
            case "verbose" -> VERBOSE;
            case "warning" -> WARNING;
            case "nothing" -> Integer.MAX_VALUE;
            default -> NOTICE;
        };
    }

    public static void file(String path) throws IOException {
        if (path == null || path.isEmpty()) {
            out = System.out;
        } else {
            out = new PrintStream(new FileOutputStream(path, true), true, "UTF-8");
        }
    }

    public static void log(int lvl, String msg) {
        if (lvl < level) return;
        String line = PID + ":M " + TIME.format(LocalDateTime.now()) + " " + MARKS[lvl] + " " + msg;
        out.println(line);
    }

    public static void debug(String msg) {
        log(DEBUG, msg);
    }

    public static void verbose(String msg) {
        log(VERBOSE, msg);
    }

    public static void notice(String msg) {
        log(NOTICE, msg);
    }

    public static void warning(String msg) {
        log(WARNING, msg);
    }
}
