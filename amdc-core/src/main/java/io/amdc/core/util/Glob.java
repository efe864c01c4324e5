package io.amdc.core.util;

/** Redis's glob matching (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE): * ? [a-z] [^x] and \ escapes. */
public final class Glob {
    private Glob() {
    }

    public static boolean match(byte[] pattern, byte[] s, boolean nocase) {
        return match(pattern, 0, s, 0, nocase, 0);
    }

    public static boolean match(String pattern, String s, boolean nocase) {
        return match(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                s.getBytes(java.nio.charset.StandardCharsets.UTF_8), nocase);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth) {
        // Bounded recursion as Redis bounds it, so hostile patterns cannot blow the stack.
        if (depth > 1000) return false;
        int plen = p.length;
        int slen = s.length;
        while (pi < plen && si <= slen) {
            byte c = p[pi];
            switch (c) {
                case '*' -> {
                    while (pi + 1 < plen && p[pi + 1] == '*') pi++;
                    if (pi + 1 == plen) return true;
                    for (int k = si; k <= slen; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1)) return true;
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= slen) return false;
                    si++;
                }
                case '[' -> {
                    if (si >= slen) return false;
                    pi++;
                    boolean not = pi < plen && p[pi] == '^';
                    if (not) pi++;
                    boolean matched = false;
                    while (pi < plen && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < plen) {
                            pi++;
                            if (eq(p[pi], s[si], nocase)) matched = true;
                        } else if (pi + 2 < plen && p[pi + 1] == '-') {
                            int a = p[pi] & 0xff;
                            int b = p[pi + 2] & 0xff;
                            int x = s[si] & 0xff;
                            if (a > b) {
                                int t = a;
                                a = b;
                                b = t;
                            }
                            if (nocase) {
                                a = Character.toLowerCase(a);
                                b = Character.toLowerCase(b);
                                x = Character.toLowerCase(x);
                            }
                            if (x >= a && x <= b) matched = true;
                            pi += 2;
                        } else if (eq(p[pi], s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (pi >= plen) pi--; // unterminated class: Redis treats the end as ']'
                    if (not) matched = !matched;
                    if (!matched) return false;
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < plen) pi++;
                    if (si >= slen || !eq(p[pi], s[si], nocase)) return false;
                    si++;
                }
                default -> {
                    if (si >= slen || !eq(c, s[si], nocase)) return false;
                    si++;
                }
            }
            pi++;
            if (si == slen) {
                while (pi < plen && p[pi] == '*') pi++;
                break;
            }
        }
        return pi == plen && si == slen;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) return true;
        return nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
    }
}
