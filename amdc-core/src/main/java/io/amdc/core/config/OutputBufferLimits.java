package io.amdc.core.config;

/**
 * client-output-buffer-limit parsed: per client class a hard limit, a soft limit and the seconds
 * the soft limit may be exceeded (0 = no limit). CONFIG SET may name only some classes; the
 * others keep their values, and CONFIG GET shows all three in bytes, as Redis does.
 */
public final class OutputBufferLimits {
    public static final int NORMAL = 0;
    public static final int REPLICA = 1;
    public static final int PUBSUB = 2;
    private static final String[] NAMES = {"normal", "slave", "pubsub"};

    /** [class][hard, soft, softSeconds]; replaced whole on change so readers see one consistent set. */
    private volatile long[][] limits;

    OutputBufferLimits(ConfigParam param) {
        limits = merge(new long[3][3], param.get());
        param.onChange(p -> {
            long[][] merged = merge(limits, p.get());
            limits = merged;
            String full = render(merged);
            if (!full.equals(p.get())) p.setValue(full);
        });
    }

    public long hard(int cls) {
        return limits[cls][0];
    }

    public long soft(int cls) {
        return limits[cls][1];
    }

    public long softSeconds(int cls) {
        return limits[cls][2];
    }

    /** Validator: null when {@code v} is a well-formed (partial) setting, else Redis's reason. */
    static String check(String v) {
        String[] w = words(v);
        if (w.length % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
        for (int i = 0; i < w.length; i += 4) {
            if (classOf(w[i]) < 0) return "Invalid client class specified in buffer limit configuration.";
            if (ConfigParam.parseMemory(w[i + 1]) < 0 || ConfigParam.parseMemory(w[i + 2]) < 0
                    || !isNonNegative(w[i + 3])) {
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            }
        }
        return null;
    }

    private static boolean isNonNegative(String s) {
        try {
            return Long.parseLong(s) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String[] words(String v) {
        String t = v.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    private static int classOf(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "normal" -> NORMAL;
            case "slave", "replica" -> REPLICA;
            case "pubsub" -> PUBSUB;
            default -> -1;
        };
    }

    private static long[][] merge(long[][] base, String v) {
        long[][] out = {base[0].clone(), base[1].clone(), base[2].clone()};
        String[] w = words(v);
        for (int i = 0; i + 3 < w.length; i += 4) {
            int c = classOf(w[i]);
            out[c][0] = ConfigParam.parseMemory(w[i + 1]);
            out[c][1] = ConfigParam.parseMemory(w[i + 2]);
            out[c][2] = Long.parseLong(w[i + 3]);
        }
        return out;
    }

    private static String render(long[][] l) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            if (c > 0) sb.append(' ');
            sb.append(NAMES[c]).append(' ').append(l[c][0]).append(' ').append(l[c][1]).append(' ').append(l[c][2]);
        }
        return sb.toString();
    }
}
