package io.amdc.core.config;

import java.util.ArrayList;
import java.util.List;

/** Splits a config line into words honouring "double" and 'single' quotes with escapes. */
final class ConfigLine {
    private ConfigLine() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= n) return out;
            StringBuilder cur = new StringBuilder();
            char q = 0;
            if (line.charAt(i) == '"' || line.charAt(i) == '\'') {
                q = line.charAt(i++);
            }
            boolean closed = q == 0;
            while (i < n) {
                char c = line.charAt(i);
                if (q != 0) {
                    if (c == '\\' && i + 1 < n) {
                        char e = line.charAt(++i);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else if (c == q) {
                        closed = true;
                        i++;
                        break;
                    } else {
                        cur.append(c);
                    }
                } else if (Character.isWhitespace(c)) {
                    break;
                } else {
                    cur.append(c);
                }
                i++;
            }
            if (!closed) return null;
            out.add(cur.toString());
        }
    }
}
