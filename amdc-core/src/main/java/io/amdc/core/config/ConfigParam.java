package io.amdc.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One configuration directive. Values are kept parsed ({@link #asLong()}, {@link #asBool()}) in
 * volatile fields so hot paths can hold the param and read it without a map lookup.
 */
public final class ConfigParam {
    public enum Type { BOOL, INT, MEMORY, ENUM, STRING, MULTI }

    public final String name;
    final List<String> aliases = new ArrayList<>();
    public final Type type;
    final boolean immutable;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String[] choices;
    private volatile String value;
    private volatile long longValue;
    private final List<Consumer<ConfigParam>> listeners = new CopyOnWriteArrayList<>();
    private Validator validator;
    private java.util.function.UnaryOperator<String> normalizer;

    /** Extra validation for STRING / MULTI values; returns an error reason or null. */
    public interface Validator {
        String check(String value);
    }

    ConfigParam(String name, Type type, String defaultValue, boolean immutable, long min, long max, String... choices) {
        this.name = name;
        this.type = type;
        this.immutable = immutable;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.choices = choices;
        String err = parseAndStore(defaultValue);
        if (err != null) throw new IllegalArgumentException(name + ": " + err);
    }

    ConfigParam alias(String a) {
        aliases.add(a);
        return this;
    }

    ConfigParam validator(Validator v) {
        this.validator = v;
        return this;
    }

    /** Canonical form a validated STRING value is stored (and shown by CONFIG GET) in. */
    ConfigParam normalizer(java.util.function.UnaryOperator<String> n) {
        this.normalizer = n;
        return this;
    }

    public String get() {
        return value;
    }

    public long asLong() {
        return longValue;
    }

    public boolean asBool() {
        return longValue != 0;
    }

    public boolean isImmutable() {
        return immutable;
    }

    public boolean isDefault() {
        return value.equals(normalize(defaultValue));
    }

    boolean changed() {
        return !isDefault();
    }

    public void onChange(Consumer<ConfigParam> l) {
        listeners.add(l);
    }

    /** Sets from directive words; returns null or the error reason. */
    String set(List<String> args, boolean startup) {
        String v;
        if (type == Type.MULTI) {
            v = String.join(" ", args);
        } else {
            if (args.size() != 1) return "wrong number of arguments";
            v = args.get(0);
        }
        return setValue(v);
    }

    /** Sets from one string (CONFIG SET); returns null or the error reason. */
    public String setValue(String v) {
        String err = parseAndStore(v);
        if (err == null) {
            for (Consumer<ConfigParam> l : listeners) l.accept(this);
        }
        return err;
    }

    private String normalize(String v) {
        return switch (type) {
            case BOOL, ENUM -> v.toLowerCase(Locale.ROOT);
            case MEMORY -> Long.toString(parseMemory(v));
            default -> v;
        };
    }

    private String parseAndStore(String v) {
        switch (type) {
            case BOOL -> {
                String l = v.toLowerCase(Locale.ROOT);
                if (!l.equals("yes") && !l.equals("no")) return "argument must be 'yes' or 'no'";
                value = l;
                longValue = l.equals("yes") ? 1 : 0;
            }
            case INT, MEMORY -> {
                long n;
                if (type == Type.MEMORY) {
                    n = parseMemory(v);
                    if (n == Long.MIN_VALUE) return "argument must be a memory value";
                } else {
                    try {
                        n = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        return "argument couldn't be parsed into an integer";
                    }
                }
                if (n < min || n > max) return "argument must be between " + min + " and " + max + " inclusive";
                value = Long.toString(n);
                longValue = n;
            }
            case ENUM -> {
                String l = v.toLowerCase(Locale.ROOT);
                boolean ok = false;
                for (String c : choices) ok |= c.equals(l);
                if (!ok) return "argument(s) must be one of the following: " + String.join(", ", choices);
                value = l;
                longValue = 0;
            }
            default -> {
                if (validator != null) {
                    String err = validator.check(v);
                    if (err != null) return err;
                }
                value = normalizer == null ? v : normalizer.apply(v);
                longValue = 0;
            }
        }
        return null;
    }

    /** Redis memory units: 1k = 1000, 1kb = 1024, up to gb; case-insensitive. */
    public static long parseMemory(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String num = l;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"}, {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (l.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                num = l.substring(0, l.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(num), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    List<String> configLines() {
        List<String> out = new ArrayList<>();
        if (type == Type.MULTI && name.equals("save") && value.isEmpty()) {
            out.add("save \"\"");
        } else {
            String v = value;
            if (v.isEmpty() || v.contains(" ") && type != Type.MULTI) v = "\"" + v + "\"";
            out.add(name + " " + v);
        }
        return out;
    }
}
