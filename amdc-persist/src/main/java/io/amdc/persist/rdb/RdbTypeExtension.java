package io.amdc.persist.rdb;

import io.amdc.core.config.Config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hook for value types this codec does not build itself (sets and streams live on other
 * branches): an extension turns the neutral {@link RdbValue} into its in-memory value on load,
 * and describes its values neutrally for saving. Without one, such keys are skipped with a warning.
 */
public interface RdbTypeExtension {
    /** The keyspace value for {@code v}, or null when this extension does not handle its type. */
    Object materialize(RdbValue v, Config config);

    /** The neutral form of {@code value} (a {@link RdbValue.SetVal} or {@link RdbValue.StreamVal}), or null. */
    RdbValue describe(Object value);

    List<RdbTypeExtension> REGISTERED = new CopyOnWriteArrayList<>();

    static void register(RdbTypeExtension e) {
        REGISTERED.add(e);
    }
}
