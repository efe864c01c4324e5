package io.amdc.core.types;

import java.util.List;
import java.util.function.Function;

/**
 * Where SORT meets types it does not own. Hashes answer "key->field" patterns through
 * {@link FieldSource}; SORT ... STORE builds its list result through {@link #listBuilder}, which the
 * list type installs (SORT STORE of a non-empty result fails until one is installed).
 */
public final class SortAdapters {
    private SortAdapters() {
    }

    /** A hash as SORT's BY/GET patterns see it. */
    public interface FieldSource extends TypedValue {
        /** The field's value, or null. */
        byte[] fieldValue(byte[] field);
    }

    private static volatile Function<List<byte[]>, TypedValue> listBuilder;

    public static void listBuilder(Function<List<byte[]>, TypedValue> builder) {
        listBuilder = builder;
    }

    public static Function<List<byte[]>, TypedValue> listBuilder() {
        return listBuilder;
    }
}
