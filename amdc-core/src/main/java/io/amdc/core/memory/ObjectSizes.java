package io.amdc.core.memory;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Heap sizes of the objects the keyspace is built from, for used_memory and MEMORY USAGE. The
 * JVM's layout is asked once: with compact object headers an array costs 12 bytes before its
 * data (16 otherwise), references are 4 bytes with compressed oops (8 otherwise), and every
 * object is 8-byte aligned.
 */
public final class ObjectSizes {
    public static final int ARRAY_HEADER;
    public static final int OBJECT_HEADER;
    public static final int REF;

    static {
        boolean compact = vmFlag("UseCompactObjectHeaders");
        boolean compressed = vmFlag("UseCompressedOops");
        ARRAY_HEADER = compact ? 12 : 16;
        OBJECT_HEADER = compact ? 8 : 12;
        REF = compressed ? 4 : 8;
    }

    private ObjectSizes() {
    }

    private static boolean vmFlag(String name) {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs != null && Boolean.parseBoolean(hs.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or an older JDK without the flag
        }
    }

    public static long align(long n) {
        return (n + 7) & ~7L;
    }

    public static long bytes(int length) {
        return align(ARRAY_HEADER + (long) length);
    }

    public static long refs(int length) {
        return align(ARRAY_HEADER + (long) REF * length);
    }

    public static long ints(int length) {
        return align(ARRAY_HEADER + 4L * length);
    }

    public static long longs(int length) {
        return align(ARRAY_HEADER + 8L * length);
    }
}
